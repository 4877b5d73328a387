/** The ids of NetLab's own monaco languages (registered in ./monaco, which loads lazily). */
export const ZONE_LANGUAGE = 'dns-zone';
export const SWARM_LANGUAGE = 'swarm-yaml';
