/**
 * The Web tab's experiment texts the lab core sends (src-main/lab/lab-text.ts explains): the
 * persistence experiment's phases and formula lines (Kurose & Ross §2.2.2), the caching
 * example's options, phases and the textbook's delay (§2.2.5).
 */
import type { LabTextEntry } from '../lab-text';

export const WEB_LAB_TEXT = {
  'webLab.phase.nonPersistent': { en: (p) => `non-persistent (${p.i} of ${p.n})`, example: { i: 1, n: 4 } },
  'webLab.phase.parallel': { en: (p) => `parallel, m = ${p.m} (${p.i} of ${p.n})`, example: { m: 5, i: 2, n: 4 } },
  'webLab.phase.persistent': { en: (p) => `persistent (${p.i} of ${p.n})`, example: { i: 3, n: 4 } },
  'webLab.phase.pipelined': { en: (p) => `pipelined (${p.i} of ${p.n})`, example: { i: 4, n: 4 } },
  'webLab.formula.nonPersistent': { en: (p) => `2·RTT per object: 2·(${p.n}+1)·RTT`, example: { n: 10 } },
  'webLab.formula.parallel': { en: (p) => `2·RTT (base) + 2⌈n/m⌉·RTT: 2·(1+⌈${p.n}/${p.m}⌉)·RTT`, example: { n: 10, m: 5 } },
  'webLab.formula.persistent': { en: (p) => `RTT (set-up) + (${p.n}+1)·RTT, one per object`, example: { n: 10 } },
  'webLab.formula.pipelined': { en: () => 'RTT (set-up) + RTT (base) + ~1 RTT for all objects', example: {} },
  'webLab.formula.transmission': { en: (p) => `${p.base} + transmission ${p.ms} ms (bytes·8/R)`, example: { base: { key: 'webLab.formula.persistent', params: { n: 3 } }, ms: 250 } },
  'webLab.option.access': { en: (p) => `${p.mbps} Mbps access link`, example: { mbps: 15 } },
  'webLab.option.cache': { en: (p) => `${p.mbps} Mbps link + cache`, example: { mbps: 15 } },
  'webLab.phase.option': { en: (p) => `${p.option} (${p.i} of ${p.n})`, example: { option: { key: 'webLab.option.cache', params: { mbps: 15 } }, i: 3, n: 3 } },
  'webLab.caching.withCache': { en: (p) => `${p.missShare}·${p.missS} s + ${p.hitShare}·${p.lanS} s = ${p.totalS} s (La/R = ${p.rho})`, example: { missShare: '0.6', missS: '2.01', hitShare: '0.4', lanS: '0.01', totalS: '1.21', rho: '0.6' } },
  'webLab.caching.unbounded': { en: (p) => `La/R = ${p.a}·${p.L} Mbit / ${p.R} Mbps = ${p.rho}: the queue grows without bound, delays of minutes`, example: { a: '15', L: '1', R: '15', rho: '1' } },
  'webLab.caching.bounded': { en: (p) => `La/R = ${p.rho}: ${p.d} s Internet delay + msecs ≈ ${p.missS} s`, example: { rho: '0.15', d: '2', missS: '2.01' } },
} satisfies Record<string, LabTextEntry>;
