/**
 * Line ends: LF in a Maildir file, CRLF on the wire.
 *
 * Maildir's convention (qmail's maildir(5), Postfix, Dovecot) is one message per file with
 * Unix line ends; a file with CRLF is what s-nail calls a "Malformed message" and shows
 * stray CRs in. SMTP (RFC 5321 §2.3.8) and POP3 (RFC 1939 §3) carry CRLF. The scheme,
 * exact for every message the lab accepts:
 *
 *  - a message SMTP accepted holds no bare LF (SmtpStream refuses one or makes it CRLF), so
 *    every LF in it ends a CRLF;
 *  - on disk each CRLF is written as LF; anything else, a bare CR (a CR not followed by LF)
 *    included, is written as it is;
 *  - on the wire each LF becomes CRLF again, and nothing else changes.
 *
 * Only LFs gain a CR on the way out, so a CR that was content stays content: a bare CR just
 * before a line end ("x" CR CR LF) is stored as "x" CR LF and comes back as "x" CR CR LF.
 * The round trip is the identity on every text without a bare LF; a file someone else wrote
 * with plain LFs comes out with CRLFs, which is what POP3 needs.
 *
 * File names carry Dovecot's size tags: `,S=` the size of the file, `,W=` its size on the
 * wire (what POP3 LIST reports), so a listing needs no read. A name with `,S=` and no `,W=`
 * is one the lab wrote before it stored LF: that file holds CRLF, is given out as it is, and
 * is converted at the next start (`migrateFile`).
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const LF = 0x0a;
const CR = 0x0d;
const CRLF = Buffer.from('\r\n');

/** the message as it is stored: each CRLF written as LF (one pass over the bytes: a search and a
 *  slice per line cost more on the short lines of mail) */
export function toDisk(wire: Buffer): Buffer {
  const first = wire.indexOf(CRLF);
  if (first < 0) return wire;
  const out = Buffer.allocUnsafe(wire.length);
  wire.copy(out, 0, 0, first);
  let n = first;
  for (let i = first; i < wire.length; i++) {
    const b = wire[i];
    // the CR of a CRLF is left out; its LF is written next
    if (b === CR && wire[i + 1] === LF) continue;
    out[n++] = b;
  }
  return out.subarray(0, n);
}

/** the message as it goes on the wire: each LF given its CR back */
export function toWire(disk: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = disk.indexOf(LF); i >= 0; i = disk.indexOf(LF, i + 1)) {
    parts.push(disk.subarray(from, i), CRLF);
    from = i + 1;
  }
  if (from === 0) return disk;
  parts.push(disk.subarray(from));
  return Buffer.concat(parts);
}

/** the size toWire will give, without building it */
export function wireSize(disk: Buffer): number {
  let n = disk.length;
  for (let i = disk.indexOf(LF); i >= 0; i = disk.indexOf(LF, i + 1)) n += 1;
  return n;
}

const TAGS = /,S=\d{1,12}(?:,W=\d{1,12})?$/;
const SIZE = /,S=(\d{1,12})(?:,W=(\d{1,12}))?$/;

/** the unique name of a stored file: the base name and its size tags */
export function taggedName(base: string, disk: Buffer): string {
  return `${base.replace(TAGS, '')},S=${disk.length},W=${wireSize(disk)}`;
}

/** what a unique name's tags say: file and wire size; `legacy` when the file holds CRLF (no W= tag) */
export function sizeTags(uid: string): { disk: number; wire: number; legacy: boolean } | undefined {
  const m = SIZE.exec(uid);
  if (!m) return undefined;
  const disk = Number(m[1]);
  return { disk, wire: m[2] === undefined ? disk : Number(m[2]), legacy: m[2] === undefined };
}

/** a CRLF-era file: its name has S= and no W= (the file is then the wire form) */
export function isLegacy(uid: string): boolean {
  return sizeTags(uid)?.legacy === true;
}

/**
 * Convert one CRLF-era file in place: the LF form is written in tmp/ under its new name,
 * made durable, renamed into the same folder, and only then is the old file removed. A crash
 * at any point leaves the message at least once and complete: before the rename the old file
 * is still there (the tmp/ leftover is overwritten next time); after it, the next start finds
 * the new name present and only removes the old one. Idempotent: a converted name has W=.
 * `read` reads the file confined to its mailbox (a link is refused, and left alone).
 */
export async function migrateFile(boxDir: string, sub: 'new' | 'cur', name: string, read: (abs: string) => Promise<Buffer>): Promise<boolean> {
  const colon = name.indexOf(':');
  const uid = colon >= 0 ? name.slice(0, colon) : name;
  const flags = colon >= 0 ? name.slice(colon) : '';
  if (!isLegacy(uid)) return false;
  const old = path.join(boxDir, sub, name);
  const wire = await read(old);
  const disk = toDisk(wire);
  const fresh = taggedName(uid, disk) + flags;
  const dest = path.join(boxDir, sub, fresh);
  const done = await fs.lstat(dest).then((st) => st.isFile()).catch(() => false);
  if (!done) {
    const tmp = path.join(boxDir, 'tmp', fresh);
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(disk);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, dest);
  }
  await fs.unlink(old);
  return true;
}
