/**
 * Load generators: sequential request/reply round trips ("hello\n" → "HELLO\n") on
 * persistent TCP connections or connected UDP sockets, one outstanding request per socket.
 */
import dgram from 'node:dgram';
import net from 'node:net';

const MSG = Buffer.from('hello\n');
const REPLY = 'HELLO\n';

export async function openTcp(port, n) {
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolve, reject) => {
          const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
  for (const s of sockets) {
    s.setNoDelay(true);
    s.on('error', () => undefined);
  }
  // the echo must really be in persistent mode and answer in capitals
  for (const s of sockets) {
    const reply = await new Promise((resolve, reject) => {
      let got = '';
      const t = setTimeout(() => reject(new Error(`no echo reply on TCP ${port}`)), 3000);
      const h = (d) => {
        got += d;
        if (got.length >= REPLY.length) {
          clearTimeout(t);
          s.off('data', h);
          resolve(got);
        }
      };
      s.on('data', h);
      s.write(MSG);
    });
    if (reply !== REPLY) throw new Error(`TCP echo answered ${JSON.stringify(reply)}, expected ${JSON.stringify(REPLY)}`);
  }
  return sockets;
}

export async function openUdp(port, n) {
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolve, reject) => {
          const s = dgram.createSocket('udp4');
          s.once('error', reject);
          s.connect(port, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  for (const s of sockets) {
    const reply = await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no echo reply on UDP ${port}`)), 3000);
      s.once('message', (m) => {
        clearTimeout(t);
        resolve(m.toString());
      });
      s.send(MSG);
    });
    if (reply !== REPLY) throw new Error(`UDP echo answered ${JSON.stringify(reply)}`);
  }
  return sockets;
}

/**
 * Round trips for `durationMs`, or until `total` replies, or until `stop()` says so;
 * returns { rts, ms, lost, maxGapMs }.
 * Each socket sends its next request as soon as its reply is complete.
 */
export function roundTrips(kind, sockets, { durationMs, total, stop }) {
  return new Promise((resolve) => {
    const start = performance.now();
    const stopAt = durationMs ? start + durationMs : Infinity;
    let rts = 0;
    let sent = 0;
    let lost = 0;
    let active = sockets.length;
    // the longest wait between two replies: how long the lab stopped answering
    let lastReply = start;
    let maxGapMs = 0;
    const replied = () => {
      const now = performance.now();
      if (now - lastReply > maxGapMs) maxGapMs = now - lastReply;
      lastReply = now;
    };
    const more = () => !stop?.() && (total !== undefined ? sent < total : performance.now() < stopAt);
    const detach = [];
    let watchdog = null;
    const finishOne = () => {
      if (--active > 0) return;
      const ms = performance.now() - start;
      for (const d of detach) d();
      if (watchdog) clearInterval(watchdog);
      resolve({ rts, ms, lost, maxGapMs });
    };
    if (kind === 'tcp') {
      for (const s of sockets) {
        let got = 0;
        const onData = (chunk) => {
          got += chunk.length;
          while (got >= MSG.length) {
            got -= MSG.length;
            rts++;
            replied();
            if (more()) {
              sent++;
              s.write(MSG);
            } else finishOne();
          }
        };
        s.on('data', onData);
        detach.push(() => s.off('data', onData));
      }
    } else {
      // a datagram lost on loopback (full socket buffer) would stall its socket: resend
      const lastSent = new Map();
      const outstanding = new Set();
      for (const s of sockets) {
        const onMessage = () => {
          if (!outstanding.delete(s)) return; // a late duplicate of a resent request
          rts++;
          replied();
          if (more()) {
            sent++;
            outstanding.add(s);
            lastSent.set(s, performance.now());
            s.send(MSG);
          } else finishOne();
        };
        s.on('message', onMessage);
        detach.push(() => s.off('message', onMessage));
      }
      watchdog = setInterval(() => {
        const now = performance.now();
        for (const s of outstanding) {
          if (now - lastSent.get(s) > 200) {
            lost++;
            lastSent.set(s, now);
            s.send(MSG);
          }
        }
      }, 100);
      for (const s of sockets) {
        outstanding.add(s);
        lastSent.set(s, performance.now());
      }
    }
    for (const s of sockets) {
      sent++;
      if (kind === 'tcp') s.write(MSG);
      else s.send(MSG);
    }
  });
}

export function closeAll(kind, sockets) {
  return Promise.all(
    sockets.map(
      (s) =>
        new Promise((resolve) => {
          if (kind === 'tcp') {
            s.once('close', resolve);
            s.end();
            setTimeout(() => {
              s.destroy();
              resolve();
            }, 1000).unref();
          } else s.close(resolve);
        }),
    ),
  );
}
