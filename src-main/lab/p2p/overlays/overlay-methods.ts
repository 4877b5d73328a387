/** The overlays' part of the lab API: each method hands over to the OverlayArea. */
import type { AreaMethods } from '../../api';
import type { OverlayArea } from './overlay-area';

export function overlayMethods(o: OverlayArea): AreaMethods<'overlay'> {
  return {
    'overlay.state': async () => o.state(),
    'overlay.files': async () => o.scenarios.files(),
    'overlay.save': async (name, text) => o.scenarios.save(name, text),
    'overlay.validate': async (text) => o.scenarios.validate(text),
    'overlay.run': async (text) => o.run(text),
    'overlay.query': async (file, from, via) => o.query(file, from, via),
  };
}
