// Fuzzing the session's receive side: a broken or hostile agent must not take the poller
// down. A relay between a FleetDeck session and a real agent answers each request with
// mutated copies of the agent's real answer (and random bytes), then the real answer. Every
// request must settle, with values or a named SnmpError; nothing may escape the process; the
// session still works afterwards. FUZZ_SEED=<the seed printed> replays a run.
import * as dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnmpSession, SnmpError, type SnmpCredentials, type SnmpSession } from '../../src-main/core/protocols/snmp';
import { startTestAgent, type TestAgent } from '../support/snmp-test-agent';
import { mutate, rng } from './mutate';

const AGENT = { address: '127.54.1.1', port: 18410 };
const RELAY = { address: '127.54.1.2', port: 18411 };
const USER = { name: 'fuzz-v3', authProtocol: 'sha', authKey: 'fuzz-auth-key', privProtocol: 'aes', privKey: 'fuzz-priv-key' } as const;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

describe('session response fuzz', () => {
  let agent: TestAgent;
  let relay: dgram.Socket;
  let upstream: dgram.Socket;
  const escaped: unknown[] = [];
  const onEscape = (err: unknown): void => void escaped.push(err);
  let r = rng(SEED);
  let garbage = 3;
  const seen: Buffer[] = [];

  beforeAll(async () => {
    console.log(`session response fuzz: FUZZ_SEED=${SEED}`);
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
    agent = await startTestAgent({ ...AGENT, community: 'fuzz', users: [USER], interfaces: Array.from({ length: 8 }, (_, i) => ({
      ifIndex: i + 1, name: `eth${i}`, speedMbps: 1000, admin: 1, oper: 1, inOctets: 2n ** 40n + BigInt(i), outOctets: BigInt(i),
    })) });
    relay = dgram.createSocket('udp4');
    upstream = dgram.createSocket('udp4');
    await new Promise<void>((res) => relay.bind(RELAY.port, RELAY.address, res));
    await new Promise<void>((res) => upstream.bind(0, RELAY.address, res));
    const clients = new Map<number, dgram.RemoteInfo>();
    let last: dgram.RemoteInfo | null = null;
    relay.on('message', (msg, rinfo) => {
      last = rinfo;
      clients.set(rinfo.port, rinfo);
      upstream.send(msg, AGENT.port, AGENT.address);
    });
    upstream.on('message', (answer) => {
      if (!last) return;
      const to = last;
      seen.push(answer);
      if (seen.length > 64) seen.shift();
      const other = (): Buffer => seen[Math.floor(r() * seen.length)];
      for (let i = 0; i < garbage; i++) {
        const bad = r() < 0.1 ? Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256))) : mutate(answer, r, other);
        if (bad.length) relay.send(bad, to.port, to.address);
      }
      relay.send(answer, to.port, to.address);
    });
  });
  afterAll(async () => {
    await new Promise<void>((res) => (relay ? relay.close(() => res()) : res()));
    await new Promise<void>((res) => (upstream ? upstream.close(() => res()) : res()));
    await agent?.close();
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
  });

  async function hammer(credentials: SnmpCredentials, requests: number, seed: number): Promise<Record<string, number>> {
    r = rng(seed);
    const outcomes: Record<string, number> = {};
    const count = (k: string): void => void (outcomes[k] = (outcomes[k] ?? 0) + 1);
    let session: SnmpSession = createSnmpSession({ host: RELAY.address, port: RELAY.port, credentials, timeoutMs: 500, retries: 0 });
    for (let i = 0; i < requests; i++) {
      // A v3 session whose engine notion was poisoned by a mutated report may stay refused:
      // a fresh session every 100 requests keeps the run exercising the decoder.
      if (i % 100 === 99) {
        await session.close();
        session = createSnmpSession({ host: RELAY.address, port: RELAY.port, credentials, timeoutMs: 500, retries: 0 });
      }
      const req = i % 3 === 0 ? session.getBulk(['1.3.6.1.2.1.2.2.1.2', '1.3.6.1.2.1.31.1.1.1.6'], { maxRepetitions: 6 }) : session.get(['1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.1.3.0']);
      try {
        await req;
        count('answered');
      } catch (err) {
        count(err instanceof SnmpError ? err.name : `UNNAMED ${(err as Error)?.name}`);
      }
    }
    await session.close();
    return outcomes;
  }

  for (const [label, credentials, requests, seed] of [
    ['v2c', { version: '2c', community: 'fuzz' }, 8000, SEED + 10],
    ['v3 authPriv', { version: '3', user: USER }, 4000, SEED + 11],
  ] as const) {
    it(`settles ${requests} ${label} requests answered with mutated responses (x3 each), only ever with named errors`, async () => {
      const outcomes = await hammer(credentials as SnmpCredentials, requests, seed);
      console.log(`session response fuzz ${label}`, JSON.stringify(outcomes));
      expect(Object.keys(outcomes).filter((k) => k.startsWith('UNNAMED'))).toEqual([]);
      expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(requests);
      expect(outcomes.answered).toBeGreaterThan(requests / 10);
      expect(escaped).toEqual([]);
      // The relay, quiet now, and a fresh session: everything still works.
      garbage = 0;
      const s = createSnmpSession({ host: RELAY.address, port: RELAY.port, credentials: credentials as SnmpCredentials });
      expect((await s.get(['1.3.6.1.2.1.1.5.0']))[0].value?.toString()).toBe('test-agent');
      await s.close();
      garbage = 3;
    });
  }
});
