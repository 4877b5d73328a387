/**
 * Files offered to the lab from outside. An offer is summarised and kept pending (the UI may
 * connect after the file arrived, so it asks for the pending one as it starts); nothing
 * changes until the user confirms, and then only through the lab core's own methods: a
 * scenario applies as `netlab serve --scenario` does, a lab is saved as the user's copy and
 * opened as the Labs tab opens one.
 */
import type { LabStatus, LabValidation } from '../labs/lab-types';
import type { Scenario } from '../scenarios/scenario-file';
import { fileKind, labChanges, labCopyName, scenarioChanges } from './file-summary';
import { english, msg, type LabText } from '../lab-text';
import type { OpenedFile, OpenedFileApplied } from './file-types';

export interface OpenedFilesTarget {
  parseScenario(text: string): Scenario;
  applyScenario(s: Scenario): Promise<void>;
  railServices(): string[];
  validateLab(text: string): Promise<LabValidation>;
  saveLab(file: string, text: string): Promise<unknown>;
  openLab(file: string): Promise<LabStatus>;
  offered(file: OpenedFile): void;
}

/** a file bigger than this is not a lab or scenario file (the API's scenario text limit) */
export const OPENED_FILE_MAX_CHARS = 1_000_000;

export class OpenedFiles {
  private current: { file: OpenedFile; text: string } | null = null;
  private nextId = 1;

  constructor(private target: OpenedFilesTarget) {}

  async offer(name: string, text: string): Promise<OpenedFile> {
    const file = await this.summarise(this.nextId++, name, text);
    this.current = { file, text };
    this.target.offered(file);
    return file;
  }

  pending(): OpenedFile | null {
    return this.current?.file ?? null;
  }

  dismiss(id: number): null {
    if (this.current?.file.id === id) this.current = null;
    return null;
  }

  async apply(id: number): Promise<OpenedFileApplied> {
    const offer = this.current;
    if (!offer || offer.file.id !== id) throw new Error('that file is no longer waiting to be opened');
    if (offer.file.error) throw new Error(`${offer.file.name} has a mistake and was not applied: ${offer.file.error}`);
    this.current = null;
    if (offer.file.kind === 'scenario') {
      await this.target.applyScenario(this.target.parseScenario(offer.text));
      return { kind: 'scenario' };
    }
    const labFile = labCopyName(offer.file.name);
    await this.target.saveLab(labFile, offer.text);
    await this.target.openLab(labFile);
    return { kind: 'lab', labFile };
  }

  private async summarise(id: number, name: string, text: string): Promise<OpenedFile> {
    const kind = fileKind(name, text);
    const base = { id, name, kind };
    if (text.length > OPENED_FILE_MAX_CHARS) return { ...base, title: name, changes: [], ...mistake(msg('fileLab.error.tooLong', { max: OPENED_FILE_MAX_CHARS })) };
    if (kind === 'lab') {
      const v = await this.target.validateLab(text);
      if (!v.ok) return { ...base, title: v.title ?? name, changes: [], ...mistake(describeLabError(v)) };
      return { ...base, title: v.title ?? name, ...labChanges(v, labCopyName(name)) };
    }
    try {
      const s = this.target.parseScenario(text);
      return { ...base, title: s.name ?? name, ...scenarioChanges(s, this.target.railServices()) };
    } catch (err) {
      return { ...base, title: name, changes: [], error: err instanceof Error ? err.message : String(err) };
    }
  }
}

/** a mistake in English (`error`, as before) and as a catalogue message */
function mistake(m: LabText): { error: string; errorText: LabText } {
  return { error: english(m), errorText: m };
}

/** the validator's sentence is English; the line it names is said in the UI's language */
function describeLabError(v: LabValidation): LabText {
  const e = v.error;
  if (!e) return msg('fileLab.error.notLab');
  return e.line ? msg('fileLab.error.atLine', { line: e.line, message: e.message }) : msg('fileLab.error.other', { message: e.message });
}
