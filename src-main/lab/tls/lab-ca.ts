/**
 * The lab's certificate authority: made once per data directory (its key never leaves it),
 * and a leaf certificate per lab host name, issued the first time a client names that host
 * in its ClientHello (SNI, RFC 6066 §3) and kept beside the CA. A student trusts the CA once
 * (the Web tab's Lab CA panel, GET /lab-ca.pem on the bridge) and every lab site then shows
 * a padlock, as a real site signed by a public CA would (Kurose & Ross §8.6).
 *
 * Certificates are made with node-forge (X.509 encoding); the keys are RSA made by Node's own
 * crypto, off the event loop where it can (the CA's key, on libuv's thread pool), and the
 * signatures are Node's too (RSASSA-PKCS1-v1_5, RFC 8017 §8.2: forge's own RSA in JavaScript
 * took a second per certificate). node-forge itself loads when a first certificate is read
 * or made. The TLS protocol itself is Node's tls module.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import type * as Forge from 'node-forge';
import { TicketKeys } from './session-tickets';

const requireLazy = createRequire(import.meta.url);
let forgeLib: typeof Forge | undefined;
const forge = (): typeof Forge => (forgeLib ??= requireLazy('node-forge') as typeof Forge);

export interface LabCaInfo {
  pem: string;
  subject: string;
  /** SHA-256 of the DER certificate, as browsers show it (AB:CD:…) */
  fingerprint256: string;
  validFrom: string;
  validTo: string;
  /** where the CA certificate is on disk (its key is beside it, never exported) */
  file: string;
}

/** what a certificate is issued for when the client names no lab host (an IP address, or nothing) */
export const DEFAULT_LEAF = 'localhost';
const CA_NAME = 'NetLab Lab CA';
const CA_YEARS = 10;
/** leaf lifetimes: browsers refuse leaves valid for more than 398 days */
const LEAF_DAYS = 397;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

interface RsaKeys {
  /** Node's key, which signs */
  privateKey: crypto.KeyObject;
  /** forge's copy of the public half, which the certificate carries */
  publicKey: Forge.pki.rsa.PublicKey;
  /** PKCS#1 PEM, as written to disk */
  pem: string;
}

const RSA = { modulusLength: 2048 } as const;
const generateKeyPair = promisify(crypto.generateKeyPair);

function rsaKeys(privateKey: crypto.KeyObject): RsaKeys {
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const spki = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKey: forge().pki.publicKeyFromPem(spki) as Forge.pki.rsa.PublicKey, pem };
}

/** DigestInfo's DER before a SHA-256 digest (RFC 8017 §9.2, note 1) */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** forge's `cert.sign(signer, md)` asks the signer for the signature of the digest: Node's RSA
 *  makes it, EMSA-PKCS1-v1_5 (RFC 8017 §9.2) being DigestInfo under private-key type-1 padding. */
function signWith(cert: Forge.pki.Certificate, key: crypto.KeyObject): void {
  const signer = {
    sign: (md: Forge.md.MessageDigest): string =>
      crypto
        .privateEncrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')]))
        .toString('binary'),
  };
  cert.sign(signer as unknown as Forge.pki.rsa.PrivateKey, forge().md.sha256.create());
}

function serial(): string {
  // positive (high bit clear), 16 random bytes: RFC 5280 §4.1.2.2
  const b = crypto.randomBytes(16);
  b[0] &= 0x7f;
  return b.toString('hex');
}

function writeAtomic(file: string, text: string, mode = 0o644): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}

export class LabCa {
  readonly dir: string;
  /** read or made on first use (or by prepare()) */
  private ca: { cert: Forge.pki.Certificate; key: crypto.KeyObject; pem: string } | null = null;
  private contexts = new Map<string, tls.SecureContext>();
  /** the session-ticket keys of this CA's contexts (OpenSSL asks the one a connection began with, whatever SNI picks later) */
  private tickets = new TicketKeys();

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'tls');
  }

  private get caFile(): string {
    return path.join(this.dir, 'lab-ca.pem');
  }

  private get keyFile(): string {
    return path.join(this.dir, 'lab-ca.key');
  }

  /** The CA on disk, made now if there is none (its key pair on the thread pool): a service
   *  that speaks TLS awaits this as it starts, so the CA file is there once it runs. */
  async prepare(): Promise<void> {
    if (this.ca || this.onDisk()) return;
    const { privateKey } = await generateKeyPair('rsa', RSA);
    // a client may have asked for a certificate meanwhile, which made the CA
    if (!this.ca && !this.onDisk()) this.create(privateKey);
  }

  private onDisk(): boolean {
    return fs.existsSync(this.caFile) && fs.existsSync(this.keyFile);
  }

  private authority(): { cert: Forge.pki.Certificate; key: crypto.KeyObject; pem: string } {
    if (this.ca) return this.ca;
    if (this.onDisk()) {
      const pem = fs.readFileSync(this.caFile, 'utf8');
      this.ca = { pem, cert: forge().pki.certificateFromPem(pem), key: crypto.createPrivateKey(fs.readFileSync(this.keyFile, 'utf8')) };
      return this.ca;
    }
    return this.create(crypto.generateKeyPairSync('rsa', RSA).privateKey);
  }

  private create(privateKey: crypto.KeyObject): { cert: Forge.pki.Certificate; key: crypto.KeyObject; pem: string } {
    fs.mkdirSync(path.join(this.dir, 'hosts'), { recursive: true });
    const keys = rsaKeys(privateKey);
    const cert = forge().pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000);
    cert.validity.notAfter = new Date(Date.now() + CA_YEARS * 365 * 24 * 3600_000);
    // a name of its own per data directory: two labs' CAs are two CAs
    const attrs = [
      { name: 'commonName', value: `${CA_NAME} ${crypto.randomBytes(3).toString('hex')}` },
      { name: 'organizationName', value: 'NetLab' },
    ];
    cert.setSubject(attrs);
    cert.setIssuer(attrs);
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    signWith(cert, keys.privateKey);
    const pem = forge().pki.certificateToPem(cert);
    writeAtomic(this.keyFile, keys.pem, 0o600);
    writeAtomic(this.caFile, pem);
    this.ca = { cert, key: keys.privateKey, pem };
    return this.ca;
  }

  info(): LabCaInfo {
    const { pem } = this.authority();
    const x = new crypto.X509Certificate(pem);
    return { pem, subject: x.subject.replace(/\n/g, ', '), fingerprint256: x.fingerprint256, validFrom: x.validFrom, validTo: x.validTo, file: this.caFile };
  }

  /** The key and certificate chain for a host name (issued on first use, then read from disk). */
  private leaf(name: string): { key: string; cert: string } {
    const file = path.join(this.dir, 'hosts', `${name}.pem`);
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      const key = /-----BEGIN RSA PRIVATE KEY-----[\s\S]+?-----END RSA PRIVATE KEY-----\s*/.exec(text)?.[0];
      const cert = text.replace(key ?? '', '');
      if (key && cert.includes('BEGIN CERTIFICATE')) return { key, cert };
    }
    const ca = this.authority();
    const keys = rsaKeys(crypto.generateKeyPairSync('rsa', RSA).privateKey);
    const cert = forge().pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000);
    cert.validity.notAfter = new Date(Date.now() + LEAF_DAYS * 24 * 3600_000);
    cert.setSubject([{ name: 'commonName', value: name }]);
    cert.setIssuer(ca.cert.subject.attributes);
    const altNames: { type: number; value?: string; ip?: string }[] = [{ type: 2, value: name }];
    if (name === DEFAULT_LEAF) altNames.push({ type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' });
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
      { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
    ]);
    signWith(cert, ca.key);
    const pem = forge().pki.certificateToPem(cert);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeAtomic(file, keys.pem + pem, 0o600);
    return { key: keys.pem, cert: pem };
  }

  /** The TLS context for the name a client sent (lower-cased; a name that is not a DNS name,
   *  or none, gets the localhost certificate, which also names 127.0.0.1 and ::1). */
  contextFor(name: string | undefined): tls.SecureContext {
    // an address in SNI (RFC 6066 §3 forbids it, wrk sends one) names no host: the localhost certificate, which lists 127.0.0.1
    const host = name && !net.isIP(name) && DNS_NAME.test(name.toLowerCase()) ? name.toLowerCase() : DEFAULT_LEAF;
    let ctx = this.contexts.get(host);
    if (!ctx) {
      const { key, cert } = this.leaf(host);
      ctx = tls.createSecureContext({ key, cert: cert + this.authority().pem });
      this.tickets.apply(ctx);
      this.contexts.set(host, ctx);
    }
    return ctx;
  }
}

const cas = new Map<string, LabCa>();

/** The one CA of a data directory (made on first use). */
export function labCa(dataDir: string): LabCa {
  let ca = cas.get(dataDir);
  if (!ca) {
    ca = new LabCa(dataDir);
    cas.set(dataDir, ca);
  }
  return ca;
}
