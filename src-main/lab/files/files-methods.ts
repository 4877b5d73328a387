/** The opened files' part of the lab API (issue 18), on the lab core's own scenario and lab methods. */
import type { AreaMethods, LabApi, LabEvents } from '../api';
import type { LabScenarios } from '../scenarios/lab-scenarios';
import { OpenedFiles } from './opened-files';

export interface FilesHost {
  scenarios: LabScenarios;
  railServices(): string[];
  api: Pick<LabApi, 'labs.validate' | 'labs.save' | 'labs.open'>;
  emit(file: LabEvents['files.offered']): void;
}

export function filesMethods(host: FilesHost): AreaMethods<'files'> {
  const files = new OpenedFiles({
    parseScenario: (text) => host.scenarios.parse(text),
    applyScenario: (s) => host.scenarios.apply(s),
    railServices: () => host.railServices(),
    validateLab: (text) => host.api['labs.validate'](text),
    saveLab: (file, text) => host.api['labs.save'](file, text),
    openLab: (file) => host.api['labs.open']('user', file),
    offered: (file) => host.emit(file),
  });
  return {
    'files.offer': (name, text) => files.offer(name, text),
    'files.pending': async () => files.pending(),
    'files.apply': (id) => files.apply(id),
    'files.dismiss': async (id) => files.dismiss(id),
  };
}
