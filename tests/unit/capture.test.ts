import { describe, expect, it } from 'vitest';
import { LineFramer, MAX_FRAME_BYTES } from '../../src-main/lab/capture/framer';
import { MessageTable } from '../../src-main/lab/capture/table';
import { CaptureStore } from '../../src-main/lab/capture/store';
import { exportJsonl } from '../../src-main/lab/capture/export';
import { oneLine } from '../../src-main/lab/capture/text';
import { echoDecoder } from '../../src-main/lab/capture/decoders';

const b = (s: string): Buffer => Buffer.from(s);

describe('line framer', () => {
  it('frames a byte stream into lines, however the reads cut it', () => {
    const f = new LineFramer();
    expect(f.push('c2s', b('hel'))).toEqual([]);
    const frames = f.push('c2s', b('lo\r\nwor'));
    expect(frames.map((x) => x.bytes.toString())).toEqual(['hello\r\n']);
    expect(f.push('c2s', b('ld\n')).map((x) => x.bytes.toString())).toEqual(['world\n']);
  });

  it('ends a message without newline when the other side speaks (textbook TCPClient)', () => {
    const f = new LineFramer();
    expect(f.push('c2s', b('hello'))).toEqual([]);
    const frames = f.push('s2c', b('HELLO'));
    expect(frames.map((x) => [x.dir, x.bytes.toString()])).toEqual([['c2s', 'hello']]);
    expect(f.flush('s2c').map((x) => x.bytes.toString())).toEqual(['HELLO']);
  });

  it('cuts an endless line at the frame limit and says so', () => {
    const f = new LineFramer();
    const frames = f.push('c2s', Buffer.alloc(MAX_FRAME_BYTES + 10, 0x61));
    expect(frames).toHaveLength(1);
    expect(frames[0].oversized).toBe(true);
  });
});

describe('message table', () => {
  const row = (table: MessageTable, text: string, channel: number) =>
    table.push(0, channel, 1, 'c2s', 'message', text.length, -1, 0, false, undefined, Buffer.from(text));

  it('keeps the newest rows with their ids, and finds them by id', () => {
    const table = new MessageTable(3);
    const ch = table.channel('echo-tcp', 'echo', 'tcp');
    for (let i = 1; i <= 5; i++) expect(row(table, `m${i}`, ch)).toBe(i);
    expect(table.firstId).toBe(3);
    expect(table.slotOf(2)).toBe(-1);
    const first = (s: number) => table.headOf(s).toString();
    expect(first(table.slotOf(4))).toBe('m4');
    expect(table.evicted).toBe(2);
    table.resize(2);
    expect([table.firstId, table.lastId]).toEqual([4, 5]);
    expect(first(table.slotOf(4))).toBe('m4');
    expect(table.row(table.slotOf(5), (s) => `summary of ${first(s)}`)).toMatchObject({ id: 5, service: 'echo-tcp', summary: 'summary of m5' });
    table.clear();
    expect(row(table, 'after clear', ch)).toBe(6);
  });

  it('keeps every held row its own first bytes, however long the messages, over many laps and a resize', () => {
    const table = new MessageTable(50);
    const ch = table.channel('web', 'http', 'tcp');
    // lengths from 0 to 400: heads of 0 to 256 bytes packed after one another, wrapping many times
    const message = (id: number) => Buffer.from(Array.from({ length: (id * 37) % 401 }, (_, i) => (id * 7 + i) & 255));
    const check = () => {
      for (let id = table.firstId; id <= table.lastId; id++) {
        const m = message(id);
        expect(table.headOf(table.slotOf(id)).equals(m.subarray(0, 256)), `row ${id}`).toBe(true);
        expect(table.sameHead(table.slotOf(id), m, Math.min(256, m.length))).toBe(true);
      }
    };
    for (let id = 1; id <= 2000; id++) {
      const m = message(id);
      expect(table.push(0, ch, 1, 'c2s', 'message', m.length, -1, m.length, true, undefined, m)).toBe(id);
      if (id % 97 === 0) check();
    }
    check();
    table.resize(20);
    check();
    for (let id = 2001; id <= 2300; id++) table.push(0, ch, 1, 'c2s', 'message', 0, -1, 0, true, undefined, message(id));
    check();
    table.resize(80);
    for (let id = 2301; id <= 2600; id++) table.push(0, ch, 1, 'c2s', 'message', 0, -1, 0, true, undefined, message(id));
    check();
  });

  it('keeps the heads of full-length rows after a short one shifted them off the ring\'s bounds', () => {
    const table = new MessageTable(50);
    const ch = table.channel('web', 'http', 'tcp');
    // the worst case for the packed heads: every row held has a full head, and the ring wraps mid-way
    const message = (id: number) => Buffer.alloc(id % 60 === 1 ? 255 : 300, id & 255);
    for (let id = 1; id <= 400; id++) {
      table.push(0, ch, 1, 'c2s', 'message', 300, -1, 300, true, undefined, message(id));
      for (let held = table.firstId; held <= table.lastId; held++) {
        expect(table.headOf(table.slotOf(held)).equals(message(held).subarray(0, 256)), `row ${held} after ${id}`).toBe(true);
      }
    }
  });

  it('works a summary out once, only when asked', () => {
    const table = new MessageTable(4);
    const ch = table.channel('s', 'text', 'udp');
    let calls = 0;
    const id = table.push(1, ch, 2, 's2c', 'chunk', 1, -1, 0, true, () => `lazy ${++calls}`, Buffer.from('x'));
    expect(calls).toBe(0);
    const slot = table.slotOf(id);
    expect(table.row(slot, () => 'unused')).toMatchObject({ summary: 'lazy 1', transport: 'udp', dir: 's2c', kind: 'chunk', whole: true });
    expect(table.row(slot, () => 'unused').summary).toBe('lazy 1');
  });
});

describe('capture store', () => {
  it('gives a repeated short message the summary of its own bytes, kind and direction', () => {
    const store = new CaptureStore(100);
    const conn = store.openConnection({ transport: 'tcp', service: 'echo-tcp', protocol: 'echo', client: { address: '127.0.0.1', port: 5 }, server: { address: '127.0.0.1', port: 12000 } });
    const sent = ['hello\n', 'hello\n', 'hellO\n', 'hell\x01\n', 'hello\n', 'hello', '', 'x'.repeat(100), 'x'.repeat(100)];
    for (const text of sent) {
      store.record({ conn, dir: 'c2s', kind: 'message', bytes: b(text) });
      store.record({ conn, dir: 's2c', kind: 'chunk', bytes: b(text.toUpperCase()) });
    }
    const rows = store.list(0, 100).filter((m) => m.kind !== 'event');
    expect(rows.map((m) => m.summary)).toEqual(sent.flatMap((text) => [echoDecoder.summarize('message', 'c2s', b(text)), echoDecoder.summarize('chunk', 's2c', b(text.toUpperCase()))]));
    expect(rows.slice(0, 6).map((m) => m.summary)).toEqual(['hello\\n', 'HELLO\\n', 'hello\\n', 'HELLO\\n', 'hellO\\n', 'HELLO\\n']);
  });

  it('bounds memory to its limit and batches what it tells listeners', async () => {
    const store = new CaptureStore(100);
    const batches: number[] = [];
    store.onBatch((batch) => batches.push(batch.messages.length));
    const conn = store.openConnection({ transport: 'tcp', service: 'echo-tcp', protocol: 'echo', client: { address: '127.0.0.1', port: 5 }, server: { address: '127.0.0.1', port: 12000 } });
    for (let i = 0; i < 1000; i++) store.record({ conn, dir: 'c2s', kind: 'message', bytes: b(`line ${i}\r\n`) });
    expect(store.settings()).toMatchObject({ stored: 100, evicted: 900, limit: 100 });
    store.flush();
    // one batch, carrying what the ring still holds
    expect(batches).toEqual([100]);
    const detail = store.detail(1000);
    expect(detail?.summary).toBe('line 999\\r\\n');
    expect(Buffer.from(detail!.bytes, 'base64').toString()).toBe('line 999\r\n');
  });

  it('gives a listener that names its services only theirs, and builds nothing for the rest', () => {
    const store = new CaptureStore(100);
    const seen: string[] = [];
    const off = store.onBatch((batch) => seen.push(...batch.messages.map((m) => `${m.service}:${m.summary.split('\\r')[0]}`), ...batch.connections.map((c) => `conn ${c.service}`)), (service) => service === 'http');
    const echo = store.openConnection({ transport: 'tcp', service: 'echo-tcp', protocol: 'echo', client: { address: '127.0.0.1', port: 5 }, server: { address: '127.0.0.1', port: 12000 } });
    const http = store.openConnection({ transport: 'tcp', service: 'http', protocol: 'http', client: { address: '127.0.0.1', port: 6 }, server: { address: '127.0.0.1', port: 8080 } });
    store.record({ conn: echo, dir: 'c2s', kind: 'message', bytes: b('hello\r\n') });
    store.record({ conn: http, dir: 'c2s', kind: 'message', bytes: b('GET / HTTP/1.1\r\nHost: a\r\n\r\n') });
    store.record({ conn: echo, dir: 's2c', kind: 'message', bytes: b('HELLO\r\n') });
    store.flush();
    expect(seen).toEqual(['http:GET / HTTP/1.1', 'conn http']);
    // echo alone: no batch at all for this listener
    seen.length = 0;
    store.record({ conn: echo, dir: 'c2s', kind: 'message', bytes: b('again\r\n') });
    store.flush();
    expect(seen).toEqual([]);
    // a listener for everything (the UI) gets every message, the filtered one still only its own
    const all: string[] = [];
    store.onBatch((batch) => all.push(...batch.messages.map((m) => m.service)));
    store.record({ conn: echo, dir: 'c2s', kind: 'message', bytes: b('x\r\n') });
    store.record({ conn: http, dir: 's2c', kind: 'message', bytes: b('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n') });
    store.flush();
    expect(all).toEqual(['echo-tcp', 'http']);
    expect(seen).toEqual(['http:HTTP/1.1 200 OK']);
    off();
  });

  it('stores at most 64 KiB of one read and marks it truncated', () => {
    const store = new CaptureStore(10);
    const conn = store.openConnection({ transport: 'tcp', service: 's', protocol: 'text', client: { address: 'a', port: 1 }, server: { address: 'b', port: 2 } });
    const m = store.record({ conn, dir: 'c2s', kind: 'chunk', bytes: Buffer.alloc(1024 * 1024) });
    const d = store.detail(m!)!;
    expect(d.size).toBe(1024 * 1024);
    expect(d.truncated).toBe(true);
    expect(Buffer.from(d.bytes, 'base64').length).toBe(64 * 1024);
  });

  it('records nothing while capture is off', () => {
    const store = new CaptureStore(10);
    store.configure({ enabled: false });
    const conn = store.openConnection({ transport: 'udp', service: 's', protocol: 'text', client: { address: 'a', port: 1 }, server: { address: 'b', port: 2 } });
    expect(store.record({ conn, dir: 'c2s', kind: 'message', bytes: b('x') })).toBeNull();
    expect(store.settings().stored).toBe(0);
  });

  it('keeps the text of a note as its bytes, short or long, and notes nothing while capture is off', () => {
    const store = new CaptureStore(10);
    const conn = store.openConnection({ transport: 'tcp', service: 's', protocol: 'smtp', client: { address: '127.0.0.1', port: 1 }, server: { address: 'b', port: 2 } });
    const short = 'connection opened: 127.0.0.1:1 → b:2';
    const long = `socket error: ${'é'.repeat(300)}`;
    store.note(conn, 'none', short);
    store.note(conn, 'c2s', long);
    const [a, c] = store.list(0, 10).map((m) => store.detail(m.id)!);
    expect([a.summary, Buffer.from(a.bytes, 'base64').toString(), a.size, a.kind]).toEqual([short, short, Buffer.byteLength(short), 'event']);
    expect([c.summary, Buffer.from(c.bytes, 'base64').toString(), c.dir]).toEqual([long, long, 'c2s']);
    store.configure({ enabled: false });
    store.note(conn, 'none', 'connection closed');
    expect(store.settings().stored).toBe(2);
  });

  it('forgets the oldest closed connections past 20,000, never an open one', () => {
    const store = new CaptureStore(10);
    const open = (port: number) => store.openConnection({ transport: 'tcp', service: 's', protocol: 'text', client: { address: 'a', port }, server: { address: 'b', port: 2 } });
    const stays = open(0);
    const ids: number[] = [];
    for (let i = 1; i <= 20_005; i++) {
      const c = open(i);
      ids.push(c.id);
      store.closeConnection(c);
    }
    expect(ids.slice(0, 5).map((id) => store.connection(id))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(store.connection(ids[5])?.client.port).toBe(6);
    expect(store.connection(ids.at(-1)!)?.closed).toBeDefined();
    expect(store.connection(stays.id)?.closed).toBeUndefined();
    expect(store.allConnections()).toHaveLength(20_001);
  });

  it('exports JSON lines that filter by service and text', () => {
    const store = new CaptureStore(10);
    const c1 = store.openConnection({ transport: 'tcp', service: 'echo-tcp', protocol: 'echo', client: { address: 'a', port: 1 }, server: { address: 'b', port: 2 } });
    const c2 = store.openConnection({ transport: 'udp', service: 'echo-udp', protocol: 'echo', client: { address: 'a', port: 3 }, server: { address: 'b', port: 4 } });
    store.record({ conn: c1, dir: 'c2s', kind: 'message', bytes: b('hello\n') });
    store.record({ conn: c2, dir: 'c2s', kind: 'message', bytes: b('world') });
    const lines = exportJsonl(store, { service: 'echo-udp' }).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'echo-udp', summary: 'world', server: { port: 4 } });
    expect(Buffer.from(lines[0].bytes, 'base64').toString()).toBe('world');
    expect(exportJsonl(store, { text: 'HELLO' }).trim().split('\n')).toHaveLength(1);
    // the Chunks view keeps UDP datagrams (a datagram is both) and capture notes
    store.record({ conn: c1, dir: 'c2s', kind: 'chunk', bytes: b('hello\n') });
    store.note(c1, 'none', 'connection closed');
    const chunks = exportJsonl(store, { kind: 'chunk' }).trim().split('\n').map((l) => JSON.parse(l).kind);
    expect(chunks).toEqual(['message', 'chunk', 'event']);
  });

  it('shows control bytes and CRLF visibly in summaries', () => {
    expect(oneLine(Buffer.from([0x68, 0x0d, 0x0a, 0x00, 0xff]))).toBe('h\\r\\n\\x00·');
  });
});

describe('byte arena', () => {
  it('keeps the newest bytes within its size and says when older ones are gone', async () => {
    const { ByteArena } = await import('../../src-main/lab/capture/byte-arena');
    const arena = new ByteArena(16);
    const a = arena.put(b('abcdef'));
    const c = arena.put(b('ghijkl'));
    expect(arena.get(a, 6)?.toString()).toBe('abcdef');
    const d = arena.put(b('mnopqr')); // does not fit the tail: wraps to 0, overwriting 'abcdef'
    expect(arena.get(a, 6)).toBeNull();
    expect(arena.get(c, 6)?.toString()).toBe('ghijkl');
    expect(arena.get(d, 6)?.toString()).toBe('mnopqr');
    expect(() => arena.put(Buffer.alloc(17))).toThrow(RangeError);
  });

  it('a store whose arena overflowed still lists every summary and marks lost bytes; short messages keep theirs in the row', () => {
    const store = new CaptureStore(100, 1024);
    const conn = store.openConnection({ transport: 'tcp', service: 's', protocol: 'text', client: { address: 'a', port: 1 }, server: { address: 'b', port: 2 } });
    const long = (i: number): string => `message ${i} ${'x'.repeat(300)}\n`;
    store.record({ conn, dir: 'c2s', kind: 'message', bytes: b('short one\n') });
    for (let i = 0; i < 20; i++) store.record({ conn, dir: 'c2s', kind: 'message', bytes: b(long(i)) });
    expect(store.list(0, 100)).toHaveLength(21);
    expect(store.detail(2)).toMatchObject({ bytes: '', bytesDropped: true });
    expect(store.detail(2)!.summary).toMatch(/^message 0 x/);
    expect(Buffer.from(store.detail(21)!.bytes, 'base64').toString()).toBe(long(19));
    // a message that fits the row's first bytes is never lost to the arena
    expect(Buffer.from(store.detail(1)!.bytes, 'base64').toString()).toBe('short one\n');
  });
});
