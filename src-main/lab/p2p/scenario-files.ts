/**
 * The scenario files of one kind (dht-….yaml, overlays-….yaml): shipped and the user's listed,
 * a user copy saved once it parses, a text checked with its mistake at its line.
 */
import type { ScenarioCheck, ScenarioFile } from './swarm-types';
import { listScenarioFiles, saveScenarioFile } from '../scenarios/scenario-dir';
import { checkParse } from '../scenarios/yaml-schema';

export class ScenarioFiles {
  constructor(
    private dirs: { resourcesDir: string; dataDir: string },
    private pattern: RegExp,
    /** throws at the line that is wrong */
    private parse: (text: string) => unknown,
  ) {}

  files(): Promise<ScenarioFile[]> {
    return listScenarioFiles(this.dirs.resourcesDir, this.dirs.dataDir, this.pattern);
  }

  save(name: string, text: string): Promise<ScenarioFile> {
    this.parse(text);
    return saveScenarioFile(this.dirs.dataDir, name, text);
  }

  validate(text: string): ScenarioCheck {
    return checkParse(() => this.parse(text));
  }
}
