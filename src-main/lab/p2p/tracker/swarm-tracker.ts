/** A tracker of its own for a swarm run outside the lab (`netlab swarm`, benchmarks): HTTP and UDP. */
import { CaptureStore } from '../../capture/store';
import { LabInternet } from '../../internet/internet';
import { ClientNames } from '../../internet/names';
import { createTrackerServices, type TrackerHttpService } from './tracker-service';

export async function startStandaloneTracker(
  port = 0,
  store?: CaptureStore,
): Promise<{ service: TrackerHttpService; url: string; udpUrl: string; close: () => Promise<void> }> {
  const capture = store ?? new CaptureStore(1000);
  if (!store) capture.enabled = false;
  const ctx = { store: capture, names: new ClientNames(), internet: new LabInternet(), dataDir: '', resourcesDir: '', bindAddress: '127.0.0.1' };
  const [service, udp] = createTrackerServices(ctx, port, 0);
  for (const s of [service, udp]) {
    const info = await s.start();
    if (info.state !== 'running') throw new Error(info.error ?? `${s.name} did not start`);
  }
  return {
    service,
    url: service.announceUrl(),
    udpUrl: `udp://127.0.0.1:${udp.port}/announce`,
    close: async () => void (await Promise.all([service.stop(), udp.stop()])),
  };
}
