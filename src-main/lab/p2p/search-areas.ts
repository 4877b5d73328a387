/**
 * The second half of K&R §2.5 — where is the content? — wired into the lab: the circular DHT
 * and the search overlays, each an area acting on its rail service, with their API methods
 * and their change events.
 */
import type { AreaMethods, DhtState, OverlayState } from '../api';
import type { LabService } from '../services/service';
import { DhtArea } from './dht/dht-area';
import { dhtMethods } from './dht/dht-methods';
import { DhtService } from './dht/dht-service';
import { OverlayArea } from './overlays/overlay-area';
import { overlayMethods } from './overlays/overlay-methods';
import { OverlayService } from './overlays/overlay-service';

export interface SearchAreas {
  dht: DhtArea;
  overlays: OverlayArea;
  methods: AreaMethods<'dht'> & AreaMethods<'overlay'>;
}

export function wireSearchAreas(services: readonly LabService[], dirs: { resourcesDir: string; dataDir: string }, changed: { dht(s: DhtState): void; overlay(s: OverlayState): void }): SearchAreas {
  const dhtService = services.find((s): s is DhtService => s instanceof DhtService);
  dhtService?.onState(() => changed.dht(dhtService.view()));
  const overlayService = services.find((s): s is OverlayService => s instanceof OverlayService);
  overlayService?.onState(() => changed.overlay(overlayService.view()));
  const dht = new DhtArea(() => dhtService, dirs);
  const overlays = new OverlayArea(() => overlayService, dirs);
  return { dht, overlays, methods: { ...dhtMethods(dht), ...overlayMethods(overlays) } };
}
