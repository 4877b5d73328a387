/**
 * `netlab lab list [--json]` and `netlab lab run FILE.yaml [--json] [--data-dir DIR] [--free-ports]`:
 * a lab session headless. `run` starts the lab with the lab's scenario, prints the tasks and
 * the ports, then one line per check as it passes, until Ctrl-C or the end of stdin. Lines on
 * stdin act as the student would in the Labs tab, so a script can do a lab start to finish:
 *   answer TASK CHECK TEXT · hint TASK · status · program TASK CHECK · swarm FILE.yaml ·
 *   zone NAME FILE (save a zone, as the DNS tab does) · terminal LINE (typed into a lab terminal, whose output comes back as lines too)
 * With --json every line out is one JSON object.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import type { LabArgs } from './cli-args';
import type { LabCheckPassed, LabStatus, ServiceInfo } from './lab/api';
import { Lab, VERSION } from './lab/lab';
import { LAB_FILE_NAME } from './lab/labs/lab-names';
import { checkLabFile } from './lab/labs/lab-file';
import type { LabOrigin } from './lab/labs/lab-types';
import { defaultDataDir } from './lab/storage';
import { resourcesDir } from './paths';

const say = (json: boolean, obj: object, text: string): void => console.log(json ? JSON.stringify(obj) : text);

/** every service on a port the system picks (tests and CI never collide with a running lab) */
const FREE_PORTS = new Proxy({}, { get: () => 0 }) as Record<string, number>;

export async function runLabCli(args: LabArgs): Promise<void> {
  const dataDir = path.resolve(args.dataDir ?? defaultDataDir());
  if (args.action === 'list') {
    await list(args, dataDir);
    // the lab built to read the lists holds timers of its areas: nothing else is left to do
    process.exit(0);
  }
  return run(args, dataDir);
}

async function list(args: LabArgs, dataDir: string): Promise<void> {
  const lab = new Lab({ dataDir, resourcesDir, shell: 'browser' });
  const labs = await lab['labs.list']();
  if (args.json) return void console.log(JSON.stringify(labs));
  for (const l of labs) {
    const state = l.error ? `line ${l.error.line}: ${l.error.message}` : `${l.passedChecks}/${l.totalChecks} checks passed`;
    console.log(`  ${l.origin.padEnd(7)}  ${l.file.padEnd(22)}  ${`${l.title} (${l.section})`.padEnd(56)}  ${state}`);
  }
}

/** FILE.yaml on disk; or a lab's name from the lists (shipped first) */
async function locate(file: string, dataDir: string): Promise<{ origin: LabOrigin; name: string; text: string } | null> {
  const abs = path.resolve(file);
  const text = await fs.readFile(abs, 'utf8').catch(() => null);
  const shipped = path.join(resourcesDir, 'labs');
  if (text !== null) return { origin: path.dirname(abs) === shipped ? 'shipped' : 'user', name: path.basename(abs), text };
  for (const [origin, dir] of [['shipped', shipped], ['user', path.join(dataDir, 'labs')]] as const) {
    if (!LAB_FILE_NAME.test(file)) break;
    const t = await fs.readFile(path.join(dir, file), 'utf8').catch(() => null);
    if (t !== null) return { origin, name: file, text: t };
  }
  return null;
}

function tasksText(s: LabStatus): string {
  const lines = [`Lab: ${s.title} (${s.section})`, ''];
  s.tasks.forEach((t, i) => {
    lines.push(`  ${i + 1}. [${t.id}] ${t.title}${t.passed ? '  ✓' : ''}`);
    for (const c of t.checks) lines.push(`       ${c.passed ? '✓' : '○'} ${c.id}: ${c.label}${c.question ? `\n           ? ${c.question.trim().split('\n')[0]}` : ''}`);
  });
  return lines.join('\n');
}

function portsText(services: ServiceInfo[]): string {
  return services.map((s) => `  ${s.id.padEnd(22)} ${s.transport.padEnd(4)} ${String(s.port).padEnd(6)} ${s.state}${s.error ? ` (${s.error})` : ''}`).join('\n');
}

async function run(args: LabArgs, dataDir: string): Promise<void> {
  const found = await locate(args.file!, dataDir);
  if (!found) {
    console.error(`netlab: lab run: no lab file ${args.file}`);
    process.exit(2);
  }
  const checked = checkLabFile(found.text);
  if (!checked.ok) {
    console.error(`netlab: lab ${args.file}: line ${checked.error.line}: ${checked.error.message}`);
    process.exit(2);
  }
  const lab = new Lab({ dataDir, resourcesDir, shell: 'browser', ...(args.freePorts ? { ports: FREE_PORTS } : {}) });
  const json = args.json;
  // passes while the lab opens (state already there) are printed after the header
  let ready = false;
  const early: LabCheckPassed[] = [];
  const printPass = (p: LabCheckPassed): void => {
    const label = lab.labs.status()?.tasks.find((t) => t.id === p.task)?.checks.find((c) => c.id === p.check)?.label ?? '';
    say(json, { lab: p.file, task: p.task, check: p.check, passed: true, passedAt: p.passedAt, evidence: p.evidence }, `✓ ${p.task}/${p.check}: ${label}`);
  };
  lab.on('labs.passed', (p) => (ready ? printPass(p) : early.push(p)));
  // a swarm run started with `swarm FILE.yaml` ends with its result, per peer, as the P2P tab shows it
  lab.on('swarm.result', (r) => {
    const peers = r.peers.filter((p) => p.role === 'leecher').map(({ name, freeRider, completionTime, regularShare }) => ({ name, freeRider, completionTime, regularShare }));
    const text = peers.map((p) => `${p.name}${p.freeRider ? ' (free-rider)' : ''} ${p.completionTime === null ? 'never completed' : `${p.completionTime.toFixed(3)} s`}, tit-for-tat ${Math.round(p.regularShare * 100)} %`);
    say(json, { swarm: r.name, distributionTime: r.distributionTime, peers }, `swarm ${r.name}: distributed in ${r.distributionTime?.toFixed(3) ?? '—'} s\n  ${text.join('\n  ')}`);
  });
  await lab.start();
  let status: LabStatus;
  try {
    status = await lab.labs.open(found.origin, found.name, found.text);
  } catch (err) {
    console.error(`netlab: lab ${args.file}: ${(err as Error).message}`);
    await lab.shutdown();
    process.exit(2);
  }
  const services = await lab['services.list']();
  const ports = Object.fromEntries(services.map((s) => [s.id, s.port]));
  say(
    json,
    { lab: found.name, origin: found.origin, title: status.title, section: status.section, dataDir, ports, tasks: status.tasks },
    `NetLab ${VERSION}: data directory ${dataDir}\n\n${tasksText(status)}\n\nPorts:\n${portsText(services)}\n\nCommands: answer TASK CHECK TEXT · hint TASK · status · program TASK CHECK · swarm FILE.yaml · zone NAME FILE · terminal LINE. Ctrl-C to stop.`,
  );
  ready = true;
  early.forEach(printPass);

  let stopping = false;
  const stop = async (code = 0): Promise<void> => {
    if (stopping) process.exit(130);
    stopping = true;
    await lab.shutdown();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue.then(() => command(lab, line, json));
  });
  rl.on('close', () => void queue.then(() => stop(0)));
}

/** the lab terminal a script types into (opened on its first `terminal` command) */
let terminal: number | null = null;

async function typeInTerminal(lab: Lab, line: string, json: boolean): Promise<void> {
  if (terminal === null) {
    const session = (await lab['terminal.open']({ cols: 120, rows: 40 })).session;
    terminal = session;
    lab.on('terminal.output', (o) => {
      if (o.session !== session) return;
      lab['terminal.ack'](session, o.data.length).catch(() => undefined);
      say(json, { terminal: o.data }, o.data.replace(/\n$/, ''));
    });
  }
  await lab['terminal.input'](terminal, `${line}\r`);
}

async function command(lab: Lab, raw: string, json: boolean): Promise<void> {
  if (/^terminal( |$)/.test(raw)) return typeInTerminal(lab, raw.replace(/^terminal ?/, ''), json);
  const line = raw.trim();
  if (!line) return;
  const [cmd, a = '', b = '', ...rest] = line.split(/\s+/);
  const text = line.split(/\s+/).length > 3 ? line.replace(/^\S+\s+\S+\s+\S+\s+/, '') : rest.join(' ');
  try {
    switch (cmd) {
      case 'answer': {
        const r = await lab['labs.answer'](a, b, text);
        return say(json, { command: 'answer', task: a, check: b, correct: r.correct, message: r.message }, `${r.correct ? '✓' : '✗'} ${r.message}`);
      }
      case 'hint': {
        const s = await lab['labs.hint'](a);
        const t = s.tasks.find((x) => x.id === a)!;
        const hint = t.hintsShown.at(-1) ?? null;
        return say(json, { command: 'hint', task: a, hint, hintsLeft: t.hintsLeft }, hint ? `Hint: ${hint}` : 'No hints for this task.');
      }
      case 'status': {
        const s = await lab['labs.status']();
        return say(json, { command: 'status', status: s }, s ? tasksText(s) : 'no lab open');
      }
      case 'program': {
        const s = await lab['labs.runProgram'](a, b);
        const c = s.tasks.find((x) => x.id === a)?.checks.find((x) => x.id === b);
        return say(json, { command: 'program', task: a, check: b, passed: c?.passed ?? false, detail: c?.detail ?? '' }, `${c?.passed ? '✓' : '✗'} ${c?.detail ?? ''}`);
      }
      case 'swarm': {
        const file = line.replace(/^\S+\s+/, '');
        const scenario = await fs.readFile(path.resolve(file), 'utf8').catch(() => fs.readFile(path.join(resourcesDir, 'scenarios', file), 'utf8'));
        const st = await lab['swarm.start'](scenario);
        return say(json, { command: 'swarm', running: st.running }, st.running ? 'swarm: running' : 'swarm: not started');
      }
      case 'zone': {
        const r = await lab['dns.saveZone'](a, await fs.readFile(path.resolve([b, ...rest].join(' ')), 'utf8'));
        return say(json, { command: 'zone', zone: a, ok: r.ok, ...(r.ok ? {} : { errors: r.errors }) }, r.ok ? `zone ${a} saved` : `zone ${a}: ${r.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
      }
      default:
        return say(json, { command: cmd, error: `unknown command ${cmd}` }, `unknown command ${cmd}: answer TASK CHECK TEXT · hint TASK · status · program TASK CHECK · swarm FILE.yaml`);
    }
  } catch (err) {
    say(json, { command: cmd, error: (err as Error).message }, `${cmd}: ${(err as Error).message}`);
  }
}
