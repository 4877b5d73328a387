/**
 * The lab CA's X.509 certificates (RFC 5280), made with ECDSA P-256 keys (RFC 5480): a
 * server's signature in each full TLS handshake (CertificateVerify, RFC 8446 §4.4.3) then
 * costs an ECDSA signature instead of an RSA-2048 private-key operation, several times less
 * CPU, and a new host's key is made in a millisecond instead of a pause of the event loop.
 * Every client the lab is used with (curl, python's ssl, openssl, Chromium, fetchmail, swaks)
 * accepts ECDSA certificates.
 *
 * node-forge encodes the names and extensions (its X.509 writer knows RSA keys only), the
 * subject's public key goes in as Node exports it (SubjectPublicKeyInfo DER), and Node signs
 * the to-be-signed part: ECDSA with SHA-256 (RFC 5758 §3.2) or, under the RSA CA of a data
 * directory made before, RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2).
 */
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Forge from 'node-forge';

const requireLazy = createRequire(import.meta.url);
let forgeLib: typeof Forge | undefined;
export const forge = (): typeof Forge => (forgeLib ??= requireLazy('node-forge') as typeof Forge);

/** the keys of new certificates: `crypto.generateKeyPair('ec', KEY_TYPE)` */
export const KEY_TYPE = { namedCurve: 'P-256' } as const;

const OIDS = { ecdsaWithSha256: '1.2.840.10045.4.3.2', sha256WithRsa: '1.2.840.113549.1.1.11', subjectKeyIdentifier: '2.5.29.14' };

/** an issuer: its key (which signs) and what its certificate says of it */
export interface Issuer {
  key: crypto.KeyObject;
  /** its subject name, as encoded in its certificate (the issuer field of what it signs) */
  name: Forge.asn1.Asn1;
  /** its key identifier (the authorityKeyIdentifier of what it signs) */
  keyId: Buffer;
}

export interface CertificateSpec {
  /** forge's attributes: { name: 'commonName', value } … */
  subject: { name: string; value: string }[];
  /** the subject's key (its public half goes in the certificate) */
  key: crypto.KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** forge's extension descriptions, without subjectKeyIdentifier / authorityKeyIdentifier (added here) */
  extensions: Record<string, unknown>[];
  /** the signer; none: self-signed (a CA) */
  issuer?: Issuer;
}

type FromDer = (bytes: string, options: { decodeBitStrings: boolean }) => Forge.asn1.Asn1;
const fromDer = (der: Buffer): Forge.asn1.Asn1 => (forge().asn1.fromDer as unknown as FromDer)(der.toString('binary'), { decodeBitStrings: false });
const toDer = (node: Forge.asn1.Asn1): Buffer => Buffer.from(forge().asn1.toDer(node).getBytes(), 'binary');

function spkiDer(key: crypto.KeyObject): Buffer {
  return crypto.createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's bits (what forge
 *  computed for the RSA certificates made before, so their identifiers stay the same) */
export function keyIdentifier(key: crypto.KeyObject): Buffer {
  const bits = (fromDer(spkiDer(key)).value as Forge.asn1.Asn1[])[1].value as string;
  return crypto.createHash('sha1').update(Buffer.from(bits.slice(1), 'binary')).digest();
}

/** The issuer a CA certificate (PEM) and its key make. */
export function issuerOf(pem: string, key: crypto.KeyObject): Issuer {
  const tbs = (fromDer(Buffer.from(new crypto.X509Certificate(pem).raw)).value as Forge.asn1.Asn1[])[0].value as Forge.asn1.Asn1[];
  // TBSCertificate: [0] version (explicit, present in v3), serial, signature, issuer, validity, subject, …
  const at = tbs[0].tagClass === forge().asn1.Class.CONTEXT_SPECIFIC ? 5 : 4;
  return { key, name: tbs[at], keyId: keyIdentifier(key) };
}

function serial(): string {
  // positive (high bit clear), 16 random bytes: RFC 5280 §4.1.2.2
  const b = crypto.randomBytes(16);
  b[0] &= 0x7f;
  return b.toString('hex');
}

function algorithm(signer: crypto.KeyObject): Forge.asn1.Asn1 {
  const { asn1 } = forge();
  const ec = signer.asymmetricKeyType === 'ec';
  const oid = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(ec ? OIDS.ecdsaWithSha256 : OIDS.sha256WithRsa).getBytes());
  // ECDSA's AlgorithmIdentifier has no parameters (RFC 5758 §3.2); RSA's a NULL (RFC 4055 §5)
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, ec ? [oid] : [oid, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]);
}

/** A certificate, signed by its issuer (or by its own key), as PEM. */
export function issueCertificate(spec: CertificateSpec): string {
  const f = forge();
  const { asn1 } = f;
  const ownId = keyIdentifier(spec.key);
  const signer: Issuer = spec.issuer ?? { key: spec.key, name: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, []), keyId: ownId };
  const cert = f.pki.createCertificate();
  // forge writes an RSA key only: a placeholder, replaced below by the real SubjectPublicKeyInfo
  cert.publicKey = f.pki.setRsaPublicKey(new f.jsbn.BigInteger('3'), new f.jsbn.BigInteger('3'));
  cert.serialNumber = serial();
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  cert.setSubject(spec.subject);
  cert.setIssuer(spec.subject);
  cert.setExtensions([
    ...spec.extensions,
    { id: OIDS.subjectKeyIdentifier, value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, ownId.toString('binary')) },
    ...(spec.issuer ? [{ name: 'authorityKeyIdentifier', keyIdentifier: spec.issuer.keyId.toString('binary') }] : []),
  ]);
  // forge reads the algorithm only to encode it: replaced below by the signer's
  cert.siginfo.algorithmOid = OIDS.sha256WithRsa;
  const tbs = (f.pki as unknown as { getTBSCertificate(c: Forge.pki.Certificate): Forge.asn1.Asn1 }).getTBSCertificate(cert);
  const fields = tbs.value as Forge.asn1.Asn1[];
  fields[2] = algorithm(signer.key);
  if (spec.issuer) fields[3] = spec.issuer.name;
  fields[6] = fromDer(spkiDer(spec.key));
  const tbsDer = toDer(tbs);
  // Node's defaults: PKCS#1 v1.5 for RSA, a DER Ecdsa-Sig-Value for EC (what X.509 carries)
  const signature = crypto.sign('sha256', tbsDer, signer.key);
  const whole = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    algorithm(signer.key),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\0${signature.toString('binary')}`),
  ]);
  const b64 = toDer(whole).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** a private key as written to disk: PKCS#8 for EC keys, PKCS#1 as before for RSA */
export function keyPem(key: crypto.KeyObject): string {
  return key.export({ type: key.asymmetricKeyType === 'rsa' ? 'pkcs1' : 'pkcs8', format: 'pem' }).toString();
}

/** the private key at the start of a host file (key, then the certificate chain) */
export const PRIVATE_KEY_PEM = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----\s*/;
