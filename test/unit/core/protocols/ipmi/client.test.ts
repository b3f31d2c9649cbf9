// The client and session against the lab's BMC simulator, through an in-memory transport
// (no sockets): login with each suite and IPMI 1.5, every command, named errors, retries,
// replays, keep-alive, re-login, close, and sweeps.
import { afterEach, describe, expect, it } from 'vitest';
import { createIpmiClient, sweep, IpmiAuthError, IpmiCompletionCodeError, IpmiSessionClosedError, IpmiTimeoutError, PRIVILEGE, type IpmiClient } from '../../../../../src-main/core/protocols/ipmi';
import { createBmcSimulator, type BmcSimulator, type BmcSimulatorOptions } from '../../../../../src-main/lab/bmc/bmc-simulator';
import { until } from '../../../../support/handles';
import { memoryTransport, type MemoryTransport } from './memory-transport';

const ADMIN = { username: 'fleetdeck', password: 'lab-bmc-pass' };
const open: IpmiClient[] = [];

function bmc(o: Partial<BmcSimulatorOptions> = {}): BmcSimulator {
  return createBmcSimulator({ address: '127.42.0.1', port: 17200, ...ADMIN, seed: 11, nominalWatts: 400, psuRatedWatts: 800, cycleDelayMs: 20, tickMs: 0, ...o });
}

function client(t: MemoryTransport, sim: BmcSimulator, o: Partial<Parameters<typeof createIpmiClient>[0]> = {}): IpmiClient {
  const c = createIpmiClient({ host: sim.address, port: sim.port, ...ADMIN, transport: t, timeoutMs: 200, retries: 2, keepAliveMs: 0, ...o });
  open.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

describe('IPMI client against the lab BMC simulator', () => {
  it('logs in with suite 17 on auto, 3 when asked, IPMI 1.5 when the BMC offers nothing else', async () => {
    const sim = bmc();
    const t = memoryTransport([sim]);
    const auto = client(t, sim);
    expect((await auto.deviceId()).firmwareRevision).toBe('2.41');
    expect([auto.session.version, auto.session.cipherSuite]).toEqual(['2.0', 17]);
    const c3 = client(t, sim, { cipherSuite: 3 });
    await c3.chassisStatus();
    expect(c3.session.cipherSuite).toBe(3);
    const old = bmc({ address: '127.42.0.2', ipmi20: false });
    const legacy = client(memoryTransport([old]), old);
    expect((await legacy.chassisStatus()).powerOn).toBe(true);
    expect([legacy.session.version, legacy.session.cipherSuite]).toEqual(['1.5', null]);
  });

  it('powers off, on and cycles; the BMC logs power events and tells its listeners', async () => {
    const sim = bmc();
    const seen: string[] = [];
    sim.onPowerChange((on, cause) => seen.push(`${on ? 'on' : 'off'}:${cause}`));
    const c = client(memoryTransport([sim]), sim);
    await c.power('off');
    expect((await c.chassisStatus()).powerOn).toBe(false);
    await c.power('on');
    expect(sim.state.power).toBe('on');
    await c.power('cycle');
    await until('power back on after the cycle', async () => (await c.chassisStatus()).powerOn);
    sim.setPower(false);
    expect((await c.chassisStatus()).powerOn).toBe(false);
    expect(seen).toEqual(['off:ipmi', 'on:ipmi', 'off:ipmi', 'on:ipmi', 'off:lab']);
    const sel = await c.selList();
    expect(sel.map((e) => `${e.description}/${e.asserted ? 'a' : 'd'}`)).toEqual([
      'Power off/down/a', 'Power off/down/d', 'Power cycle/a', 'Power off/down/a', 'Power off/down/d', 'Power off/down/a',
    ]);
    await expect(c.power('reset')).rejects.toMatchObject({ name: 'IpmiCompletionCodeError', completionCode: 0xd5 });
  });

  it('turns identify on for an interval, on until told otherwise, and off', async () => {
    const sim = bmc();
    const c = client(memoryTransport([sim]), sim);
    await c.identify({ seconds: 30 });
    expect((await c.chassisStatus()).identify).toBe('temporary');
    await c.identify({ force: true });
    expect(sim.state.identify).toBe('indefinite');
    await c.identify({ seconds: 0 });
    expect((await c.chassisStatus()).identify).toBe('off');
  });

  it('sets the boot device once or persistently; a one-time override is used up by the next boot', async () => {
    const sim = bmc();
    const c = client(memoryTransport([sim]), sim);
    await c.setBootDevice('pxe');
    expect(await c.bootDevice()).toMatchObject({ valid: true, persistent: false, device: 'pxe' });
    await c.power('off');
    await c.power('on');
    expect((await c.bootDevice()).valid).toBe(false);
    await c.setBootDevice('disk', { persistent: true });
    await c.power('off');
    await c.power('on');
    expect(sim.state.boot).toMatchObject({ valid: true, persistent: true, device: 'disk' });
  });

  it('walks the SDR and reads every sensor as the BMC computes it; power from DCMI or the PSU sensor', async () => {
    const sim = bmc();
    const t = memoryTransport([sim]);
    const c = client(t, sim);
    const sdr = await c.sdr();
    expect(sdr.map((r) => r.name)).toEqual(['Inlet Temp', 'CPU Temp', 'Fan1', 'PSU1 Power', 'Power Unit', 'Lab BMC']);
    const sensors = await c.sensors();
    const truth = sim.state.sensors;
    for (const s of truth) {
      const got = sensors.find((x) => x.name === s.name)!;
      expect([got.value, got.units, got.status]).toEqual([s.value, s.units, s.status]);
    }
    // The SDR is cached: a second reading costs the repository info and one request per sensor.
    const sent = t.sent.length;
    await c.sensors();
    expect(t.sent.length - sent).toBe(1 + 5);
    const dcmi = await c.powerReading();
    expect(dcmi).toMatchObject({ source: 'dcmi', watts: truth.find((s) => s.units === 'Watts')!.value });
    const plain = bmc({ address: '127.42.0.3', dcmi: false });
    const p = await client(memoryTransport([plain]), plain).powerReading();
    expect(p).toMatchObject({ source: 'sensor', watts: plain.state.sensors[3].value });
  });

  it('reads SEL info and entries, and clears the SEL', async () => {
    const sim = bmc();
    sim.setPower(false);
    sim.setPower(true);
    const c = client(memoryTransport([sim]), sim);
    expect((await c.selInfo()).entries).toBe(2);
    expect((await c.selList()).map((e) => e.sensorTypeName)).toEqual(['Power Unit', 'Power Unit']);
    await c.selClear();
    expect(await c.selList()).toEqual([]);
    expect(sim.state.sel).toEqual([]);
  });

  it('fails a wrong password at once with IpmiAuthError (no resends), and an unknown user likewise', async () => {
    const sim = bmc();
    const t = memoryTransport([sim]);
    const wrong = client(t, sim, { password: 'nope', timeoutMs: 60_000 });
    const err = await wrong.chassisStatus().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpmiAuthError);
    expect(err).toMatchObject({ host: '127.42.0.1', reason: expect.stringMatching(/wrong password/) });
    expect(t.sent).toHaveLength(3); // auth capabilities, open session, RAKP 1: nothing resent
    await expect(client(t, sim, { username: 'mallory', timeoutMs: 60_000 }).deviceId()).rejects.toMatchObject({ name: 'IpmiAuthError', reason: 'RAKP 2: unauthorized name' });
  });

  it('turns completion codes into named errors: a user-level account may read but not power off', async () => {
    const sim = bmc({ users: [{ username: 'viewer', password: 'look', maxPrivilege: PRIVILEGE.USER }] });
    const t = memoryTransport([sim]);
    const viewer = client(t, sim, { username: 'viewer', password: 'look', privilege: PRIVILEGE.USER });
    expect((await viewer.chassisStatus()).powerOn).toBe(true);
    const err = await viewer.power('off').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpmiCompletionCodeError);
    expect(err).toMatchObject({ completionCode: 0xd4, command: 'Chassis Control', host: '127.42.0.1' });
    await expect(client(t, sim, { username: 'viewer', password: 'look' }).deviceId()).rejects.toMatchObject({ name: 'IpmiAuthError', reason: expect.stringMatching(/unauthorized role/) });
  });

  it('resends lost datagrams, ignores duplicated, forged and replayed answers, and times out naming the command', async () => {
    const sim = bmc();
    const t = memoryTransport([sim]);
    const c = client(t, sim);
    await c.deviceId();
    let lose = 2;
    t.deliverRequest = () => lose-- <= 0;
    expect((await c.chassisStatus()).powerOn).toBe(true);
    t.deliverRequest = () => true;
    t.copiesOfReply = () => 2;
    for (let i = 0; i < 5; i++) await c.chassisStatus();
    t.copiesOfReply = () => 1;
    // Answers with a flipped bit fail their AuthCode: ignored, so the command times out.
    const realHandle = sim.handle;
    sim.handle = (p) => {
      const r = realHandle(p);
      if (r) r[r.length - 1] ^= 0x01;
      return r;
    };
    const err = await c.chassisStatus().catch((e: unknown) => e);
    sim.handle = realHandle;
    expect(err).toBeInstanceOf(IpmiTimeoutError);
    expect(err).toMatchObject({ host: '127.42.0.1', port: 17200, command: 'Get Chassis Status' });
    // The timeout dropped the session: the next call logs in again.
    expect((await c.chassisStatus()).powerOn).toBe(true);
  });

  it('logs in again after the BMC restarts and forgets the session', async () => {
    const bmcs = [bmc()];
    const t = memoryTransport(bmcs);
    const c = client(t, bmcs[0], { timeoutMs: 50, retries: 1 });
    await c.deviceId();
    bmcs[0] = bmc();
    await expect(c.deviceId()).rejects.toBeInstanceOf(IpmiTimeoutError);
    expect((await c.deviceId()).firmwareRevision).toBe('2.41');
  });

  it('keeps an idle session alive with Get Device ID, and closes it on the BMC', async () => {
    const sim = bmc();
    const t = memoryTransport([sim]);
    const c = client(t, sim, { keepAliveMs: 20 });
    await c.chassisStatus();
    const after = t.sent.length;
    await until('two keep-alives', () => t.sent.length >= after + 2);
    expect(sim.sessions).toBe(1);
    await c.close();
    expect(sim.sessions).toBe(0);
    await expect(c.chassisStatus()).rejects.toBeInstanceOf(IpmiSessionClosedError);
  });

  it('sweeps many BMCs with bounded concurrency, one result per target in order', async () => {
    const sims = Array.from({ length: 12 }, (_, i) => bmc({ address: `127.42.1.${i + 1}`, seed: i, poweredOn: i % 3 !== 0 }));
    const t = memoryTransport(sims);
    let inFlight = 0;
    let most = 0;
    const targets = [...sims.map((s) => ({ host: s.address, port: s.port, ...ADMIN })), { host: '127.42.1.99', port: 17200, ...ADMIN, timeoutMs: 20, retries: 0 }];
    const results = await sweep(targets, async (cl) => {
      most = Math.max(most, ++inFlight);
      try {
        return (await cl.chassisStatus()).powerOn;
      } finally {
        inFlight--;
      }
    }, { concurrency: 4, transport: t });
    expect(most).toBe(4);
    expect(results.slice(0, 12).map((r) => (r.ok ? r.value : null))).toEqual(sims.map((_, i) => i % 3 !== 0));
    expect(results[12]).toMatchObject({ ok: false, error: { name: 'IpmiTimeoutError', host: '127.42.1.99' } });
    expect(sims.every((s) => s.sessions === 0)).toBe(true);
  });

  it('stops starting BMCs when the sweep is cancelled: the rest fail as IpmiCancelledError', async () => {
    const sims = Array.from({ length: 6 }, (_, i) => bmc({ address: `127.42.2.${i + 1}` }));
    const abort = new AbortController();
    const results = await sweep(sims.map((s) => ({ host: s.address, port: s.port, ...ADMIN })), async (cl, t) => {
      if (t.host === '127.42.2.2') abort.abort();
      return (await cl.deviceId()).deviceId;
    }, { concurrency: 1, transport: memoryTransport(sims), signal: abort.signal });
    expect(results.map((r) => (r.ok ? 'ok' : r.error.name))).toEqual(['ok', 'ok', 'IpmiCancelledError', 'IpmiCancelledError', 'IpmiCancelledError', 'IpmiCancelledError']);
  });

  it('answers the ASF presence ping', async () => {
    const sim = bmc();
    const c = client(memoryTransport([sim]), sim);
    expect(await c.session.ping()).toMatchObject({ ipmiSupported: true });
  });
});
