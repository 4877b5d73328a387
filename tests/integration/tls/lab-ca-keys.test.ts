/** The lab CA's keys: ECDSA P-256 for a new data directory; a data directory whose CA was made with RSA before keeps it and its certificates. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab, tempDir } from '../../helpers/lab';
import { run } from '../../helpers/proc';

const labs: Lab[] = [];
afterAll(async () => {
  for (const lab of labs) await lab.shutdown();
});

async function openssl(...args: string[]): Promise<string> {
  const r = await run('openssl', args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout + r.stderr;
}

function curl(port: number, caFile: string, host: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return run('curl', ['-sS', '-v', '-o', '/dev/null', '--cacert', caFile, '--resolve', `${host}:${port}:127.0.0.1`, `https://${host}:${port}/`]);
}

describe('the lab CA and its keys', () => {
  it('a new data directory gets an ECDSA P-256 CA and leaves, which curl and openssl verify; the handshake is signed with ECDSA', async () => {
    const { lab, dataDir, port } = await startLab();
    labs.push(lab);
    const tlsDir = path.join(dataDir, 'tls');
    const caFile = path.join(tlsDir, 'lab-ca.pem');
    const got = await curl(port('https'), caFile, 'gaia.cs.umass.edu');
    expect(got.code, got.stderr).toBe(0);
    const ca = await openssl('x509', '-noout', '-text', '-in', caFile);
    expect(ca).toMatch(/Public Key Algorithm: id-ecPublicKey/);
    expect(ca).toMatch(/NIST CURVE: P-256/);
    expect(ca).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(ca).toMatch(/CA:TRUE, pathlen:0/);
    const leafFile = path.join(tlsDir, 'hosts', 'gaia.cs.umass.edu.pem');
    const leaf = await openssl('x509', '-noout', '-text', '-in', leafFile);
    expect(leaf).toMatch(/Public Key Algorithm: id-ecPublicKey/);
    expect(leaf).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(leaf).toMatch(/DNS:gaia\.cs\.umass\.edu/);
    // the leaf names its issuer's key as the CA names its own (RFC 5280 §4.2.1.1)
    const aki = /Authority Key Identifier: *\n\s*(?:keyid:)?([0-9A-F:]+)/.exec(leaf)?.[1];
    const ski = /Subject Key Identifier: *\n\s*([0-9A-F:]+)/.exec(ca)?.[1];
    expect(aki).toBeTruthy();
    expect(aki).toBe(ski);
    expect(await openssl('verify', '-x509_strict', '-CAfile', caFile, leafFile)).toMatch(/: OK/);
    const s = await run('openssl', ['s_client', '-connect', `127.0.0.1:${port('https')}`, '-servername', 'gaia.cs.umass.edu', '-CAfile', caFile], { input: '' });
    expect(s.stdout + s.stderr).toMatch(/Peer signature type: ECDSA/);
    expect(s.stdout).toMatch(/Verify return code: 0 \(ok\)/);
  });

  /** a data directory the lab has set up (a copy: the lab keeps one CA per data directory for
   *  the life of the process), whose CA was made with RSA, as the lab made them before */
  async function rsaDataDir(): Promise<{ dataDir: string; tlsDir: string; caFile: string; caKey: string }> {
    const first = await startLab();
    await first.lab.shutdown();
    const dataDir = await tempDir();
    await fs.cp(first.dataDir, dataDir, { recursive: true });
    const tlsDir = path.join(dataDir, 'tls');
    await fs.rm(tlsDir, { recursive: true, force: true });
    await fs.mkdir(path.join(tlsDir, 'hosts'), { recursive: true });
    const caFile = path.join(tlsDir, 'lab-ca.pem');
    const caKey = path.join(tlsDir, 'lab-ca.key');
    await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caFile, '-days', '30', '-subj', '/CN=NetLab Lab CA 0a0b0c/O=NetLab',
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    return { dataDir, tlsDir, caFile, caKey };
  }

  it('a data directory whose CA was made with RSA keeps it: a new leaf has an ECDSA key, signed by that CA', async () => {
    const { dataDir, tlsDir, caFile } = await rsaDataDir();
    const caBefore = await fs.readFile(caFile, 'utf8');
    const { lab, port } = await startLab(dataDir);
    labs.push(lab);
    expect(await fs.readFile(caFile, 'utf8')).toBe(caBefore);
    const got = await curl(port('https'), caFile, 'localhost');
    expect(got.code, got.stderr).toBe(0);
    const leafFile = path.join(tlsDir, 'hosts', 'localhost.pem');
    const text = await openssl('x509', '-noout', '-text', '-in', leafFile);
    expect(text).toMatch(/Public Key Algorithm: id-ecPublicKey/);
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(await openssl('verify', '-x509_strict', '-CAfile', caFile, leafFile)).toMatch(/: OK/);
  });

  it('a leaf made before with an RSA key is served as it is', async () => {
    const { dataDir, tlsDir, caFile, caKey } = await rsaDataDir();
    const work = await tempDir();
    const leafKey = path.join(work, 'leaf.key');
    const leafCert = path.join(work, 'leaf.pem');
    await openssl('genrsa', '-traditional', '-out', leafKey, '2048');
    await openssl('req', '-new', '-key', leafKey, '-subj', '/CN=localhost', '-out', path.join(work, 'leaf.csr'));
    await fs.writeFile(path.join(work, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    await openssl('x509', '-req', '-in', path.join(work, 'leaf.csr'), '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-days', '30', '-extfile', path.join(work, 'ext.cnf'), '-out', leafCert);
    // key (PKCS#1) then certificate in one file, as the lab wrote them
    const oldLeaf = (await fs.readFile(leafKey, 'utf8')) + (await fs.readFile(leafCert, 'utf8'));
    expect(oldLeaf).toMatch(/^-----BEGIN RSA PRIVATE KEY/);
    await fs.writeFile(path.join(tlsDir, 'hosts', 'localhost.pem'), oldLeaf, { mode: 0o600 });
    const { lab, port } = await startLab(dataDir);
    labs.push(lab);
    const got = await curl(port('https'), caFile, 'localhost');
    expect(got.code, got.stderr).toBe(0);
    const served = await run('openssl', ['s_client', '-connect', `127.0.0.1:${port('https')}`, '-CAfile', caFile], { input: '' });
    expect(served.stdout + served.stderr).toMatch(/Peer signature type: RSA-PSS/);
    expect(served.stdout).toMatch(/Verify return code: 0 \(ok\)/);
    expect(await fs.readFile(path.join(tlsDir, 'hosts', 'localhost.pem'), 'utf8')).toBe(oldLeaf);
    await fs.rm(work, { recursive: true, force: true });
  });
});
