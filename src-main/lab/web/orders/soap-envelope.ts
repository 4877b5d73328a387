/**
 * SOAP envelopes in and out: SOAP 1.1 (W3C Note 2000: text/xml, the SOAPAction header, every
 * fault a 500) and SOAP 1.2 (W3C Rec. 2007: application/soap+xml with its action parameter,
 * Sender faults 400, Receiver faults 500, part 2 §7.5.1.2). The XML itself is read by
 * fast-xml-parser; what is SOAP's — which envelope, which operation in which namespace — is here.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ORDERS_NS } from './wsdl';

export type SoapVersion = '1.1' | '1.2';
export const ENVELOPE_NS: Record<SoapVersion, string> = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
};
export const CONTENT_TYPE: Record<SoapVersion, string> = { '1.1': 'text/xml; charset=utf-8', '1.2': 'application/soap+xml; charset=utf-8' };

/** A fault the endpoint answers: the client's mistake (Client / Sender) or the server's. */
export class SoapFault extends Error {
  constructor(
    readonly code: 'VersionMismatch' | 'MustUnderstand' | 'Client' | 'Server',
    message: string,
    readonly problem?: string,
  ) {
    super(message);
  }
}

export interface SoapCall {
  operation: string;
  /** the operation element's children by local name, as text */
  params: Record<string, string>;
}

type Node = Record<string, unknown>;

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, trimValues: true, processEntities: true, htmlEntities: false });

const local = (name: string): string => name.slice(name.indexOf(':') + 1);
const prefix = (name: string): string => (name.includes(':') ? name.slice(0, name.indexOf(':')) : '');
const childKeys = (n: Node): string[] => Object.keys(n).filter((k) => !k.startsWith('@_') && k !== '#text' && !k.startsWith('?'));

/** The namespace a prefix stands for, looking from the innermost element out. */
function nsOf(pfx: string, scopes: Node[]): string | undefined {
  const attr = pfx ? `@_xmlns:${pfx}` : '@_xmlns';
  for (let i = scopes.length - 1; i >= 0; i--) {
    const v = scopes[i][attr];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

function asNode(v: unknown): Node {
  if (Array.isArray(v)) throw new SoapFault('Client', 'an element that appears once in SOAP appears more than once here');
  return typeof v === 'object' && v !== null ? (v as Node) : { '#text': v };
}

/** Read a request's envelope; `version` comes from its Content-Type. */
export function readEnvelope(body: Buffer, version: SoapVersion): SoapCall {
  const text = body.toString('utf8');
  // SOAP 1.1 §3 and 1.2 part 1 §5: no document type declaration (and so no entity expansion)
  if (/<!DOCTYPE/i.test(text)) throw new SoapFault('Client', 'a SOAP message must not contain a document type declaration (<!DOCTYPE …>)');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new SoapFault('Client', `the body is not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  const doc = parser.parse(text) as Node;
  const rootName = childKeys(doc)[0];
  if (!rootName || local(rootName) !== 'Envelope') throw new SoapFault('Client', `the document is <${rootName ?? 'nothing'}>, not a SOAP <Envelope>`);
  const envelope = asNode(doc[rootName]);
  const envNs = nsOf(prefix(rootName), [envelope]);
  if (envNs !== ENVELOPE_NS[version]) {
    const other = envNs === ENVELOPE_NS['1.1'] ? '1.1' : envNs === ENVELOPE_NS['1.2'] ? '1.2' : null;
    throw new SoapFault(
      'VersionMismatch',
      other
        ? `a SOAP ${other} envelope sent as SOAP ${version} (Content-Type ${version === '1.1' ? 'text/xml' : 'application/soap+xml'}): send SOAP ${other} as ${other === '1.1' ? 'text/xml with a SOAPAction header' : 'application/soap+xml'}`
        : `the Envelope's namespace is ${envNs ?? 'missing'}; SOAP ${version} is ${ENVELOPE_NS[version]}`,
    );
  }
  const parts = childKeys(envelope);
  const headerName = parts.find((k) => local(k) === 'Header');
  if (headerName) mustUnderstand(asNode(envelope[headerName]), [envelope]);
  const bodyName = parts.find((k) => local(k) === 'Body');
  if (!bodyName) throw new SoapFault('Client', 'the Envelope has no Body');
  const bodyNode = asNode(envelope[bodyName]);
  const ops = childKeys(bodyNode);
  if (ops.length !== 1) throw new SoapFault('Client', `the Body holds ${ops.length} elements; a call is one operation element, such as <GetOrder xmlns="${ORDERS_NS}">`);
  const opNode = asNode(bodyNode[ops[0]]);
  const opNs = nsOf(prefix(ops[0]), [envelope, bodyNode, opNode]);
  if (opNs !== ORDERS_NS) throw new SoapFault('Client', `<${ops[0]}> is in namespace ${opNs ?? '(none)'}; the order service's operations are in ${ORDERS_NS}`);
  const params: Record<string, string> = {};
  for (const k of childKeys(opNode)) {
    const v = opNode[k];
    if (Array.isArray(v)) throw new SoapFault('Client', `<${local(k)}> is given more than once`);
    params[local(k)] = typeof v === 'object' && v !== null ? String((v as Node)['#text'] ?? '') : String(v);
  }
  return { operation: local(ops[0]), params };
}

/** A header block marked mustUnderstand that the endpoint does not know is a fault (1.1 §4.2.3). */
function mustUnderstand(header: Node, scopes: Node[]): void {
  for (const k of childKeys(header)) {
    const block = asNode(header[k]);
    const flag = Object.entries(block).find(([a]) => a.startsWith('@_') && local(a.slice(2)) === 'mustUnderstand')?.[1];
    if (flag === '1' || flag === 'true') {
      throw new SoapFault('MustUnderstand', `the header block <${k}> (${nsOf(prefix(k), [...scopes, header, block]) ?? 'no namespace'}) must be understood, and this endpoint does not know it`);
    }
  }
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** An envelope around a body, in the request's version. */
export function envelope(version: SoapVersion, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="${ENVELOPE_NS[version]}">\n  <soap:Body>\n${body}\n  </soap:Body>\n</soap:Envelope>\n`;
}

/** The fault element and the HTTP status it travels with. */
export function faultBody(version: SoapVersion, f: SoapFault): { status: number; xml: string } {
  const detail = f.problem ? `<ord:problem xmlns:ord="${ORDERS_NS}">${escapeXml(f.problem)}</ord:problem>` : '';
  if (version === '1.1') {
    const xml = `    <soap:Fault>\n      <faultcode>soap:${f.code}</faultcode>\n      <faultstring>${escapeXml(f.message)}</faultstring>${detail ? `\n      <detail>${detail}</detail>` : ''}\n    </soap:Fault>`;
    return { status: 500, xml };
  }
  const code = f.code === 'Client' ? 'Sender' : f.code === 'Server' ? 'Receiver' : f.code;
  const xml = `    <soap:Fault>\n      <soap:Code><soap:Value>soap:${code}</soap:Value></soap:Code>\n      <soap:Reason><soap:Text xml:lang="en">${escapeXml(f.message)}</soap:Text></soap:Reason>${detail ? `\n      <soap:Detail>${detail}</soap:Detail>` : ''}\n    </soap:Fault>`;
  return { status: code === 'Sender' ? 400 : 500, xml };
}
