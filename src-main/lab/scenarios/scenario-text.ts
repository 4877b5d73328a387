/** How long a scenario's text may be, in the editors (the API's limit) and on disk alike.
 *  Its own module: the preload bundle reaches it through api.ts and must not pull in yaml. */
export const SCENARIO_MAX_CHARS = 200_000;
