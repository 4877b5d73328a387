/** The pieces every table of the API contract (api.ts and the areas' *-api.ts) is written with. */
import { z } from 'zod';
import { SCENARIO_MAX_CHARS } from './scenarios/scenario-text';

/** `method<Result>()(argsSchema)`: the result type is written, the arguments are a schema. */
export function method<R>() {
  return <A extends z.ZodTuple>(args: A) => ({ args, result: undefined as unknown as R });
}

/** a scenario's text as the editors send it: the same cap as a scenario file's */
export const scenarioText = z.string().max(SCENARIO_MAX_CHARS, `the text is longer than ${SCENARIO_MAX_CHARS} characters`);
