/**
 * A lab or scenario file handed to NetLab from outside (the file manager, the command line, a
 * second launch, Open… in either shell): what it is and what applying it would change, shown
 * to the user before anything changes. No imports: the renderer reads these types too.
 */
export type OpenedFileKind = 'lab' | 'scenario';

/** a line's catalogue key and parameters (src-main/lab/lab-text.ts's LabText, spelled out here) */
export interface OpenedFileText {
  key: string;
  params?: Record<string, string | number | OpenedFileText>;
}

export interface OpenedFile {
  /** one offer; apply and dismiss name it, so a stale dialog cannot apply a newer file */
  id: number;
  /** the file's name as given (no directory) */
  name: string;
  kind: OpenedFileKind;
  /** the lab's title, or the scenario's name */
  title: string;
  /** one line per change applying it makes, in the user's words */
  changes: string[];
  /** the same lines' catalogue keys and parameters (files/lab-text.ts): the UI shows them in its language */
  changesText?: OpenedFileText[];
  /** the first mistake (with its line): such a file is shown, never applied */
  error?: string;
  /** the same, keyed where the lab wrote it (a validator's own sentence stays a parameter) */
  errorText?: OpenedFileText;
}

export interface OpenedFileApplied {
  kind: OpenedFileKind;
  /** a lab: the user's copy it was saved as and opened from (<data dir>/labs) */
  labFile?: string;
}
