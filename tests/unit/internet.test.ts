import { describe, expect, it } from 'vitest';
import { LabInternet } from '../../src-main/lab/internet/internet';
import type { Resolution } from '../../src-main/lab/internet/hosts';

describe('the lab internet', () => {
  it('dials a lab name: resolves to its virtual address and reaches loopback on the same port', async () => {
    const net = new LabInternet();
    expect(await net.dial('gaia.cs.umass.edu', 12000)).toEqual({
      ok: true,
      address: '127.0.0.1',
      port: 12000,
      name: 'gaia.cs.umass.edu',
      virtualAddress: '128.119.40.205',
      virtualPort: 12000,
      service: undefined,
    });
  });

  it('routes a virtual endpoint to the service that registered it, exact before wildcard', async () => {
    const net = new LabInternet();
    const withdraw = net.addRoute({ virtualAddress: '*', virtualPort: 80, realPort: 8080, service: 'http' });
    net.addRoute({ virtualAddress: '192.0.2.31', virtualPort: 25, realPort: 2526, service: 'smtp-hamburger' });
    expect(await net.dial('gaia.cs.umass.edu', 80)).toMatchObject({ port: 8080, virtualPort: 80, service: 'http' });
    expect(await net.dial('mail.hamburger.edu', 25)).toMatchObject({ port: 2526, service: 'smtp-hamburger' });
    // a well-known port no lab service answers is refused by the lab: never the machine's own port
    expect(await net.dial('mail.crepes.fr', 25)).toEqual({
      ok: false,
      error: 'Connection refused: no lab server answers at mail.crepes.fr (192.0.2.21) port 25',
      refused: { name: 'mail.crepes.fr', virtualAddress: '192.0.2.21', port: 25 },
    });
    withdraw();
    expect(await net.dial('gaia.cs.umass.edu', 80)).toMatchObject({ ok: false, refused: { port: 80 } });
    // from 1024 up a lab host reaches the same port on loopback, where a student's program listens
    expect(await net.dial('gaia.cs.umass.edu', 1024)).toMatchObject({ ok: true, address: '127.0.0.1', port: 1024 });
    // loopback itself is this machine, whatever the port
    expect(await net.dial('localhost', 25)).toMatchObject({ ok: true, address: '127.0.0.1', port: 25 });
  });

  it('uses the resolver it is given (lab DNS replaces the static table)', async () => {
    const net = new LabInternet();
    const known = (h: string): Resolution => (h === 'new.example.edu' ? { ok: true, address: '127.0.0.1', name: h, virtualAddress: '192.0.2.99' } : { ok: false, error: 'NXDOMAIN' });
    net.setResolver({ mx: async () => [], resolve: async (h) => known(h), known });
    expect(await net.dial('new.example.edu', 5000)).toMatchObject({ ok: true, virtualAddress: '192.0.2.99' });
    expect(await net.dial('gaia.cs.umass.edu', 5000)).toEqual({ ok: false, error: 'NXDOMAIN' });
  });
});
