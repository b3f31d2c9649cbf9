// The UDP echo responder and prober on real loopback sockets: a probe round trip through the
// agent's responder; many probes at once each resolved by its own reply; datagrams that are not
// an echo probe (wrong size, wrong magic, a long one) are ignored and never answered; a reply
// with an unknown nonce resolves nothing; a target that never answers times out; probes leave
// from the bind address.
import * as dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeUdpEcho, UDP_ECHO_MAGIC } from '../../../../src-shared/agent-protocol/probe';
import { startResponders } from '../../../../src-daemons/agent/probe/responders';
import { createUdpProber } from '../../../../src-daemons/agent/probe/udp';
import { ERR } from '../../../../src-daemons/agent/probe/types';
import { ctx, freePort, target } from './rig';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const udpSocket = async (address = '127.0.0.1'): Promise<dgram.Socket> => {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((res) => s.bind(0, address, res));
  cleanup.push(() => s.close());
  return s;
};

async function echo(bind = '127.0.0.1') {
  const udpPort = await freePort(bind);
  const r = await startResponders({ tcpPort: await freePort(bind), udpPort, bind }, () => {});
  cleanup.push(() => r.close());
  return { r, udpPort };
}

describe('UDP echo probes', () => {
  it('round trips through the responder, 200 probes at once each answered by its own reply', async () => {
    const { r, udpPort } = await echo();
    const p = createUdpProber();
    cleanup.push(() => p.close());
    const outs = await Promise.all(Array.from({ length: 200 }, () => p.probe(target({ kind: 'udp' }), ctx({ udpPort }))));
    expect(outs.filter((o) => o.err !== ERR.ok)).toEqual([]);
    expect(outs.every((o) => o.rttUs >= 0)).toBe(true);
    expect(r.counts.echoed).toBe(200);
    expect(p.inFlight).toBe(0);
  });

  it('ignores every datagram that is not an echo probe: nothing comes back, nothing is amplified', async () => {
    const { r, udpPort } = await echo();
    const s = await udpSocket();
    const replies: Buffer[] = [];
    s.on('message', (m) => replies.push(m));
    const wrongMagic = Buffer.from(encodeUdpEcho(1n, 0));
    wrongMagic.writeUInt32BE(UDP_ECHO_MAGIC ^ 1, 0);
    const long = Buffer.concat([Buffer.from(encodeUdpEcho(2n, 0)), Buffer.alloc(500)]);
    for (const d of [Buffer.from('hello'), wrongMagic, long, Buffer.alloc(0)]) s.send(d, udpPort, '127.0.0.1');
    s.send(Buffer.from(encodeUdpEcho(3n, 0)), udpPort, '127.0.0.1'); // the one real probe, last
    await new Promise((res) => setTimeout(res, 200));
    expect(replies.map((m) => m.length)).toEqual([20]);
    expect(r.counts).toMatchObject({ echoed: 1, ignored: 4 });
  });

  it('a reply with a nonce it never sent resolves nothing; a silent target times out', async () => {
    const silent = await udpSocket();
    const got: dgram.RemoteInfo[] = [];
    silent.on('message', (m, rinfo) => {
      got.push(rinfo);
      silent.send(encodeUdpEcho(0x10000n, 0), rinfo.port, rinfo.address); // a forged echo naming the probe's slot, without its salt
    });
    const p = createUdpProber();
    cleanup.push(() => p.close());
    const o = await p.probe(target({ kind: 'udp', port: silent.address().port }), ctx({ timeoutMs: 1000 }));
    expect(o).toEqual({ rttUs: -1, err: ERR.timeout });
    expect(got).toHaveLength(1);
  });

  it('leaves from the bind address', async () => {
    const peer = await udpSocket('127.0.0.3');
    const from: string[] = [];
    peer.on('message', (m, rinfo) => {
      from.push(rinfo.address);
      peer.send(m, rinfo.port, rinfo.address);
    });
    const p = createUdpProber();
    cleanup.push(() => p.close());
    const o = await p.probe(target({ kind: 'udp', addr: '127.0.0.3', port: peer.address().port }), ctx({ bind: '127.0.0.2' }));
    expect(o.err).toBe(ERR.ok);
    expect(from).toEqual(['127.0.0.2']);
  });
});
