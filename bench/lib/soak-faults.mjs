/**
 * The soak's faults, taken in turn: kill -9 of `netlab serve` and a restart on the same data
 * directory and ports; the next hop down (hamburger.edu's MX stopped through the API, so mail
 * waits in the relay's queue, K&R §2.3.1, then started again); the disk full (a ballast file
 * fills the tmpfs holding the data directory, then is deleted). Each returns the moment its
 * recovery action was done (`t0`, when the health probes start counting) and what it saw.
 */
import fs from 'node:fs';
import path from 'node:path';
import { callOnce, sleep } from './lab.mjs';

export class LabBroken extends Error {}

/** an API call on a short-lived connection, retried a few times (the lab may be busy or just restarted) */
export async function apiCall(lab, method, ...args) {
  let last;
  for (let i = 0; i < 10; i++) {
    if (lab.api) {
      try {
        return await callOnce(lab.api, method, ...args);
      } catch (err) {
        last = err;
      }
    }
    await sleep(300);
  }
  throw last ?? new Error(`${method}: no lab to ask`);
}

/** fill `dir`'s filesystem: 1 MiB writes until ENOSPC (bounded by `maxMB`) */
function fillDisk(file, maxMB) {
  const chunk = Buffer.alloc(1 << 20, 0x5a);
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    for (let i = 0; i < maxMB; i++) {
      try {
        written += fs.writeSync(fd, chunk);
      } catch (err) {
        if (err.code !== 'ENOSPC') throw err;
        break;
      }
    }
    // the last partial MiB: smaller writes until nothing fits
    for (let size = 1 << 19; size >= 512; size >>= 1) {
      try {
        for (;;) written += fs.writeSync(fd, chunk.subarray(0, size));
      } catch (err) {
        if (err.code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

export function faultList({ lab, dataDir, diskFull, holdMs, tmpfsMB }) {
  const list = [
    {
      name: 'kill -9 + restart',
      async run() {
        const pid = lab.pid;
        await lab.kill9();
        let restartMs;
        try {
          restartMs = await lab.start();
        } catch (err) {
          throw new LabBroken(`the lab did not restart after kill -9: ${err.message}`);
        }
        return { t0: performance.now(), detail: `pid ${pid} killed, restarted in ${(restartMs / 1000).toFixed(2)} s`, restartMs };
      },
    },
    {
      name: 'next hop down',
      async run() {
        await apiCall(lab, 'services.stop', 'smtp-hamburger');
        await sleep(holdMs);
        const queued = (await apiCall(lab, 'mail.queue')).length;
        await apiCall(lab, 'services.start', 'smtp-hamburger');
        return { t0: performance.now(), detail: `MX of hamburger.edu stopped ${(holdMs / 1000).toFixed(0)} s, ${queued} in the relay queue`, queued };
      },
    },
  ];
  if (diskFull) {
    list.push({
      name: 'disk full + freed',
      async run() {
        const ballast = path.join(dataDir, 'soak-ballast.bin');
        const bytes = fillDisk(ballast, tmpfsMB);
        await sleep(holdMs);
        fs.rmSync(ballast, { force: true });
        return { t0: performance.now(), detail: `${(bytes / 2 ** 20).toFixed(0)} MiB ballast held ${(holdMs / 1000).toFixed(0)} s`, ballastBytes: bytes };
      },
    });
  }
  return list;
}
