/**
 * FTP as a student meets it: typed by hand in the lab terminal (`ftp ftp.someschool.edu`,
 * the terminal opening the data connection after PASV), and in the inspector, where each
 * data connection is its own connection labelled with the command that opened it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { DATA_KEEP_BYTES } from '../../../src-main/lab/ftp/ftp-data-capture';
import { captured, startLab, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';
import { openTerminal as openLabTerminal } from '../../helpers/terminal';

let lab: Lab;
let dataDir: string;
let port: (id: string) => number;
beforeAll(async () => {
  ({ lab, dataDir, port } = await startLab());
});
afterAll(() => lab.shutdown());

const openTerminal = () => openLabTerminal(lab, { cols: 100, rows: 30 });

describe('ftp in the lab terminal', () => {
  it('logs in by hand, opens the data connection after PASV, and shows a listing and a file', async () => {
    const t = await openTerminal();
    await t.expect('netlab>');
    await t.type('ftp ftp.someschool.edu\r');
    await t.expect('Connected to ftp.someschool.edu (192.0.2.11');
    await t.expect('220 NetLab FTP server ready');
    await t.type('USER anonymous\r');
    await t.expect('331 ');
    await t.type('PASS student@someschool.edu\r');
    await t.expect('230 ');
    let m = t.mark();
    await t.type('PASV\r');
    await t.expect(/227 Entering Passive Mode \(127,0,0,1,\d+,\d+\)/, m);
    await t.expect('[data connection ', m);
    await t.type('LIST\r');
    await t.expect(/README\.txt[\s\S]*\[data connection closed: \d+ bytes received\]/, m);
    await t.expect(/226 Transfer complete/, m);
    m = t.mark();
    await t.type('EPSV\r');
    await t.expect(/229 Entering Extended Passive Mode \(\|\|\|\d+\|\)/, m);
    await t.expect('[data connection ', m);
    await t.type('RETR README.txt\r');
    await t.expect('Welcome to the NetLab FTP server', m);
    await t.expect(/226 Transfer complete: \d+ bytes sent/, m);
    m = t.mark();
    await t.type('RETR README.txt\r');
    await t.expect('425 Use PORT, EPRT, PASV or EPSV first.', m);
    await t.type('QUIT\r');
    await t.expect('221 Goodbye', m);
    await t.expect('Connection closed by foreign host.', m);
    await t.close();

    // the inspector: the control connection from the terminal, each command paired with its reply
    const conns = await lab['capture.connections']();
    const control = conns.find((c) => c.protocol === 'ftp' && c.server.name === 'ftp.someschool.edu')!;
    expect(control.server.virtualPort).toBe(21);
    expect(control.client.name).toMatch(/^terminal \d+$/);
    const rows = (await captured(lab)).filter((r) => r.conn === control.id && r.kind === 'message');
    const summaries = rows.map((r) => r.summary);
    expect(summaries).toContain('PASS ****');
    // the terminal connected right after PASV: 125, the data connection is already open
    expect(summaries.find((s) => s.startsWith('125 '))).toMatch(/← LIST$/);
    expect(summaries.find((s) => s.startsWith('226 '))).toMatch(/← LIST$/);
    expect(summaries.find((s) => s.startsWith('425 '))).toMatch(/← RETR README\.txt$/);
    // two data connections, each its own, labelled with its command and its control connection
    const data = conns.filter((c) => c.protocol === 'ftp-data' && c.server.name?.includes(`control connection ${control.id}`));
    expect(data.map((c) => c.server.name)).toEqual([`FTP data for LIST (control connection ${control.id})`, `FTP data for RETR README.txt (control connection ${control.id})`]);
    expect(data[0].client.name).toMatch(/^terminal \d+ \(ftp data\)$/);
    for (const d of data) expect(d.closed).toBeGreaterThan(0);
    expect(control.closed).toBeGreaterThan(data[1].closed!);
    const listing = (await captured(lab)).find((r) => r.conn === data[0].id && r.kind === 'message')!;
    expect(listing.dir).toBe('s2c');
    expect(listing.summary).toMatch(/^server → client data: -r--r--r-- 1 ftp ftp/);
  });

  it('keeps only the first bytes of a large transfer, and says how many went', async () => {
    const home = path.join(dataDir, 'ftp', 'home', 'alice@crepes.fr');
    await fs.mkdir(home, { recursive: true });
    await fs.writeFile(path.join(home, 'big.bin'), Buffer.alloc(2_000_000, 0x41));
    const r = await run('curl', ['-sS', '-o', '/dev/null', `ftp://alice:hungry@127.0.0.1:${port('ftp')}/big.bin`]);
    expect(r.stderr).toBe('');
    const conn = await waitFor(async () => (await lab['capture.connections']()).find((c) => c.server.name?.startsWith('FTP data for RETR big.bin') && c.closed), 'the closed data connection');
    const rows = (await captured(lab)).filter((x) => x.conn === conn.id);
    let kept = 0;
    for (const row of rows.filter((x) => x.kind === 'message')) kept += Buffer.from((await lab['capture.detail'](row.id))!.bytes, 'base64').length;
    expect(kept).toBe(DATA_KEEP_BYTES);
    expect(rows.map((x) => x.summary)).toContain(`data connection closed: 2000000 bytes server → client, 0 bytes client → server (the capture kept the first ${DATA_KEEP_BYTES} of each direction)`);
  });
});
