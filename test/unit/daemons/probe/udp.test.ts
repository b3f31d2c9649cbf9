// The UDP echo responder and prober on real loopback sockets: a probe round trip through the
// agent's responder; many probes at once each resolved by its own reply; datagrams that are not
// an echo probe (wrong size, wrong magic, a long one, a late echo) are ignored and never
// answered; a responder whose stall detector (on a hand-driven clock) saw its loop stall just
// now answers with a late echo of the same length, which the prober resolves as stalled, and
// answers on time again once the stall is past; a reply with an unknown nonce resolves
// nothing; a target that never answers times out; probes leave from the bind address.
import * as dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeUdpEcho, encodeUdpEcho, UDP_ECHO_MAGIC } from '../../../../src-shared/agent-protocol/probe';
import { createStallDetector, type StallDetector } from '../../../../src-shared/stall-detector';
import { startResponders } from '../../../../src-daemons/agent/probe/responders';
import { createUdpProber } from '../../../../src-daemons/agent/probe/udp';
import { ERR } from '../../../../src-daemons/agent/probe/types';
import { ctx, freePort, target, until } from './rig';

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

async function echo(bind = '127.0.0.1', stalls?: StallDetector) {
  const udpPort = await freePort(bind);
  const r = await startResponders({ tcpPort: await freePort(bind), udpPort, bind }, () => {}, stalls);
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
    expect(outs.filter((o) => o.stalled)).toEqual([]);
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
    const lateEcho = Buffer.from(encodeUdpEcho(4n, 0, true)); // another responder's late echo: answering it would ping-pong
    for (const d of [Buffer.from('hello'), wrongMagic, long, Buffer.alloc(0), lateEcho]) s.send(d, udpPort, '127.0.0.1');
    s.send(Buffer.from(encodeUdpEcho(3n, 0)), udpPort, '127.0.0.1'); // the one real probe, last
    await new Promise((res) => setTimeout(res, 200));
    expect(replies.map((m) => m.length)).toEqual([20]);
    expect(r.counts).toMatchObject({ echoed: 1, ignored: 5 });
  });

  it("a responder whose loop just stalled answers with a late echo (same length), the prober's outcome is stalled; on time again after", async () => {
    let t = 0;
    const stalls = createStallDetector({ periodMs: 10, thresholdMs: 10, now: () => t });
    cleanup.push(() => stalls.dispose());
    const { r, udpPort } = await echo('127.0.0.1', stalls);
    t = 60; // the responder's loop was blocked for 60 ms...
    stalls.check(); // ...and the late tick recorded it: a stall that ended just now
    const s = await udpSocket();
    const replies: Buffer[] = [];
    s.on('message', (m) => replies.push(m));
    const sent = Buffer.from(encodeUdpEcho(9n, 1234.5));
    s.send(sent, udpPort, '127.0.0.1');
    await until('the late echo', () => replies.length === 1);
    expect(replies[0].length).toBe(sent.length);
    expect(decodeUdpEcho(replies[0])).toEqual({ nonce: 9n, sentAtMs: 1234.5, late: true });
    expect(replies[0].subarray(4)).toEqual(sent.subarray(4));
    const p = createUdpProber();
    cleanup.push(() => p.close());
    const stalled = await p.probe(target({ kind: 'udp' }), ctx({ udpPort }));
    expect(stalled).toMatchObject({ err: ERR.ok, stalled: true });
    expect(r.counts).toMatchObject({ echoed: 2, late: 2 });
    for (let i = 0; i < 5; i++) {
      t += 10; // on-time ticks: the stall is 50 ms past, beyond the late window
      stalls.check();
    }
    const onTime = await p.probe(target({ kind: 'udp' }), ctx({ udpPort }));
    expect(onTime.err).toBe(ERR.ok);
    expect(onTime.stalled).toBeUndefined();
    expect(r.counts).toMatchObject({ echoed: 3, late: 2 });
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
