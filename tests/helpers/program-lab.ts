/** A lab run's program checks, as a script does them: the student's saved program, then `program TASK CHECK`. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ROOT, type LabRun } from './lab-run';

export const PROGRAM_FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'programs');

/** a reference solution's source (tests/fixtures/programs) */
export const reference = (file: string): Promise<string> => fs.readFile(path.join(PROGRAM_FIXTURES, file), 'utf8');

/** save a program as the student's copy in the lab's data directory (what the editor's Save does) */
export async function saveProgram(l: LabRun, file: string, source: string): Promise<void> {
  await fs.mkdir(path.join(l.dataDir, 'programs', 'python'), { recursive: true });
  await fs.writeFile(path.join(l.dataDir, 'programs', 'python', file), source);
}

/** `program TASK CHECK` on stdin; its answer line (a program check may take a while) */
export async function programCheck(l: LabRun, task: string, check: string): Promise<{ passed: boolean; detail: string }> {
  const from = l.lines.length;
  l.child.stdin!.write(`program ${task} ${check}\n`);
  const answer = await l.waitLine(
    (x) => x.command === 'program' && x.task === task && x.check === check && l.lines.indexOf(x) >= from,
    `the program check ${task}/${check}`,
    60_000,
  );
  return answer as { passed: boolean; detail: string };
}
