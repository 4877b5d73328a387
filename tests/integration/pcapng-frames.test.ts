/**
 * The pcapng writer on the cases a short session does not show (issue 14), each file read by
 * the real tshark: a read larger than the MSS, a message the capture kept only the head of,
 * a datagram the link emulation dropped, a connection over ::1, a peer-wire connection with
 * no open/close notes, a lab note on a TCP connection. No malformed frame, no TCP complaint.
 */
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src-main/lab/api';
import { CaptureStore } from '../../src-main/lab/capture/store';
import { exportPcapng } from '../../src-main/lab/capture/pcapng';
import { MSS } from '../../src-main/lab/capture/pcapng-frames';
import { SECTION_COMMENT } from '../../src-main/lab/capture/pcapng-writer';
import { tsharkComplaints, tsharkFields, writeTemp } from '../helpers/tshark';

const local = (port: number, more: Partial<Endpoint> = {}): Endpoint => ({ address: '127.0.0.1', port, ...more });

function tcpSession(store: CaptureStore, service: string, protocol: string, client: Endpoint, server: Endpoint, exchange: (conn: ReturnType<CaptureStore['openConnection']>) => void): void {
  const conn = store.openConnection({ transport: 'tcp', service, protocol, client, server });
  store.note(conn, 'none', `connection opened: ${client.address}:${client.port} → ${server.address}:${server.port}`);
  exchange(conn);
  store.note(conn, 'none', 'connection closed');
  store.closeConnection(conn);
}

describe('pcapng frames', () => {
  it('splits a large read at the MSS, pads a cut message with zeros, and tshark reassembles the HTTP request', async () => {
    const store = new CaptureStore();
    const body = 'x'.repeat(4000);
    const request = `POST /upload HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    tcpSession(store, 'http', 'http', local(40000), local(8080, { name: 'gaia.cs.umass.edu', virtualAddress: '128.119.40.205', virtualPort: 80 }), (conn) => {
      store.record({ conn, dir: 'c2s', kind: 'chunk', bytes: Buffer.from(request) });
      store.note(conn, 'none', 'the server stores the upload');
      // the capture kept only the head of this response: its size still says how long it was
      const response = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n${'y'.repeat(3000)}`);
      store.record({ conn, dir: 's2c', kind: 'chunk', bytes: response, keep: 100 });
    });
    const file = await writeTemp('big.pcapng', exportPcapng(store, {}, 'test'));
    const c2s = await tsharkFields(file, 'tcp.len > 0 && tcp.dstport == 80', ['tcp.len']);
    const total = request.length;
    expect(c2s.map((r) => Number(r[0]))).toEqual([MSS, MSS, total - 2 * MSS]);
    const post = await tsharkFields(file, 'http.request.method == "POST"', ['ip.dst', 'http.content_length', 'tcp.reassembled.length']);
    expect(post).toEqual([['128.119.40.205', '4000', String(total)]]);
    const response = await tsharkFields(file, 'http.response.code == 200', ['http.content_length']);
    expect(response).toEqual([['3000']]);
    const comments = (await tsharkFields(file, 'frame.comment', ['frame.comment'])).map((r) => r[0]).join('\n');
    expect(comments).toContain('NetLab: the server stores the upload');
    expect(comments).toMatch(/kept the first 100 of these \d+ bytes/);
    expect(await tsharkComplaints(file)).toBe('');
  });

  it('writes a dropped datagram with its note, and ::1 as IPv6', async () => {
    const store = new CaptureStore();
    const conn = store.openConnection({ transport: 'udp', service: 'echo-udp', protocol: 'echo', client: { address: '::1', port: 50000 }, server: { address: '::1', port: 12000 } });
    store.record({ conn, dir: 'c2s', kind: 'message', bytes: Buffer.from('hello\n') });
    store.record({ conn, dir: 's2c', kind: 'message', bytes: Buffer.from('HELLO\n') });
    store.note(conn, 'c2s', 'datagram lost (loss 30%)', Buffer.from('again\n'));
    const file = await writeTemp('udp6.pcapng', exportPcapng(store, {}, 'test'));
    // udp.payload: Wireshark takes port 12000 for LLC, so the bytes are read below the dissector
    const rows = await tsharkFields(file, 'udp', ['ipv6.src', 'ipv6.dst', 'udp.srcport', 'udp.dstport', 'udp.payload', 'frame.comment']);
    expect(rows.map((r) => r.slice(0, 5))).toEqual([
      ['::1', '::1', '50000', '12000', Buffer.from('hello\n').toString('hex')],
      ['::1', '::1', '12000', '50000', Buffer.from('HELLO\n').toString('hex')],
      ['::1', '::1', '50000', '12000', Buffer.from('again\n').toString('hex')],
    ]);
    expect(rows[2][5]).toContain('datagram lost (loss 30%)');
    expect(await tsharkComplaints(file)).toBe('');
  });

  it('opens and closes a peer-wire connection that has only messages, on BitTorrent\'s port', async () => {
    const store = new CaptureStore();
    const conn = store.openConnection({ transport: 'tcp', service: 'swarm', protocol: 'bittorrent', client: { address: '127.0.0.2', port: 51000, name: 'peer 2' }, server: { address: '127.0.0.3', port: 41234, name: 'peer 3' } });
    const handshake = Buffer.concat([Buffer.from([19]), Buffer.from('BitTorrent protocol'), Buffer.alloc(8), Buffer.alloc(20, 1), Buffer.alloc(20, 2)]);
    store.record({ conn, dir: 'c2s', kind: 'message', bytes: handshake });
    store.record({ conn, dir: 's2c', kind: 'message', bytes: handshake });
    store.record({ conn, dir: 'c2s', kind: 'message', bytes: Buffer.from([0, 0, 0, 1, 2]) }); // interested
    // a piece message as the swarm's capture keeps it: header and the first 64 bytes of a 16 KiB block
    const piece = Buffer.alloc(13 + 64, 0xab);
    piece.writeUInt32BE(9 + 16384, 0);
    piece[4] = 7;
    piece.writeUInt32BE(3, 5);
    piece.writeUInt32BE(0, 9);
    store.record({ conn, dir: 's2c', kind: 'message', bytes: piece });
    store.closeConnection(conn);
    const file = await writeTemp('bt.pcapng', exportPcapng(store, {}, 'test'));
    expect((await tsharkFields(file, 'tcp.flags.syn == 1', ['tcp.dstport'])).length).toBe(2);
    expect((await tsharkFields(file, 'tcp.flags.fin == 1', ['tcp.srcport'])).length).toBe(2);
    expect((await tsharkFields(file, 'bittorrent.msg.type == 2', ['ip.src'])).map((r) => r[0])).toEqual(['127.0.0.2']);
    // the piece is its full 16 KiB in the stream (zeros past what was kept), so the next message parses
    expect(await tsharkFields(file, 'bittorrent.msg.type == 7', ['bittorrent.piece.index', 'bittorrent.msg.length'])).toEqual([['0x00000003', String(9 + 16384)]]);
    expect(await tsharkComplaints(file)).toBe('');
  });

  it('a text filter selects whole connections, and an empty capture is still a file', async () => {
    const store = new CaptureStore();
    for (const [port, word] of [[40001, 'first'], [40002, 'second']] as const) {
      tcpSession(store, 'echo-tcp', 'echo', local(port), local(12000), (conn) => {
        store.record({ conn, dir: 'c2s', kind: 'message', whole: true, bytes: Buffer.from(`${word}\n`) });
      });
    }
    const file = await writeTemp('filtered.pcapng', exportPcapng(store, { text: 'second' }, 'test'));
    expect((await tsharkFields(file, 'tcp', ['tcp.srcport'])).every((r) => r[0] === '40002' || r[0] === '12000')).toBe(true);
    expect((await tsharkFields(file, 'tcp.flags.syn == 1 && tcp.flags.ack == 0', ['tcp.srcport'])).map((r) => r[0])).toEqual(['40002']);
    const empty = await writeTemp('empty.pcapng', exportPcapng(new CaptureStore(), {}, 'test'));
    expect(await tsharkFields(empty, 'frame', ['frame.number'])).toEqual([]);
    expect(SECTION_COMMENT).toContain('synthesized');
  });
});
