/**
 * SNMP benchmark (issue 17): net-snmp's snmpbulkwalk of the interfaces table (ifTable,
 * 1.3.6.1.2.1.2.2) against the lab's agent (capture on) and, side by side, against net-snmp's
 * snmpd run here as a normal process with a config in a temp dir. Goal: ≥ 0.5× snmpd's rate.
 *
 * The two tables differ in size (the lab has one row per lab service, snmpd one per interface
 * of this machine) and a walk's time is mostly the tool's own start, so the figures compared
 * are per request: (1) the GetBulk requests snmpbulkwalk sent (its cursors, read from its own
 * output: the root, then every 10th OID) replayed in a closed loop from one UDP socket for
 * SNMP_BENCH_SECONDS, one request in flight as snmpbulkwalk has — responses per second; and
 * (2) each agent's CPU time per request from /proc during that replay. The walks' own figures
 * (ms per walk, varbinds, requests the agent counted in snmpInPkts) are printed beside them. Interleaved rounds (the order alternates), medians.
 *
 * Lab SNMP on 28171 (UI 7761), snmpd on 28172, both on 127.0.0.1. Needs Debian's snmp and
 * snmpd packages. Exits 0 unless something breaks.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { dropSnapshot, killAll, procStats, sleep, snapshotBuild, tempDir } from './lib/lab.mjs';
import { startServeWith } from './lib/serve.mjs';
import { startReference } from './lib/reference.mjs';

const SNMPD = '/usr/sbin/snmpd';
const LAB_PORT = 28171;
const SNMPD_PORT = 28172;
const UI_PORT = 7761;
const ROUNDS = Math.max(1, Number(process.env.SNMP_BENCH_ROUNDS ?? 5));
const WALKS = Math.max(2, Number(process.env.SNMP_BENCH_WALKS ?? 20));
const IF_TABLE = '1.3.6.1.2.1.2.2';
const SNMP_IN_PKTS = '1.3.6.1.2.1.11.1.0';
const SECONDS = Math.max(1, Number(process.env.SNMP_BENCH_SECONDS ?? 3));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function tool(name, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(name, ['-v2c', '-c', 'public', '-On', '-t', '2', '-r', '0', ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${name} ${args.join(' ')}: exit ${code} ${err}`))));
  });
}

const inPkts = async (port) => Number(/Counter32: (\d+)/.exec(await tool('snmpget', [`127.0.0.1:${port}`, SNMP_IN_PKTS]))?.[1]);

/** WALKS bulk walks of ifTable as the real tool runs them: time, varbinds, the agent's requests */
async function walks(port) {
  const before = await inPkts(port);
  let varbinds = 0;
  let oids = [];
  const t0 = performance.now();
  for (let i = 0; i < WALKS; i++) {
    oids = (await tool('snmpbulkwalk', [`127.0.0.1:${port}`, IF_TABLE])).trim().split('\n').map((l) => l.split(' = ')[0].slice(1));
    varbinds += oids.length;
  }
  const walkMs = (performance.now() - t0) / WALKS;
  const requests = ((await inPkts(port)) - before - 1) / WALKS;
  // snmpbulkwalk's cursors: the root, then the last OID of each full response of 10
  const cursors = [IF_TABLE, ...oids.filter((_, k) => k % 10 === 9)];
  return { varbinds: varbinds / WALKS, requests, walkMs, cursors };
}

// ---- the replay: GetBulk(non-repeaters 0, max-repetitions 10) requests in BER, as snmpbulkwalk sends them ----
const len = (n) => (n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 255]);
const tlv = (tag, bytes) => [tag, ...len(bytes.length), ...bytes];
const arc = (n) => {
  const out = [n & 127];
  for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) out.unshift((n & 127) | 128);
  return out;
};
function getBulk(oid, id) {
  const a = oid.split('.').map(Number);
  const name = tlv(0x06, [a[0] * 40 + a[1], ...a.slice(2).flatMap(arc)]);
  const pdu = tlv(0xa5, [...tlv(0x02, [(id >>> 24) & 127, (id >> 16) & 255, (id >> 8) & 255, id & 255]), 2, 1, 0, 2, 1, 10, ...tlv(0x30, tlv(0x30, [...name, 5, 0]))]);
  return Buffer.from(tlv(0x30, [2, 1, 1, ...tlv(0x04, [...Buffer.from('public')]), ...pdu]));
}

/** the requests replayed in a closed loop for SECONDS: responses per second */
async function replay(port, cursors) {
  const socket = dgram.createSocket('udp4');
  await new Promise((r) => socket.bind(0, '127.0.0.1', r));
  // request-ids of four bytes in their minimal form, so the response carries the same bytes
  let id = 0x10000000;
  let done = 0;
  let waiting = null;
  socket.on('message', (m) => {
    // the request-id is the PDU's first INTEGER, 4 bytes: find it near the start
    const at = m.indexOf(Buffer.from([0x02, 0x04, (id >>> 24) & 127, (id >> 16) & 255, (id >> 8) & 255, id & 255]));
    if (at > 0 && at < 40 && waiting) waiting();
  });
  const until = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  while (performance.now() < until) {
    const req = getBulk(cursors[done % cursors.length], ++id);
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response from 127.0.0.1:${port} in 2 s`)), 2000);
      waiting = () => {
        clearTimeout(timer);
        waiting = null;
        resolve();
      };
      socket.send(req, port, '127.0.0.1');
    });
    done++;
  }
  socket.close();
  return { done, rate: (done * 1000) / (performance.now() - t0) };
}

async function measure(port, pid) {
  const w = await walks(port);
  const cpu0 = procStats(pid).cpuMs;
  const r = await replay(port, w.cursors);
  // CPU per request over the replay's thousands of requests (the walks' hundreds are a few clock ticks)
  return { ...w, rate: r.rate, cpuUs: ((procStats(pid).cpuMs - cpu0) * 1000) / r.done };
}

function startSnmpd() {
  const dir = tempDir('snmpd');
  const conf = path.join(dir, 'snmpd.conf');
  fs.writeFileSync(conf, ['rocommunity public 127.0.0.1', 'dontLogTCPWrappersConnects yes', ''].join('\n'));
  return startReference(dir, SNMPD, ['-f', '-Lo', '-C', '-c', conf, '-p', path.join(dir, 'snmpd.pid'), `udp:127.0.0.1:${SNMPD_PORT}`]);
}

async function main() {
  if (!fs.existsSync(SNMPD)) {
    console.log('snmp bench: snmpd is not installed (apt-get install snmpd snmp) — skipped');
    return;
  }
  await snapshotBuild();
  const lab = await startServeWith({ label: 'snmp', ports: { snmp: LAB_PORT }, uiPort: UI_PORT });
  const snmpd = startSnmpd();
  await sleep(800);
  const rows = [];
  try {
    // warm both
    await tool('snmpbulkwalk', [`127.0.0.1:${LAB_PORT}`, IF_TABLE]);
    await tool('snmpbulkwalk', [`127.0.0.1:${SNMPD_PORT}`, IF_TABLE]).catch((e) => {
      throw new Error(`${e.message} ${snmpd.error()}`);
    });
    for (let round = 1; round <= ROUNDS; round++) {
      const first = round % 2 ? 'lab' : 'snmpd';
      const r = {};
      for (const who of first === 'lab' ? ['lab', 'snmpd'] : ['snmpd', 'lab']) {
        r[who] = who === 'lab' ? await measure(LAB_PORT, lab.pid) : await measure(SNMPD_PORT, snmpd.pid);
      }
      rows.push({ round, ...r });
    }
  } finally {
    await snmpd.stop();
    await lab.stop();
    dropSnapshot();
  }
  const f = (n, d = 0) => n.toFixed(d);
  console.log(`snmpbulkwalk -v2c -Cr10 (default) of ifTable, ${WALKS} walks per round, then its GetBulk requests replayed ${SECONDS} s, one in flight; 127.0.0.1; lab capture on; the machine is shared with other helpers' work\n`);
  console.log('round   lab: varbinds req/walk ms/walk resp/s CPU µs/req | snmpd: varbinds req/walk ms/walk resp/s CPU µs/req | lab/snmpd resp/s');
  for (const { round, lab: l, snmpd: s } of rows) {
    console.log(
      `${String(round).padEnd(8)}${f(l.varbinds).padStart(13)}${f(l.requests, 1).padStart(9)}${f(l.walkMs, 1).padStart(8)}${f(l.rate).padStart(7)}${f(l.cpuUs).padStart(11)} |` +
        `${f(s.varbinds).padStart(16)}${f(s.requests, 1).padStart(9)}${f(s.walkMs, 1).padStart(8)}${f(s.rate).padStart(7)}${f(s.cpuUs).padStart(11)} | ${(l.rate / s.rate).toFixed(2)}`,
    );
  }
  const lr = median(rows.map((r) => r.lab.rate));
  const sr = median(rows.map((r) => r.snmpd.rate));
  const lc = median(rows.map((r) => r.lab.cpuUs));
  const sc = median(rows.map((r) => r.snmpd.cpuUs));
  console.log(`\nmedian GetBulk responses/s (replay): lab ${f(lr)}, snmpd ${f(sr)} → ${(lr / sr).toFixed(2)}× (goal ≥ 0.50)`);
  console.log(`median CPU per request: lab ${f(lc)} µs, snmpd ${f(sc)} µs → capacity ${(sc / lc).toFixed(2)}× snmpd's`);
}

main().catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});
