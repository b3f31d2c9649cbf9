// The TCP responder and the TCP connect prober on real loopback sockets: a probe of the
// agent's own responder succeeds with a round trip and the source port the responder saw,
// from the bind address when one is set (a second 127.x address), and a new source port per
// probe; a port nothing listens on is 'refused'; a listener whose backlog is full drops the
// SYN, so the probe ends with 'timeout' at the deadline; a responder whose port is taken says
// so in the log and the prober still works; the injectable net sees every connection.
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startResponders, type Responders } from '../../../../src-daemons/agent/probe/responders';
import { createTcpProber, type TcpProber } from '../../../../src-daemons/agent/probe/tcp';
import { ERR } from '../../../../src-daemons/agent/probe/types';
import { ctx, freePort, startBlackholeListener, target } from './rig';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function responder(bind = '127.0.0.1'): Promise<{ r: Responders; port: number; logs: string[] }> {
  const logs: string[] = [];
  const port = await freePort(bind);
  const r = await startResponders({ tcpPort: port, udpPort: await freePort(bind), bind }, (l) => logs.push(l));
  cleanup.push(() => r.close());
  return { r, port, logs };
}

function prober(o?: Parameters<typeof createTcpProber>[0]): TcpProber {
  const p = createTcpProber(o);
  cleanup.push(() => p.close());
  return p;
}

describe('TCP probes', () => {
  it("connects to the agent's responder, which accepts and closes; each probe has its own source port", async () => {
    const { r, port } = await responder();
    const p = prober();
    const outs = [];
    for (let i = 0; i < 5; i++) outs.push(await p.probe(target({ kind: 'tcp' }), ctx({ tcpPort: port })));
    for (const o of outs) {
      expect(o.err).toBe(ERR.ok);
      expect(o.rttUs).toBeGreaterThanOrEqual(0);
      expect(o.srcPort).toBeGreaterThan(1023);
    }
    expect(new Set(outs.map((o) => o.srcPort)).size).toBe(5);
    expect(r.counts.accepted).toBe(5);
    expect(p.inFlight).toBe(0);
  });

  it('leaves from the bind address: the peer sees 127.0.0.2 and the port the sample records', async () => {
    const seen: { addr: string; port: number }[] = [];
    const srv = net.createServer((s) => {
      seen.push({ addr: s.remoteAddress!, port: s.remotePort! });
      s.on('error', () => {});
      s.destroy();
    });
    await new Promise<void>((res) => srv.listen(0, '127.0.0.3', res));
    cleanup.push(() => new Promise((res) => srv.close(res)));
    const port = (srv.address() as net.AddressInfo).port;
    const o = await prober().probe(target({ kind: 'tcp', addr: '127.0.0.3', port }), ctx({ bind: '127.0.0.2' }));
    expect(o.err).toBe(ERR.ok);
    await new Promise((res) => setTimeout(res, 50));
    expect(seen).toEqual([{ addr: '127.0.0.2', port: o.srcPort }]);
  });

  it('a port nothing listens on is refused', async () => {
    const port = await freePort();
    const o = await prober().probe(target({ kind: 'tcp', port }), ctx());
    expect(o).toMatchObject({ err: ERR.refused, rttUs: -1 });
  });

  it('a listener with a full backlog drops the SYN: the probe times out at the deadline', async () => {
    const hole = await startBlackholeListener();
    cleanup.push(hole.stop);
    // Fill the accept queue (backlog 0 holds one connection; a second to be sure).
    const fillers = [0, 1].map(() => net.createConnection({ host: '127.0.0.1', port: hole.port }).on('error', () => {}));
    cleanup.push(() => fillers.forEach((f) => f.destroy()));
    await new Promise((res) => setTimeout(res, 200));
    const p = prober();
    const o = await p.probe(target({ kind: 'tcp', port: hole.port }), ctx({ timeoutMs: 1200 }));
    expect(o.err).toBe(ERR.timeout);
    expect(o.rttUs).toBe(-1);
    expect(p.inFlight).toBe(0);
  });

  it('a responder port in use is logged clearly and the agent goes on probing', async () => {
    const { port } = await responder();
    const logs: string[] = [];
    const second = await startResponders({ tcpPort: port, udpPort: await freePort(), bind: '127.0.0.1' }, (l) => logs.push(l));
    cleanup.push(() => second.close());
    expect(second.tcp).toBe(false);
    expect(second.udp).toBe(true);
    expect(logs).toEqual([`probe: the TCP responder cannot listen on 127.0.0.1:${port}: the port is in use by another program; probing goes on without it`]);
    expect((await prober().probe(target({ kind: 'tcp' }), ctx({ tcpPort: port }))).err).toBe(ERR.ok);
  });

  it('goes through an injected net (the lab model) with the target and bind address', async () => {
    const { port } = await responder();
    const calls: net.NetConnectOpts[] = [];
    const p = prober({ net: { createConnection: (opts) => (calls.push(opts), net.createConnection(opts)) } });
    expect((await p.probe(target({ kind: 'tcp' }), ctx({ tcpPort: port, bind: '127.0.0.1' }))).err).toBe(ERR.ok);
    expect(calls).toEqual([{ host: '127.0.0.1', port, localAddress: '127.0.0.1' }]);
  });
});
