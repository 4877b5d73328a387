/** Text the lab core sends for the Web tab's experiments (src-main/lab/lab-text.ts lists the keys; the English must match it). */
export default {
  phase: {
    nonPersistent: 'non-persistent ({i} of {n})',
    parallel: 'parallel, m = {m} ({i} of {n})',
    persistent: 'persistent ({i} of {n})',
    pipelined: 'pipelined ({i} of {n})',
    option: '{option} ({i} of {n})',
  },
  formula: {
    nonPersistent: '2·RTT per object: 2·({n}+1)·RTT',
    parallel: '2·RTT (base) + 2⌈n/m⌉·RTT: 2·(1+⌈{n}/{m}⌉)·RTT',
    persistent: 'RTT (set-up) + ({n}+1)·RTT, one per object',
    pipelined: 'RTT (set-up) + RTT (base) + ~1 RTT for all objects',
    transmission: '{base} + transmission {ms} ms (bytes·8/R)',
  },
  option: {
    access: '{mbps} Mbps access link',
    cache: '{mbps} Mbps link + cache',
  },
  caching: {
    withCache: '{missShare}·{missS} s + {hitShare}·{lanS} s = {totalS} s (La/R = {rho})',
    unbounded: 'La/R = {a}·{L} Mbit / {R} Mbps = {rho}: the queue grows without bound, delays of minutes',
    bounded: 'La/R = {rho}: {d} s Internet delay + msecs ≈ {missS} s',
  },
};
