/** python3's imaplib scripts for the IMAP tests. */
import { expect } from 'vitest';
import { run } from './proc';

export const PY = '/usr/bin/python3';

/** run a python3 script with `imaplib` imported and PORT set; what it prints, or the failure */
export async function imaplib(port: number, body: string, timeoutMs = 15_000): Promise<string> {
  const script = `import imaplib, smtplib, sys, time\nPORT = ${port}\n${body}\n`;
  const out = await run(PY, ['-c', script], { timeoutMs });
  expect(out.code, out.stderr + out.stdout).toBe(0);
  return out.stdout;
}
