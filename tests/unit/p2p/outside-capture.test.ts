/** The peer-wire framer of the client-side capture: handshake, then length-prefixed messages. */
import { describe, expect, it } from 'vitest';
import { PeerWireFramer } from '../../../src-main/lab/p2p/outside-capture';
import { encodeHandshake, encodeMessage } from '../../../src-main/lab/p2p/wire';

describe('PeerWireFramer', () => {
  const hs = encodeHandshake(Buffer.alloc(20, 1), Buffer.from('-TR3000-abcdefghijkl'));
  const have = encodeMessage({ type: 'have', index: 7 });
  const piece = encodeMessage({ type: 'piece', index: 1, begin: 0, block: Buffer.alloc(16384, 9) });

  it('frames the handshake and messages whatever the reads, each direction on its own', () => {
    const f = new PeerWireFramer();
    const stream = Buffer.concat([hs, have, piece, Buffer.alloc(4)]); // the last: a keep-alive
    const frames = [];
    for (let i = 0; i < stream.length; i += 1000) frames.push(...f.push('s2c', stream.subarray(i, i + 1000)));
    expect(frames.map((x) => x.bytes.length)).toEqual([68, have.length, piece.length, 4]);
    expect(frames[2].bytes.equals(piece)).toBe(true);
    expect(f.push('c2s', hs.subarray(0, 30))).toEqual([]);
    expect(f.push('c2s', Buffer.concat([hs.subarray(30), have])).map((x) => x.bytes.length)).toEqual([68, have.length]);
  });

  it('a huge length prefix is recorded as it came, marked oversized; a cut message is flushed at close', () => {
    const f = new PeerWireFramer();
    f.push('s2c', hs);
    const huge = Buffer.from([0xff, 0xff, 0xff, 0xf0, 7, 0, 0]);
    expect(f.push('s2c', huge)).toEqual([{ dir: 's2c', bytes: huge, oversized: true }]);
    const g = new PeerWireFramer();
    g.push('c2s', Buffer.concat([hs, piece.subarray(0, 100)]));
    expect(g.flush('c2s')[0].bytes.length).toBe(100);
    expect(g.flush('c2s')).toEqual([]);
  });
});
