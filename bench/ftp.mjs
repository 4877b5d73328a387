/**
 * FTP benchmark (issue 15): RETR of a 100 MiB file over loopback, passive (EPSV), fetched by
 * curl, from the lab's FTP server with capture on (a data connection keeps its first 1 KiB)
 * and side by side with vsftpd serving the same file. Goal: ≥ 0.8× vsftpd's throughput.
 * FTP_BENCH_ROUNDS rounds (default 5), the order alternating, medians compared; the servers' CPU per 100 MiB from /proc beside the rates.
 *
 * Runs `netlab serve` with FTP on 28621 (UI 7751) and vsftpd on 28622, both on 127.0.0.1.
 * Needs Debian's vsftpd package (no daemon of it is enabled; it runs here in the
 * foreground as this user, run_as_launching_user). Prints a table; exits 0 unless broken.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dropSnapshot, killAll, snapshotBuild, sleep, tempDir } from './lib/lab.mjs';
import { startServeWith } from './lib/serve.mjs';
import { startReference } from './lib/reference.mjs';

const VSFTPD = '/usr/sbin/vsftpd';
const LAB_PORT = 28621;
const VSFTPD_PORT = 28622;
const UI_PORT = 7751;
const SIZE = 100 * 1024 * 1024;
const ROUNDS = Math.max(1, Number(process.env.FTP_BENCH_ROUNDS ?? 5));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU time (ms) a server process used, with its children that have ended (vsftpd forks a
 *  process per session and reaps it): utime + stime + cutime + cstime from /proc */
function cpuMs(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / 100;
}

/** one RETR timed by curl (MiB/s) and the server's CPU for it (ms per 100 MiB) */
async function timed(port, pid) {
  const c0 = cpuMs(pid);
  const rate = await fetch(port);
  // vsftpd's session process is reaped just after the transfer: give it a moment
  await sleep(200);
  return { rate, cpu: ((cpuMs(pid) - c0) * (100 * 1024 * 1024)) / SIZE };
}

/** curl's own measure of one RETR, in MiB/s; the file must arrive whole */
function fetch(port) {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-sS', '-o', '/dev/null', '-w', '%{size_download} %{speed_download}', `ftp://127.0.0.1:${port}/big.bin`]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const [size, speed] = out.trim().split(' ').map(Number);
      if (code !== 0 || size !== SIZE) reject(new Error(`curl from port ${port}: exit ${code}, ${size} bytes: ${err}`));
      else resolve(speed / (1024 * 1024));
    });
  });
}

function writeBig(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31) & 255;
  const fd = fs.openSync(path.join(dir, 'big.bin'), 'w');
  for (let i = 0; i < SIZE / block.length; i++) fs.writeSync(fd, block);
  fs.closeSync(fd);
}

function startVsftpd() {
  const dir = tempDir('vsftpd');
  const root = path.join(dir, 'pub');
  writeBig(root);
  fs.chmodSync(root, 0o555);
  const empty = path.join(dir, 'empty');
  fs.mkdirSync(empty);
  const conf = path.join(dir, 'vsftpd.conf');
  fs.writeFileSync(conf, [
    'listen=YES', 'listen_ipv6=NO', 'listen_address=127.0.0.1', `listen_port=${VSFTPD_PORT}`, 'background=NO',
    'run_as_launching_user=YES', 'anonymous_enable=YES', 'no_anon_password=YES', `anon_root=${root}`, 'local_enable=NO',
    'write_enable=NO', 'pasv_enable=YES', 'seccomp_sandbox=NO', `secure_chroot_dir=${empty}`, 'xferlog_enable=NO', '',
  ].join('\n'));
  return startReference(dir, VSFTPD, [conf]);
}

async function main() {
  if (!fs.existsSync(VSFTPD)) {
    console.log('ftp bench: vsftpd is not installed (apt-get install vsftpd) — skipped');
    return;
  }
  await snapshotBuild();
  const lab = await startServeWith({ label: 'ftp', ports: { ftp: LAB_PORT }, uiPort: UI_PORT });
  writeBig(path.join(lab.dir, 'data', 'ftp', 'pub'));
  const vsftpd = startVsftpd();
  await sleep(300);
  const rows = [];
  try {
    await fetch(LAB_PORT); // a running server is warm
    for (let round = 1; round <= ROUNDS; round++) {
      // the order alternates, so other work on the machine falls on both alike
      const run = { lab: () => timed(LAB_PORT, lab.pid), vsftpd: () => timed(VSFTPD_PORT, vsftpd.pid).catch((e) => { throw new Error(`${e.message} ${vsftpd.error()}`); }) };
      const order = round % 2 ? ['lab', 'vsftpd'] : ['vsftpd', 'lab'];
      const got = {};
      for (const k of order) got[k] = await run[k]();
      rows.push({ round, lab: got.lab.rate, vsftpd: got.vsftpd.rate, labCpu: got.lab.cpu, vsftpdCpu: got.vsftpd.cpu });
    }
  } finally {
    await vsftpd.stop();
    await lab.stop();
    dropSnapshot();
  }
  console.log('RETR 100 MiB, passive, curl, 127.0.0.1 (MiB/s; lab capture on; server CPU ms per 100 MiB from /proc)\n');
  console.log('round   lab      vsftpd   lab/vsftpd   CPU lab  CPU vsftpd');
  for (const r of rows) console.log(`${String(r.round).padEnd(8)}${r.lab.toFixed(0).padEnd(9)}${r.vsftpd.toFixed(0).padEnd(9)}${(r.lab / r.vsftpd).toFixed(2).padEnd(13)}${r.labCpu.toFixed(0).padEnd(9)}${r.vsftpdCpu.toFixed(0)}`);
  const m = (k) => median(rows.map((r) => r[k]));
  const ratio = median(rows.map((r) => r.lab / r.vsftpd));
  console.log(`median  ${m('lab').toFixed(0).padEnd(9)}${m('vsftpd').toFixed(0).padEnd(9)}${ratio.toFixed(2).padEnd(13)}${m('labCpu').toFixed(0).padEnd(9)}${m('vsftpdCpu').toFixed(0)}   (goal ≥ 0.80; ratio: median of the rounds' own)`);
}

main().catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});
