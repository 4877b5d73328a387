/** A tracker of its own for a swarm run outside the lab (`netlab swarm`, benchmarks). */
import { CaptureStore } from '../capture/store';
import { LabInternet } from '../internet/internet';
import { ClientNames } from '../internet/names';
import { createTrackerServices, type TrackerHttpService } from '../services/tracker/tracker-service';

export async function startStandaloneTracker(port = 0, store?: CaptureStore): Promise<{ service: TrackerHttpService; url: string; close: () => Promise<void> }> {
  const capture = store ?? new CaptureStore(1000);
  if (!store) capture.enabled = false;
  const ctx = { store: capture, names: new ClientNames(), internet: new LabInternet(), dataDir: '', resourcesDir: '', bindAddress: '127.0.0.1' };
  const [service] = createTrackerServices(ctx, port, 0);
  const info = await service.start();
  if (info.state !== 'running') throw new Error(info.error ?? 'tracker did not start');
  return { service, url: service.announceUrl(), close: async () => void (await service.stop()) };
}
