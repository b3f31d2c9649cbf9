// Fuzz the lab's BMC simulator through its datagram handler (no sockets): 100k+ random
// datagrams and mutations of real ones, ipmitool's captured packets and FleetDeck's own
// (whose sessions are live in the simulator, so mutations reach the session, integrity,
// decryption and command paths). The handler never throws, only answers with well-formed
// datagrams, keeps its session table bounded, and still serves a real client afterwards.
import { describe, expect, it } from 'vitest';
import { createIpmiClient } from '../../src-main/core/protocols/ipmi';
import { classifyPacket } from '../../src-main/core/protocols/ipmi/codec/rmcp';
import { createBmcSimulator, type BmcSimulator } from '../../src-main/lab/bmc/bmc-simulator';
import { createRng } from '../../src-main/lab/generator';
import { memoryTransport } from '../unit/core/protocols/ipmi/memory-transport';
import { mutate, randomBytes, seedPackets } from './ipmi-mutate';

const CASES = 110_000;
const CREDS = { username: 'admin', password: 'secret' };

/** Real traffic from FleetDeck's client to the simulator (both suites, IPMI 1.5, every command). */
async function liveTraffic(sim: BmcSimulator): Promise<Buffer[]> {
  const t = memoryTransport([sim]);
  for (const [cipherSuite, ipmiVersion] of [[3, '2.0'], [17, '2.0'], [3, '1.5']] as const) {
    const c = createIpmiClient({ host: sim.address, port: sim.port, ...CREDS, cipherSuite, ipmiVersion, transport: t, keepAliveMs: 0, timeoutMs: 500 });
    await c.deviceId();
    await c.sensors();
    await c.selList();
    await c.chassisStatus();
    await c.identify({ seconds: 3 });
    await c.setBootDevice('pxe');
    await c.powerReading();
    await c.session.ping();
    // Left open on purpose: its session stays live in the simulator while the fuzzer runs.
  }
  return t.sent.map((s) => s.data);
}

describe('fuzz: lab BMC simulator', () => {
  it(`answers ${CASES / 1000}k random and mutated datagrams without throwing, with well-formed datagrams only`, async () => {
    const sim = createBmcSimulator({ address: '127.43.0.1', port: 17300, ...CREDS, seed: 5, tickMs: 0, maxSessions: 16 });
    const live = await liveTraffic(sim);
    const seeds = [...seedPackets('client'), ...live];
    const rnd = createRng(0xb3c);
    let answered = 0;
    for (let i = 0; i < CASES; i++) {
      const r = rnd();
      // Some datagrams go in unchanged: replays of live session packets must be refused by the window.
      const input = r < 0.15 ? randomBytes(rnd, 96) : r < 0.2 ? seeds[Math.floor(rnd() * seeds.length)] : mutate(seeds[Math.floor(rnd() * seeds.length)], rnd);
      let reply: Buffer | null;
      try {
        reply = sim.handle(input);
      } catch (err) {
        throw new Error(`case ${i} (${input.toString('hex')}): ${err instanceof Error ? err.stack : String(err)}`);
      }
      if (reply) {
        answered++;
        classifyPacket(reply); // throws if the simulator ever sent garbage
      }
      if (sim.sessions > 16) throw new Error(`case ${i}: ${sim.sessions} sessions, the limit is 16`);
    }
    expect(answered).toBeGreaterThan(1000);
    // Afterwards a real client still logs in and reads everything.
    const t = memoryTransport([sim]);
    const c = createIpmiClient({ host: sim.address, port: sim.port, ...CREDS, transport: t, keepAliveMs: 0, timeoutMs: 500 });
    expect((await c.sensors()).length).toBe(5);
    await c.close();
    expect(sim.internalErrors).toBe(0);
  }, 60_000);
});
