/**
 * Mailboxes as Maildir (the tmp/new/cur layout of qmail's maildir(5), read by mutt,
 * dovecot, …): one file per message, written in tmp/ and renamed into new/, so a reader
 * never sees half a message. Root: <dataDir>/mail/<domain>/<user>/.
 *
 * Delivery does not fsync each file: the spool journal already holds the message durably
 * and replays it after a crash (delivery is idempotent by file name); `sync` makes files
 * durable before the journal that covers them is deleted.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export interface MaildirFile {
  /** the unique name (the part before ':2,'): POP3's UIDL */
  uid: string;
  /** path relative to the mail root */
  rel: string;
  size: number;
  mtime: number;
}

const SUBDIRS = ['tmp', 'new', 'cur'] as const;
/** time.unique.host[,S=size] (the ,S= size tag is dovecot's, so a listing needs no stat) */
const UID = /^[A-Za-z0-9._,=-]{1,200}$/;
const SIZE_TAG = /,S=(\d{1,12})(?:,|$)/;

export class MaildirStore {
  private made = new Set<string>();

  constructor(readonly root: string) {}

  boxDir(domain: string, user: string): string {
    return path.join(this.root, domain, user);
  }

  async ensure(domain: string, user: string): Promise<string> {
    const dir = this.boxDir(domain, user);
    if (!this.made.has(dir)) {
      await Promise.all(SUBDIRS.map((s) => fs.mkdir(path.join(dir, s), { recursive: true })));
      this.made.add(dir);
    }
    return dir;
  }

  /** Write into tmp/, rename into new/. `uid` must be unique (time.id.host); on replay an existing one is kept. */
  async deliver(domain: string, user: string, uid: string, data: Buffer, replay = false): Promise<string> {
    if (!UID.test(uid)) throw new Error(`bad Maildir name ${uid}`);
    const dir = await this.ensure(domain, user);
    const rel = path.join(domain, user, 'new', uid);
    if (replay && (await this.find(domain, user, uid))) return rel;
    const tmp = path.join(dir, 'tmp', uid);
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, path.join(this.root, rel));
    return rel;
  }

  /** new/ and cur/, oldest first (names start with the delivery time) */
  async list(domain: string, user: string): Promise<MaildirFile[]> {
    const dir = this.boxDir(domain, user);
    const out: MaildirFile[] = [];
    for (const sub of ['new', 'cur'] as const) {
      let names: string[];
      try {
        names = await fs.readdir(path.join(dir, sub));
      } catch {
        continue;
      }
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const uid = name.split(':')[0];
        const rel = path.join(domain, user, sub, name);
        const tagged = SIZE_TAG.exec(uid);
        if (tagged) {
          out.push({ uid, rel, size: Number(tagged[1]), mtime: Number(uid.split('.')[0]) * 1000 });
          continue;
        }
        try {
          const st = await fs.stat(path.join(dir, sub, name));
          if (!st.isFile()) continue;
          out.push({ uid, rel, size: st.size, mtime: st.mtimeMs });
        } catch {
          // removed meanwhile (a POP3 QUIT): skip it
        }
      }
    }
    return out.sort((a, b) => a.uid.localeCompare(b.uid, 'en', { numeric: true }));
  }

  async find(domain: string, user: string, uid: string): Promise<MaildirFile | undefined> {
    if (!UID.test(uid)) return undefined;
    return (await this.list(domain, user)).find((f) => f.uid === uid);
  }

  read(file: MaildirFile): Promise<Buffer> {
    return fs.readFile(path.join(this.root, file.rel));
  }

  /** the first bytes (headers) of a message, for listings */
  async head(file: MaildirFile, bytes = 16 * 1024): Promise<Buffer> {
    const fh = await fs.open(path.join(this.root, file.rel), 'r');
    try {
      const buf = Buffer.alloc(Math.min(bytes, file.size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async remove(file: MaildirFile): Promise<void> {
    await fs.rm(path.join(this.root, file.rel), { force: true });
  }

  /** fsync files (and their directories) so a journal covering them may be deleted */
  async sync(rels: string[]): Promise<void> {
    const dirs = new Set<string>();
    const one = async (rel: string): Promise<void> => {
      const abs = path.join(this.root, rel);
      dirs.add(path.dirname(abs));
      const fh = await fs.open(abs, 'r').catch(() => null);
      if (!fh) return; // already read and deleted: nothing to keep
      await fh.sync().finally(() => fh.close());
    };
    for (let i = 0; i < rels.length; i += 16) await Promise.all(rels.slice(i, i + 16).map(one));
    for (const dir of dirs) {
      const fh = await fs.open(dir, 'r').catch(() => null);
      if (fh) await fh.sync().catch(() => undefined).finally(() => fh.close());
    }
  }
}
