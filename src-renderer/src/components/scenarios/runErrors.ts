/**
 * The error a run printed, put back at its line in the editor: Python's traceback
 * (`File "…/udp-client.py", line 7` … `SyntaxError: invalid syntax`) and Node's
 * (`file:///…/udp-client.mjs:7` … `SyntaxError: Unexpected identifier`). Only a place in the
 * program's own file counts (a traceback through the socket library points at the user's line
 * last). Pure, so it is tested on the interpreters' real output.
 */
import { t } from '../../i18n';

export interface RunError {
  line: number;
  message: string;
}

const PYTHON_AT = /File "([^"]+)", line (\d+)/g;
const NODE_AT = /(?:file:\/\/)?(\/[^\s:()]+|[A-Za-z]:\\[^\s:()]+):(\d+)(?::\d+)?/g;
const ERROR_LINE = /^(?:[\w.]+(?:Error|Exception|Warning)|KeyboardInterrupt)\b(?::.*)?$/m;

export function runError(stderr: string, fileName: string): RunError | null {
  const own = (path: string): boolean => path.replace(/\\/g, '/').split('/').pop() === fileName;
  let at: { line: number; index: number } | null = null;
  for (const re of [PYTHON_AT, NODE_AT]) {
    re.lastIndex = 0;
    for (let m = re.exec(stderr); m; m = re.exec(stderr)) if (own(m[1])) at = { line: Number(m[2]), index: m.index };
    if (at) break;
  }
  if (!at) return null;
  const message = ERROR_LINE.exec(stderr.slice(at.index))?.[0] ?? ERROR_LINE.exec(stderr)?.[0] ?? t('scenarios.stoppedHere');
  return { line: at.line, message: message.trim() };
}
