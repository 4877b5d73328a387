/**
 * The API methods of the DHT and the search overlays (K&R §2.5's second half), spread into
 * api.ts's one table: the contract stays one list, this file keeps api.ts short.
 */
import { z } from 'zod';
import { method, scenarioText } from '../api-method';
import { DHT_SCENARIO_FILE, OVERLAY_SCENARIO_FILE } from '../scenarios/scenario-names';
import type { ScenarioCheck, ScenarioFile } from './swarm-types';
import type { DhtLookup, DhtState } from './dht/dht-types';
import type { OverlayQuery, OverlayState } from './overlays/overlay-types';

export const searchMethods = {
  'dht.state': method<DhtState>()(z.tuple([])),
  /** DHT scenario files (dht-….yaml): shipped and the user's */
  'dht.files': method<ScenarioFile[]>()(z.tuple([])),
  'dht.save': method<ScenarioFile>()(z.tuple([z.string().regex(DHT_SCENARIO_FILE), scenarioText])),
  'dht.validate': method<ScenarioCheck>()(z.tuple([scenarioText])),
  /** restart the ring with this scenario: its keys stored, its churn played, its lookups run */
  'dht.run': method<DhtState>()(z.tuple([scenarioText])),
  /** one lookup (a key or a name, from a peer id or the first peer), with its path */
  'dht.lookup': method<DhtLookup>()(z.tuple([z.string().regex(/^[A-Za-z0-9._-]{1,64}$/), z.number().int().min(0).max(0xffffffff).optional()])),
  // ---------- the search overlays (issue 16) ----------
  'overlay.state': method<OverlayState>()(z.tuple([])),
  /** overlay scenario files (overlays-….yaml): shipped and the user's */
  'overlay.files': method<ScenarioFile[]>()(z.tuple([])),
  'overlay.save': method<ScenarioFile>()(z.tuple([z.string().regex(OVERLAY_SCENARIO_FILE), scenarioText])),
  'overlay.validate': method<ScenarioCheck>()(z.tuple([scenarioText])),
  /** restart the overlays with this scenario: Napster, Gnutella and KaZaA built, its queries run */
  'overlay.run': method<OverlayState>()(z.tuple([scenarioText])),
  /** one query of each overlay (or of one), from peer pN */
  'overlay.query': method<OverlayQuery[]>()(z.tuple([z.string().regex(/^[\x20-\x7e]{1,200}$/), z.number().int().min(0).max(5000).optional(), z.enum(['napster', 'gnutella', 'kazaa']).optional()])),
};
