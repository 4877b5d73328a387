/** The inspector pairs an SNMP response with its request by request-id on the same flow, and words the pair row. */
import { describe, expect, it } from 'vitest';
import type { CaptureSummary } from '../../../src-main/lab/api';
import { Exchanges, exchangeLabel } from '../../../src-renderer/src/components/inspector/exchanges';
import { flowLabel } from '../../../src-renderer/src/components/inspector/flowLayout';

let id = 0;
const row = (dir: 'c2s' | 's2c', summary: string, conn = 1, t = id): CaptureSummary =>
  ({ id: ++id, t, conn, service: 'snmp', protocol: 'snmp', transport: 'udp', dir, kind: 'message', size: 40, summary }) as CaptureSummary;

describe('SNMP pairs in the inspector', () => {
  it('pairs by request-id, out of order, and says an error-status', () => {
    const x = new Exchanges();
    const a = row('c2s', 'get-request id=7 sysName.0');
    const b = row('c2s', 'set-request id=8 sysName.0 = STRING: x');
    x.add(a);
    x.add(b);
    const rb = row('s2c', 'get-response id=8 notWritable at varbind 1');
    const ra = row('s2c', 'get-response id=7 sysName.0 = STRING: gaia.cs.umass.edu');
    expect(x.add(rb)?.request).toBe(b);
    expect(x.add(ra)?.request).toBe(a);
    expect(exchangeLabel(x.of(a.id)!)).toMatchObject({ request: 'get-request sysName.0', response: 'get-response' });
    expect(exchangeLabel(x.of(a.id)!).meta).toMatch(/^sysName\.0 = STRING: gaia\.cs\.umass\.edu · /);
    expect(exchangeLabel(x.of(b.id)!)).toMatchObject({ response: 'notWritable' });
    // another flow's response with the same id pairs with nothing there
    expect(x.add(row('s2c', 'get-response id=7 sysName.0 = STRING: x', 2))).toBeUndefined();
  });

  it('labels a ladder arrow without the request-id (the pairing shows it)', () => {
    expect(flowLabel(row('c2s', 'get-request id=7 sysName.0'))).toBe('get-request sysName.0');
    expect(flowLabel(row('s2c', 'get-response id=-3 sysName.0 = STRING: x'))).toBe('get-response sysName.0 = STRING: x');
  });
});
