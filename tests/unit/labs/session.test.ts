/**
 * The session on a real capture store: messages pushed in the store's batches reach the
 * checks once; an exchange whose close comes in the same batch as its reply still passes;
 * a passed check is saved with its messages for the report.
 */
import { describe, expect, it } from 'vitest';
import { CaptureStore } from '../../../src-main/lab/capture/store';
import { parseLabFile } from '../../../src-main/lab/labs/lab-file';
import { emptyProgress, type LabProgress } from '../../../src-main/lab/labs/lab-progress';
import { LabSession } from '../../../src-main/lab/labs/lab-session';
import type { LabCheckPassed } from '../../../src-main/lab/labs/lab-types';

const LAB = `title: t
section: s
tasks:
  - id: web
    title: a GET
    instructions: fetch
    checks:
      - kind: traffic
        id: got
        label: GET answered 200
        service: http
        steps: [{ pattern: "^GET /a", reply: { pattern: "^HTTP/1.1 200" } }]
`;

function setup() {
  const store = new CaptureStore(1000);
  const passed: LabCheckPassed[] = [];
  const saved: LabProgress[] = [];
  const state = {} as never;
  const session = new LabSession('t.yaml', 'user', parseLabFile(LAB), emptyProgress(), {
    store,
    state,
    save: (p) => saved.push(structuredClone(p)),
    status: () => undefined,
    passed: (p) => passed.push(p),
  });
  return { store, session, passed, saved };
}

function exchange(store: CaptureStore, request: string, reply: string) {
  const conn = store.openConnection({ transport: 'tcp', service: 'http', protocol: 'http', client: { address: '127.0.0.1', port: 50000 }, server: { address: '127.0.0.1', port: 8080 } });
  store.record({ conn, dir: 'c2s', kind: 'message', bytes: Buffer.from(request) });
  // the request in one batch; the reply and the close in the next (as a short exchange often goes)
  store.flush();
  store.record({ conn, dir: 's2c', kind: 'message', bytes: Buffer.from(reply) });
  store.closeConnection(conn);
  store.flush();
}

describe('lab session', () => {
  it('passes on an exchange whose reply comes in the same batch as its close, and keeps its messages', () => {
    const { store, session, passed, saved } = setup();
    exchange(store, 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(passed).toHaveLength(1);
    expect(passed[0]).toMatchObject({ task: 'web', check: 'got', evidence: [1, 2] });
    const kept = saved.at(-1)!.checks['web/got'];
    expect(kept.messages?.map((m) => m.summary)).toEqual([expect.stringMatching(/^GET \/a/), expect.stringMatching(/^HTTP\/1.1 200/)]);
    expect(session.status().tasks[0].passed).toBe(true);
    session.close();
  });

  it('a 404 does not pass, and a closed session hears nothing more', () => {
    const { store, session, passed } = setup();
    exchange(store, 'GET /a HTTP/1.1\r\n\r\n', 'HTTP/1.1 404 Not Found\r\n\r\n');
    expect(passed).toHaveLength(0);
    session.close();
    exchange(store, 'GET /a HTTP/1.1\r\n\r\n', 'HTTP/1.1 200 OK\r\n\r\n');
    expect(passed).toHaveLength(0);
  });
});
