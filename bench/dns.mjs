/**
 * DNS benchmark: queries per second the lab's local DNS server answers from its cache,
 * measured with dnsperf (Debian) for DNS_BENCH_SECONDS (default 10), side by side in the same
 * run with unbound (Debian, one thread) answering the same name from local data. The lab runs
 * as a user runs it (`netlab serve`, capture on); a second run with the capture off shows
 * what recording every message costs. Goal: at least half unbound's rate, no lost queries.
 * Prints a table; exits 0 unless something broke (never on speed).
 * Ports: 25000–25099 (lab services, unbound), UI 7450.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { callOnce, dropSnapshot, killAll, netlabBin, sleep, snapshotBuild, tempDir } from './lib/lab.mjs';
import { have, killChildren, start, stop, which } from './lib/proc.mjs';

const SECONDS = Number(process.env.DNS_BENCH_SECONDS ?? 10);
const NAME = 'gaia.cs.umass.edu';
const HIERARCHY = ['dns-root', 'dns-gtld', 'dns-edu', 'dns-org', 'dns-fr', 'dns-umass', 'dns-someschool', 'dns-hamburger', 'dns-crepes', 'dns-networkutopia'];
const PORTS = { local: 25053, first: 25054, unbound: 25090, echo: 25012, relay: 25013, ui: 7450 };




function dig(port, name = NAME) {
  return spawnSync('dig', ['@127.0.0.1', '-p', String(port), '+short', '+tries=1', '+time=2', name], { encoding: 'utf8' }).stdout.trim();
}

async function waitDns(port) {
  for (let i = 0; i < 100; i++) {
    if (dig(port) === '128.119.40.205') return;
    await sleep(100);
  }
  throw new Error(`no DNS answer for ${NAME} on port ${port}`);
}

/** dnsperf's figures: queries per second, lost, and average latency. */
function dnsperf(port, datafile) {
  const r = spawnSync('dnsperf', ['-s', '127.0.0.1', '-p', String(port), '-d', datafile, '-l', String(SECONDS), '-q', '100', '-t', '2'], {
    encoding: 'utf8',
    timeout: (SECONDS + 30) * 1000,
  });
  const out = (r.stdout ?? '') + (r.stderr ?? '');
  const num = (re) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : NaN;
  };
  const res = {
    qps: num(/Queries per second:\s+([\d.]+)/),
    sent: num(/Queries sent:\s+(\d+)/),
    completed: num(/Queries completed:\s+(\d+)/),
    lost: num(/Queries lost:\s+(\d+)/),
    latencyMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
  };
  if (!Number.isFinite(res.qps)) throw new Error(`dnsperf gave no figures:\n${out}`);
  return res;
}

function unboundConf(dir) {
  const file = path.join(dir, 'unbound.conf');
  fs.writeFileSync(
    file,
    [
      'server:',
      '  interface: 127.0.0.1',
      `  port: ${PORTS.unbound}`,
      '  do-ip6: no',
      '  num-threads: 1',
      '  do-daemonize: no',
      '  use-syslog: no',
      '  logfile: ""',
      '  verbosity: 0',
      '  chroot: ""',
      '  username: ""',
      `  directory: "${dir}"`,
      `  pidfile: "${path.join(dir, 'unbound.pid')}"`,
      '  access-control: 127.0.0.0/8 allow',
      '  do-not-query-localhost: yes',
      '  local-zone: "umass.edu." static',
      `  local-data: "${NAME}. 3600 IN A 128.119.40.205"`,
      'remote-control:',
      '  control-enable: no',
      '',
    ].join('\n'),
  );
  return file;
}

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');

async function main() {
  for (const tool of ['dnsperf', 'dig']) if (!have(tool)) throw new Error(`${tool} is not installed (apt-get install dnsperf dnsutils)`);
  await snapshotBuild();
  const dir = tempDir('dns');
  const datafile = path.join(dir, 'queries.txt');
  fs.writeFileSync(datafile, `${NAME} A\n`);
  const ports = [`  dns-local: { port: ${PORTS.local} }`, ...HIERARCHY.map((id, i) => `  ${id}: { port: ${PORTS.first + i} }`)];
  const scenario = path.join(dir, 'dns.yaml');
  fs.writeFileSync(
    scenario,
    `name: dns bench\nservices:\n  echo-tcp: { port: ${PORTS.echo} }\n  echo-udp: { port: ${PORTS.echo} }\n  program-tcp: { port: ${PORTS.relay} }\n  program-udp: { port: ${PORTS.relay} }\n${ports.join('\n')}\n`,
  );
  const lab = start(process.execPath, [netlabBin(), 'serve', '--no-open', '--ui-port', String(PORTS.ui), '--data-dir', path.join(dir, 'data'), '--scenario', scenario]);
  let unbound = null;
  const results = [];
  try {
    for (let i = 0; i < 150 && !/token=([0-9a-f]+)/.test(lab.output()); i++) await sleep(100);
    const token = /token=([0-9a-f]+)/.exec(lab.output())?.[1];
    if (!token) throw new Error(`netlab serve did not start:\n${lab.output()}`);
    const api = { uiPort: PORTS.ui, token };
    await waitDns(PORTS.local); // the first query walks the hierarchy; from here on: cache hits

    const on = dnsperf(PORTS.local, datafile);
    results.push({ what: 'NetLab local DNS server, cache hits (capture on)', ...on });
    await callOnce(api, 'capture.configure', { enabled: false });
    const off = dnsperf(PORTS.local, datafile);
    results.push({ what: 'NetLab local DNS server, cache hits (capture off)', ...off });
    await callOnce(api, 'capture.configure', { enabled: true });

    let ref = null;
    if (have('unbound')) {
      unbound = start(which('unbound'), ['-d', '-c', unboundConf(dir)]);
      await waitDns(PORTS.unbound);
      ref = dnsperf(PORTS.unbound, datafile);
      results.push({ what: 'unbound, 1 thread, local data', ...ref });
    } else console.error('unbound is not installed (apt-get install unbound): no reference');

    console.log(`\ndnsperf -q 100 -l ${SECONDS}, one name (${NAME} A), on ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores shared with dnsperf\n`);
    console.log('| server | queries/s | completed | lost | avg latency |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const r of results) console.log(`| ${r.what} | ${fmt(r.qps)} | ${fmt(r.completed)} | ${fmt(r.lost)} | ${fmt(r.latencyMs, 2)} ms |`);
    if (ref) {
      console.log(`\nNetLab / unbound: ${fmt((on.qps / ref.qps) * 100, 0)} % with capture on, ${fmt((off.qps / ref.qps) * 100, 0)} % with it off (goal ≥ 50 %, zero loss).`);
    }
    const file = path.join(path.dirname(netlabBin()), '..', '..', 'tests', 'artifacts');
    void file;
  } finally {
    await stop(unbound);
    await stop(lab);
    fs.rmSync(dir, { recursive: true, force: true });
    dropSnapshot();
  }
}

process.on('SIGINT', () => {
  killChildren();
  killAll();
  process.exit(130);
});

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench dns: ${err.stack ?? err}`);
    killChildren();
    killAll();
    process.exit(1);
  },
);
