/** Opening a trace file in a lab as the inspector does: announced, sent in pieces, opened. */
import { spawn, type ChildProcess } from 'node:child_process';
import { dispatch, type TraceInfo } from '../../src-main/lab/api';
import type { Lab } from '../../src-main/lab/lab';

export async function openTrace(lab: Lab, name: string, bytes: Buffer, piece = 1 << 20): Promise<TraceInfo> {
  const { upload } = (await dispatch(lab, 'trace.begin', [name, bytes.length])) as { upload: number };
  for (let at = 0; at < bytes.length; at += piece) {
    await dispatch(lab, 'trace.piece', [upload, at, bytes.subarray(at, at + piece).toString('base64')]);
  }
  return (await dispatch(lab, 'trace.open', [upload])) as TraceInfo;
}

/** tshark capturing on loopback into `file` until stop() (SIGINT, as Ctrl+C would). */
export async function tsharkOnLoopback(file: string, filter: string, format: 'pcapng' | 'pcap' = 'pcapng'): Promise<{ stop: () => Promise<void> }> {
  const child: ChildProcess = spawn('tshark', ['-i', 'lo', '-F', format, '-w', file, '-f', filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tshark did not start capturing: ${err}`)), 15_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      // tshark says so a moment before dumpcap has its filter on the interface
      if (err.includes('Capturing on')) {
        clearTimeout(timer);
        setTimeout(resolve, 1500);
      }
    });
    child.on('exit', (code) => reject(new Error(`tshark exited (${code}): ${err}`)));
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        child.on('exit', () => resolve());
        // the packets still in dumpcap's buffer reach the file before it stops
        setTimeout(() => child.kill('SIGINT'), 500);
      }),
  };
}
