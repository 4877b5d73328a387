/**
 * The lab's certificate authority: made once per data directory (its key never leaves it),
 * and a leaf certificate per lab host name, issued the first time a client names that host
 * in its ClientHello (SNI, RFC 6066 §3) and kept beside the CA. A student trusts the CA once
 * (the Web tab's Lab CA panel, GET /lab-ca.pem on the bridge) and every lab site then shows
 * a padlock, as a real site signed by a public CA would (Kurose & Ross §8.6).
 *
 * Certificates and keys: certificates.ts (ECDSA P-256; a data directory whose CA was made
 * before with RSA keeps it, and its leaves made before stay as they are). New keys are made
 * by Node's crypto (the CA's off the event loop, on libuv's thread pool). The TLS protocol
 * itself is Node's tls module.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { issueCertificate, issuerOf, keyPem, KEY_TYPE, PRIVATE_KEY_PEM, type Issuer } from './certificates';
import { TicketKeys } from './session-tickets';

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

const generateKeyPair = promisify(crypto.generateKeyPair);
const newKey = (): crypto.KeyObject => crypto.generateKeyPairSync('ec', KEY_TYPE).privateKey;

function writeAtomic(file: string, text: string, mode = 0o644): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}

/** the CA certificate as written, and what signing with it takes */
interface Authority {
  pem: string;
  issuer: Issuer;
}

export class LabCa {
  readonly dir: string;
  /** read or made on first use (or by prepare()) */
  private ca: Authority | null = null;
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
    const { privateKey } = await generateKeyPair('ec', KEY_TYPE);
    // a client may have asked for a certificate meanwhile, which made the CA
    if (!this.ca && !this.onDisk()) this.create(privateKey);
  }

  private onDisk(): boolean {
    return fs.existsSync(this.caFile) && fs.existsSync(this.keyFile);
  }

  private authority(): Authority {
    if (this.ca) return this.ca;
    if (this.onDisk()) {
      const pem = fs.readFileSync(this.caFile, 'utf8');
      this.ca = { pem, issuer: issuerOf(pem, crypto.createPrivateKey(fs.readFileSync(this.keyFile, 'utf8'))) };
      return this.ca;
    }
    return this.create(newKey());
  }

  private create(key: crypto.KeyObject): Authority {
    fs.mkdirSync(path.join(this.dir, 'hosts'), { recursive: true });
    const pem = issueCertificate({
      // a name of its own per data directory: two labs' CAs are two CAs
      subject: [
        { name: 'commonName', value: `${CA_NAME} ${crypto.randomBytes(3).toString('hex')}` },
        { name: 'organizationName', value: 'NetLab' },
      ],
      key,
      notBefore: new Date(Date.now() - 24 * 3600_000),
      notAfter: new Date(Date.now() + CA_YEARS * 365 * 24 * 3600_000),
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    writeAtomic(this.keyFile, keyPem(key), 0o600);
    writeAtomic(this.caFile, pem);
    this.ca = { pem, issuer: issuerOf(pem, key) };
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
      const key = PRIVATE_KEY_PEM.exec(text)?.[0];
      const cert = text.replace(key ?? '', '');
      if (key && cert.includes('BEGIN CERTIFICATE')) return { key, cert };
    }
    const ca = this.authority();
    const key = newKey();
    const altNames: { type: number; value?: string; ip?: string }[] = [{ type: 2, value: name }];
    if (name === DEFAULT_LEAF) altNames.push({ type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' });
    const pem = issueCertificate({
      subject: [{ name: 'commonName', value: name }],
      key,
      notBefore: new Date(Date.now() - 24 * 3600_000),
      notAfter: new Date(Date.now() + LEAF_DAYS * 24 * 3600_000),
      issuer: ca.issuer,
      extensions: [
        { name: 'basicConstraints', cA: false },
        // an ECDSA key signs (the handshake), it enciphers no key: RFC 5480 §3
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ],
    });
    const keyText = keyPem(key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeAtomic(file, keyText + pem, 0o600);
    return { key: keyText, cert: pem };
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
