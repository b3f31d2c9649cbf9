// The agent's decapsulation (src-daemons/agent/gateway/decap.ts) with an ordinary UDP service
// behind it: a client's payload reaches the service and its answer goes back to the client; a
// failover drill's probe is answered by the agent itself with the backend's name and never
// reaches the service. Real sockets on loopback.
import dgram from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { startDecap, type Decap } from '../../../../../src-daemons/agent/gateway/decap';
import { encodeDrillProbe, parseDrillAnswer } from '../../../../../src-shared/mgw/drill-probe';
import { encodeEncap } from '../../../../../src-shared/mgw/encap';
import { ipv4ToU32, PROTO_UDP } from '../../../../../src-shared/mgw/key';

const open: { close(): void }[] = [];
let decap: Decap | null = null;
afterAll(async () => {
  for (const s of open) s.close();
  await decap?.stop();
});

const bound = async (): Promise<dgram.Socket> => {
  const s = dgram.createSocket('udp4');
  open.push(s);
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
};
const next = (s: dgram.Socket): Promise<Buffer> => new Promise((r) => s.once('message', (m) => r(m)));

describe('decap with a UDP service', () => {
  it('hands client payloads to the service and answers drill probes itself', async () => {
    const service = await bound();
    const seen: string[] = [];
    service.on('message', (m, from) => {
      seen.push(m.toString());
      service.send(`svc:${m.toString()}`, from.port, from.address);
    });
    decap = await startDecap({ name: 'be-x', listen: { address: '127.0.0.1', port: 0 }, service: { kind: 'udp', address: '127.0.0.1', port: service.address().port } });
    const client = await bound();
    const node = await bound();
    const header = { flags: 0, proto: PROTO_UDP, node: 0, vip: ipv4ToU32('127.0.0.1'), vipPort: 1, client: ipv4ToU32('127.0.0.1'), clientPort: client.address().port, seq: 1 } as const;

    const plain = next(client);
    node.send(encodeEncap(header, Buffer.from('hello')), decap.port, '127.0.0.1');
    expect((await plain).toString()).toBe('svc:hello');

    const probed = next(client);
    node.send(encodeEncap({ ...header, seq: 2 }, encodeDrillProbe({ drill: 'deadbeef', session: 7, seq: 3 })), decap.port, '127.0.0.1');
    expect(parseDrillAnswer(await probed)).toEqual({ drill: 'deadbeef', session: 7, seq: 3, backend: 'be-x' });
    expect(seen).toEqual(['hello']);
    expect(decap.stats.drillProbes).toBe(1);
  });
});
