/**
 * The soak's background loads, each at a moderate, bounded rate (two cores are shared with
 * the lab): wrk on the web server, the proxy and the tracker (few connections, a Lua `delay()`
 * between requests: wrk has no rate flag), dnsperf capped with -Q, and a swarm run through
 * the API again and again. Each stops by itself at `seconds`, or earlier on `stop()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { connectApi, sleep } from './lab.mjs';
import { start, stop } from './proc.mjs';

/** wrk, `connections` connections each waiting `delayMs` between requests (≈ connections × 1000 / delayMs req/s) */
function wrkPaced(dir, name, url, { connections, delayMs, seconds, lua = '' }) {
  const script = path.join(dir, `${name}.lua`);
  fs.writeFileSync(script, `${lua}\nfunction delay()\n  return ${delayMs}\nend\n`);
  const p = start('wrk', ['-t1', `-c${connections}`, `-d${Math.ceil(seconds)}s`, '--timeout', '5s', '-s', script, url]);
  return { name, kind: 'wrk', p, rate: `≈ ${Math.round((connections * 1000) / delayMs)} req/s, ${connections} conns` };
}

function wrkFigures(out) {
  const num = (re) => Number(re.exec(out)?.[1] ?? NaN);
  return {
    requests: num(/(\d+) requests in/),
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/) || 0,
    socketErrors: /Socket errors: (.*)/.exec(out)?.[1] ?? 'none',
  };
}

function dnsperfFigures(out) {
  const num = (re) => Number(re.exec(out)?.[1] ?? NaN);
  return {
    sent: num(/Queries sent:\s+(\d+)/),
    completed: num(/Queries completed:\s+(\d+)/),
    lost: num(/Queries lost:\s+(\d+)/),
    qps: num(/Queries per second:\s+([\d.]+)/),
  };
}

const ANNOUNCE_LUA = `local n = 0
request = function()
  n = n + 1
  local h = string.format("%%%02x", n % 16) .. "%12%34%56%78%9a%bc%de%f0%12%34%56%78%9a%bc%de%f0%12%34%56"
  local peer = string.format("-SK0001-%012d", n % 500)
  return wrk.format("GET", "/announce?info_hash=" .. h .. "&peer_id=" .. peer .. "&port=" .. (10000 + n % 500) .. "&uploaded=0&downloaded=0&left=1000&compact=1&numwant=20")
end`;

/** an API call that gives up after `ms` (a killed lab never answers) */
function timed(promise, ms) {
  let t;
  return Promise.race([promise, new Promise((_, rej) => (t = setTimeout(() => rej(new Error(`no answer in ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}

/**
 * The swarm: the shipped scenario, started through the API, waited for, started again.
 * Reconnects to whichever lab runs now (`lab.api` changes at each restart).
 */
function swarmLoop(lab, text, until) {
  const stats = { started: 0, finished: 0, errors: 0, lastError: '' };
  let stopped = false;
  const running = () => !stopped && Date.now() < until;
  const done = (async () => {
    while (running()) {
      const api = lab.api;
      if (!api) {
        await sleep(500);
        continue;
      }
      let conn;
      try {
        conn = await connectApi(api);
        const st = await timed(conn.call('swarm.state'), 10_000);
        if (!st.running) {
          await timed(conn.call('swarm.start', text), 10_000);
          stats.started++;
        }
        // wait for the run's end, polling (the lab may be killed meanwhile: then reconnect)
        for (;;) {
          await sleep(1000);
          if (!running()) break;
          const s = await timed(conn.call('swarm.state'), 10_000);
          if (!s.running) {
            stats.finished++;
            break;
          }
        }
      } catch (err) {
        stats.errors++;
        stats.lastError = err.message.slice(0, 200);
        await sleep(1000);
      } finally {
        await timed(conn?.close() ?? Promise.resolve(), 2000).catch(() => undefined);
      }
    }
  })();
  return {
    name: 'swarm',
    kind: 'swarm',
    stats,
    rate: 'one run at a time',
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

/** every load; returns { loads, stop() → figures by load } */
export function startLoads({ dir, ports, lab, seconds, swarmText }) {
  const until = Date.now() + seconds * 1000;
  const web = `http://127.0.0.1:${ports.http}/`;
  const loads = [
    wrkPaced(dir, 'http', web, { connections: 2, delayMs: 20, seconds }),
    wrkPaced(dir, 'proxy', `http://127.0.0.1:${ports.proxy}/`, {
      connections: 2,
      delayMs: 40,
      seconds,
      lua: `wrk.path = "${web}"\nwrk.headers["Host"] = "127.0.0.1:${ports.http}"`,
    }),
    wrkPaced(dir, 'tracker', `http://127.0.0.1:${ports.tracker}`, { connections: 2, delayMs: 40, seconds, lua: ANNOUNCE_LUA }),
  ];
  const names = path.join(dir, 'dns-queries.txt');
  fs.writeFileSync(names, ['gaia.cs.umass.edu A', 'www.someschool.edu A', 'hamburger.edu MX', 'www.networkutopia.com A', 'crepes.fr MX'].join('\n') + '\n');
  loads.push({
    name: 'dns',
    kind: 'dnsperf',
    rate: '≤ 200 queries/s (-Q), 2 in flight',
    p: start('dnsperf', ['-s', '127.0.0.1', '-p', String(ports['dns-local']), '-d', names, '-l', String(Math.ceil(seconds)), '-Q', '200', '-q', '2', '-t', '2']),
  });
  const swarm = swarmLoop(lab, swarmText, until);
  loads.push(swarm);
  return {
    loads,
    async stop() {
      const figures = {};
      // wrk and dnsperf print their totals on SIGINT
      await Promise.all(loads.filter((l) => l.p).map((l) => stop(l.p, 'SIGINT')));
      await swarm.stop();
      for (const l of loads) {
        if (l.kind === 'wrk') figures[l.name] = { rate: l.rate, ...wrkFigures(l.p.output()) };
        else if (l.kind === 'dnsperf') figures[l.name] = { rate: l.rate, ...dnsperfFigures(l.p.output()) };
        else figures[l.name] = { rate: l.rate, ...l.stats };
      }
      return figures;
    },
  };
}
