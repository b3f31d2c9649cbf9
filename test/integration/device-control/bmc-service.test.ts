// The console's BMC service against FleetDeck's BMC simulator on real loopback UDP
// (127.35.0.x:17500): one session per BMC is reused between calls, closed when idle, replaced
// when the credential changes or the BMC forgets it, never repeated for a power action, and
// closed on dispose() with no handle left behind.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Device, FleetEvent } from '../../../src-shared/domain';
import { createBmcService, type BmcService } from '../../../src-main/core/device-control/bmc-service';
import { IpmiAuthError } from '../../../src-main/core/protocols/ipmi';
import { openStore, type Db } from '../../../src-main/core/store/database';
import { CredentialRepository } from '../../../src-main/core/store/credential-repository';
import { createCredentialResolver } from '../../../src-main/core/credentials/credential-resolver';
import { SecretBox } from '../../../src-main/core/security/secret-box';
import { createBmcSimulator, type BmcSimulator } from '../../../src-main/lab/bmc';
import { leftOver, resources, until } from '../../support/handles';

const PORT = 17500;
const LOGIN = { username: 'fleetdeck', password: 'bmc-service-pass' };

function device(n: number): Device {
  return {
    id: `srv-${n}`, hostname: `srv-${n}.lab`, kind: 'server', bmcAddress: `127.35.0.${n}`, bmcPort: PORT, ipmiCredential: 'bmc-login',
  } as Device;
}

describe('BMC service sessions', () => {
  let db: Db | null = null;
  let service: BmcService | null = null;
  const sims: BmcSimulator[] = [];

  afterEach(async () => {
    await service?.dispose();
    for (const s of sims.splice(0)) await s.stop();
    db?.close();
    service = null;
    db = null;
  });

  async function setup(opts: { idleMs?: number; bmcs?: number } = {}) {
    const before = resources();
    db = openStore(':memory:');
    const credentials = new CredentialRepository(db, new SecretBox(randomBytes(32)));
    credentials.put('bmc-login', 'ipmi', 'BMC login', JSON.stringify(LOGIN));
    const devices = Array.from({ length: opts.bmcs ?? 1 }, (_, i) => device(i + 1));
    for (const dev of devices) {
      const sim = createBmcSimulator({ address: dev.bmcAddress!, port: PORT, ...LOGIN, seed: 1, poweredOn: true, tickMs: 0 });
      await sim.start();
      sims.push(sim);
    }
    const events: Omit<FleetEvent, 'id'>[] = [];
    service = createBmcService({
      device: (id) => devices.find((d) => d.id === id) ?? null,
      // The devices are not stored: each is bound where it is (the binding check itself: credential-binding.test.ts).
      credentials: createCredentialResolver(credentials, {
        get: (id) => devices.filter((d) => d.id === id).map((d) => ({ credentialId: d.ipmiCredential!, host: d.bmcAddress!, port: d.bmcPort }))[0],
      }),
      record: (list) => events.push(...list),
      idleMs: opts.idleMs,
    });
    return { before, credentials, events, devices };
  }

  it('logs in once for repeated reads and actions, then closes the session when idle', async () => {
    const { before } = await setup({ idleMs: 400 });
    const sim = sims[0];
    const first = await service!.info('srv-1');
    expect(first.power).toBe('on');
    expect(first.sensors.length).toBeGreaterThan(3);
    await service!.info('srv-1');
    await service!.identify('srv-1', 5);
    await service!.bootDevice('srv-1', 'pxe');
    expect(sim.logins).toBe(1);
    expect(sim.sessions).toBe(1);
    expect(service!.openSessions).toBe(1);
    expect(sim.state.boot.device).toBe('pxe');
    // Unused past idleMs: the console says Close Session; the BMC's table empties.
    await until('session closed when idle', () => (sim.sessions === 0 && service!.openSessions === 0) || undefined, 5000);
    await service!.info('srv-1');
    expect(sim.logins).toBe(2);
    await service!.dispose();
    expect(sim.sessions).toBe(0);
    await expect(service!.info('srv-1')).rejects.toThrow(/shut down/);
    for (const s of sims.splice(0)) await s.stop();
    await until('no handle left', () => leftOver(before, resources()).length === 0 || undefined, 5000).catch(() => {
      throw new Error(`handles left open: ${leftOver(before, resources()).join(', ')}`);
    });
  }, 30_000);

  it('opens a new session when the credential changes, and keeps none after a refused login', async () => {
    const { credentials } = await setup();
    const sim = sims[0];
    await service!.info('srv-1');
    credentials.put('bmc-login', 'ipmi', 'BMC login', JSON.stringify({ ...LOGIN, password: 'not-the-password' }));
    const t0 = Date.now();
    await expect(service!.info('srv-1')).rejects.toBeInstanceOf(IpmiAuthError);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(service!.openSessions).toBe(0);
    credentials.put('bmc-login', 'ipmi', 'BMC login', JSON.stringify(LOGIN));
    await service!.info('srv-1');
    expect(sim.logins).toBe(2);
  }, 30_000);

  it('reads again on a fresh session when the BMC has forgotten the old one, but does not repeat a power action', async () => {
    await setup();
    const sim = sims[0];
    await service!.info('srv-1');
    // The BMC restarts: every session it knew is gone.
    await sim.stop();
    await sim.start();
    const info = await service!.info('srv-1');
    expect(info.power).toBe('on');
    expect(sim.logins).toBe(2); // one fresh login after the restart
    await sim.stop();
    await sim.start();
    await expect(service!.power('srv-1', 'off', 'srv-1.lab')).rejects.toThrow();
    expect(sim.state.power).toBe('on');
    expect(service!.openSessions).toBe(0);
    // The next click works, on a new session.
    expect(await service!.power('srv-1', 'off', 'srv-1.lab')).toEqual({ power: 'off' });
  }, 30_000);

  it('names SEL rows by the sensor\'s SDR name, the English fallback too', async () => {
    await setup();
    await service!.power('srv-1', 'off', 'srv-1.lab');
    await service!.power('srv-1', 'on', 'srv-1.lab');
    const info = await service!.info('srv-1');
    const names = new Set(info.sensors.map((s) => s.name));
    const system = info.sel.filter((e) => e.sensorNumber !== null);
    expect(system.length).toBeGreaterThan(0);
    for (const e of system) {
      expect(e.sensorName == null || names.has(e.sensorName), `${e.sensorName}`).toBe(true);
      if (e.sensorName) expect(e.sensor).toBe(e.sensorName);
    }
    expect(system.some((e) => e.sensorName)).toBe(true);
  });

  it('keeps one session per BMC and reads several BMCs at once', async () => {
    await setup({ bmcs: 4 });
    const ids = ['srv-1', 'srv-2', 'srv-3', 'srv-4'];
    for (let round = 0; round < 3; round++) {
      const all = await Promise.all(ids.map((id) => service!.info(id)));
      expect(all.map((i) => i.deviceId)).toEqual(ids);
    }
    expect(sims.map((s) => s.logins)).toEqual([1, 1, 1, 1]);
    expect(service!.openSessions).toBe(4);
  }, 30_000);
});
