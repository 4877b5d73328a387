/**
 * Health probes of every service the soak loads, each a real client's first exchange:
 * HTTP GET, the same GET through the proxy, a DNS query over UDP, the SMTP banner (submission
 * and hamburger.edu's MX), the POP3 banner, a UDP echo round trip, a tracker announce.
 * `probeAll` retries each until its first good answer and reports how long that took.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { sleep } from './lab.mjs';

const ATTEMPT_MS = 1000;

function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([promise, new Promise((_, rej) => (t = setTimeout(() => rej(new Error(`${what}: no answer in ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}

async function httpOk(url, init) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(ATTEMPT_MS) });
  const body = await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return body;
}

/** the first line a TCP server says (a banner) */
function banner(port, re) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    let got = '';
    s.on('error', reject);
    s.on('close', () => reject(new Error(`closed before a banner: ${JSON.stringify(got)}`)));
    s.on('data', (d) => {
      got += d;
      if (got.includes('\r\n')) {
        s.destroy();
        if (re.test(got)) resolve(got);
        else reject(new Error(`banner ${JSON.stringify(got)}`));
      }
    });
  });
}

function udpExchange(port, payload, good) {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const t = setTimeout(() => {
      s.close();
      reject(new Error('no datagram'));
    }, ATTEMPT_MS);
    s.on('error', (err) => {
      clearTimeout(t);
      s.close();
      reject(err);
    });
    s.on('message', (m) => {
      clearTimeout(t);
      s.close();
      if (good(m)) resolve(m);
      else reject(new Error('bad datagram'));
    });
    s.send(payload, port, '127.0.0.1');
  });
}

/** the probes, by name: each an async function that throws unless the answer is good */
export function probes(ports) {
  const site = `http://127.0.0.1:${ports.http}/`;
  return {
    http: () => httpOk(site),
    // the proxy fetches the lab's web server (a cache hit after the first)
    proxy: () =>
      new Promise((resolve, reject) => {
        const s = net.connect({ port: ports.proxy, host: '127.0.0.1' });
        let got = '';
        s.on('error', reject);
        s.on('data', (d) => {
          got += d;
          if (got.includes('\r\n')) {
            s.destroy();
            if (/^HTTP\/1\.[01] 200/.test(got)) resolve();
            else reject(new Error(got.split('\r\n')[0]));
          }
        });
        s.write(`GET ${site} HTTP/1.1\r\nHost: 127.0.0.1:${ports.http}\r\nConnection: close\r\n\r\n`);
      }),
    dns: () => {
      const id = Math.floor(Math.random() * 65535);
      const q = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'gaia.cs.umass.edu' }] });
      return udpExchange(ports['dns-local'], q, (m) => {
        const p = dnsPacket.decode(m);
        return p.id === id && p.rcode === 'NOERROR' && p.answers.some((a) => a.type === 'A');
      });
    },
    smtp: () => banner(ports.smtp, /^220 /),
    'smtp-mx': () => banner(ports['smtp-hamburger'], /^220 /),
    pop3: () => banner(ports.pop3, /^\+OK/),
    'udp-echo': () => udpExchange(ports['echo-udp'], Buffer.from('probe\n'), (m) => m.toString() === 'PROBE\n'),
    tracker: async () => {
      const hash = '%12%34%56%78%9a%bc%de%f0%12%34%56%78%9a%bc%de%f0%12%34%56%78';
      const body = Buffer.from(await httpOk(`http://127.0.0.1:${ports.tracker}/announce?info_hash=${hash}&peer_id=-SK0001-000000000001&port=6881&uploaded=0&downloaded=0&left=0&compact=1`));
      if (!body.includes('interval') || body.includes('failure reason')) throw new Error(`announce: ${body.toString('latin1').slice(0, 100)}`);
    },
  };
}

/**
 * Every probe in parallel, each retried (every 50 ms, each attempt ≤ 1 s) until its first good
 * answer or `giveUpMs`: name → ms from `t0` to that answer (null: never answered).
 */
export async function probeAll(ports, t0 = performance.now(), giveUpMs = 30_000) {
  const table = probes(ports);
  const entries = await Promise.all(
    Object.entries(table).map(async ([name, probe]) => {
      let lastError = '';
      while (performance.now() - t0 < giveUpMs) {
        try {
          await withTimeout(probe(), ATTEMPT_MS + 200, name);
          return [name, { ms: performance.now() - t0 }];
        } catch (err) {
          lastError = err.message;
          await sleep(50);
        }
      }
      return [name, { ms: null, error: lastError }];
    }),
  );
  return Object.fromEntries(entries);
}
