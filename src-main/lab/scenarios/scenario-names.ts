/**
 * Scenario file names, shipped or the user's: swarm scenarios are `swarm-….yaml`, DHT
 * scenarios `dht-….yaml`, search-overlays scenarios `overlays-….yaml`, lab scenarios every other `….yaml`. No imports: the API's schema (loaded in the preload) and
 * the renderer's Save-as field use them too.
 */
export const SWARM_SCENARIO_FILE = /^swarm-[a-z0-9-]{1,40}\.yaml$/;
/** DHT scenarios: `dht-….yaml` (p2p/dht) */
export const DHT_SCENARIO_FILE = /^dht-[a-z0-9-]{1,40}\.yaml$/;
/** search-overlays scenarios: `overlays-….yaml` (p2p/overlays) */
export const OVERLAY_SCENARIO_FILE = /^overlays-[a-z0-9-]{1,40}\.yaml$/;
export const LAB_SCENARIO_FILE = /^(?!swarm-|dht-|overlays-)[a-z0-9][a-z0-9-]{0,40}\.yaml$/;
