/**
 * .torrent files (BEP 3 metainfo, single file): the info dictionary names the file, its
 * length, the piece length and the SHA-1 of every piece; its own SHA-1 is the info hash
 * peers and the tracker know the torrent by.
 */
import { createHash } from 'node:crypto';
import { bdecode, bencode, isDict, type BValue } from './bencode';

export interface TorrentMeta {
  name: string;
  length: number;
  pieceLength: number;
  pieceHashes: Buffer[];
  infoHash: Buffer;
  announce: string;
}

export const MAX_TORRENT_BYTES = 10 * 1024 * 1024;

export function sha1(b: Uint8Array): Buffer {
  return createHash('sha1').update(b).digest();
}

export function createTorrent(data: Buffer, opts: { name: string; pieceLength: number; announce: string }): { meta: TorrentMeta; file: Buffer } {
  const hashes: Buffer[] = [];
  for (let off = 0; off < data.length; off += opts.pieceLength) hashes.push(sha1(data.subarray(off, off + opts.pieceLength)));
  const info = { length: data.length, name: opts.name, 'piece length': opts.pieceLength, pieces: Buffer.concat(hashes) };
  const infoBytes = bencode(info);
  const file = bencode({ announce: opts.announce, 'created by': 'NetLab', 'creation date': Math.floor(Date.now() / 1000), info });
  return {
    meta: { name: opts.name, length: data.length, pieceLength: opts.pieceLength, pieceHashes: hashes, infoHash: sha1(infoBytes), announce: opts.announce },
    file,
  };
}

/** Read a single-file .torrent (the ones NetLab and common clients write). */
export function parseTorrent(file: Buffer): TorrentMeta {
  if (file.length > MAX_TORRENT_BYTES) throw new Error('torrent file too large');
  const root = bdecode(file);
  if (!isDict(root) || !isDict(root.info)) throw new Error('not a torrent: no info dictionary');
  const info = root.info as Record<string, BValue>;
  const length = info.length;
  const pieceLength = info['piece length'];
  const pieces = info.pieces;
  if (typeof length !== 'number' || typeof pieceLength !== 'number' || !(pieces instanceof Uint8Array) || pieces.length % 20) {
    throw new Error('not a single-file torrent');
  }
  const hashes: Buffer[] = [];
  for (let i = 0; i < pieces.length; i += 20) hashes.push(Buffer.from(pieces.subarray(i, i + 20)));
  if (hashes.length !== Math.ceil(length / pieceLength)) throw new Error('piece count does not match the length');
  const name = info.name instanceof Uint8Array ? Buffer.from(info.name).toString('utf8') : 'file';
  const announce = root.announce instanceof Uint8Array ? Buffer.from(root.announce).toString('utf8') : '';
  return { name, length, pieceLength, pieceHashes: hashes, infoHash: sha1(bencode(info as never)), announce };
}

export function pieceSize(meta: Pick<TorrentMeta, 'length' | 'pieceLength'>, index: number): number {
  return Math.min(meta.pieceLength, meta.length - index * meta.pieceLength);
}

/** A file of `size` bytes that the same seed always fills the same way. */
export function generateFile(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(`netlab-swarm-${seed}`).digest();
  for (let off = 0; off < size; off += 32) {
    block.copy(out, off, 0, Math.min(32, size - off));
    if ((off & 0xffff) === 0) block = createHash('sha256').update(block).digest();
    else block[off & 31] ^= (off >>> 5) & 0xff;
  }
  return out;
}
