// Inventory and credential changes reach the BMC sensor poller through createCore (its wiring:
// credentials.onChanged and the inventory module's onImported -> device control's refresh()),
// against lab BMC simulators on loopback UDP (127.35.4.x:17504), with a minute between rounds:
// a server whose IPMI credential is stored after start, then a server added with
// inventory.putDevice, are read within about a second; a deleted server's session is closed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Device } from '../../../src-shared/domain';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { createBmcSimulator, type BmcSimulator } from '../../../src-main/lab/bmc';
import { seedOneCabinet } from '../../support/one-cabinet';
import { sleep, until } from '../../support/handles';

const PORT = 17504;
const LOGIN = { username: 'fleetdeck', password: 'bmc-sensors-live' };
const admin: CallContext = { actor: 'ada', role: 'admin' };

const server = (n: number): Device => ({
  id: `srv-${n}`, cabinetId: 'c', kind: 'server', hostname: `srv-${n}`, sn: `SN-${n}`, uPosition: n, uHeight: 1, mgmtIp: `127.36.4.${n}`, snmpPort: 16161,
  bmcAddress: `127.35.4.${n}`, bmcPort: PORT, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: 'bmc-late', serviceTree: null,
});

describe('BMC sensor poller through createCore', () => {
  let core: Core;
  let dir: string;
  const sims: BmcSimulator[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fd-bmc-live-'));
    const storePath = join(dir, 'core.db');
    // Stored by an older import: srv-1 refers to a credential not stored yet.
    seedOneCabinet(storePath, [server(1)]);
    for (const n of [1, 2]) {
      const s = createBmcSimulator({ address: `127.35.4.${n}`, port: PORT, ...LOGIN, seed: n, poweredOn: true, tickMs: 0 });
      await s.start();
      sims.push(s);
    }
    core = await createCore({
      storePath, secretKey: randomBytes(32), lab: false,
      poller: { intervalMs: 60_000, timeoutMs: 200, retries: 0 },
      // A minute between rounds (the first one 7.5-15 s after start): only a change itself can make a read within a second.
      bmcSensors: { intervalMs: 60_000 },
    });
  }, 30_000);
  afterAll(async () => {
    await core?.dispose();
    for (const s of sims.splice(0)) await s.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** When the device page's BMC power was last read (null: never). */
  const powerAt = async (id: string): Promise<number | null> => (await core.api.call(admin, 'device.detail', { deviceId: id })).powerAt;
  const timed = async (what: string, change: () => Promise<unknown>, done: () => Promise<boolean>): Promise<number> => {
    const t0 = performance.now();
    await change();
    await until(what, async () => (await done()) || undefined, 5000, 10);
    const ms = performance.now() - t0;
    console.log(`${what}: ${Math.round(ms)} ms`);
    return ms;
  };

  it('reads a server within a second of its IPMI credential being stored, and one added with inventory.putDevice', { timeout: 30_000 }, async () => {
    await sleep(300);
    expect(await powerAt('srv-1')).toBeNull();
    expect(sims[0].logins).toBe(0);

    const put = () => core.api.call(admin, 'credentials.put', { id: 'bmc-late', kind: 'ipmi', name: 'BMC', secret: JSON.stringify(LOGIN) });
    expect(await timed('srv-1 read after credentials.put', put, async () => (await powerAt('srv-1')) !== null)).toBeLessThan(1500);

    const add = () => core.api.call(admin, 'inventory.putDevice', { device: server(2) });
    expect(await timed('srv-2 read after inventory.putDevice', add, async () => (await powerAt('srv-2')) !== null)).toBeLessThan(1500);
    expect(sims.map((s) => s.logins)).toEqual([1, 1]);

    await core.api.call(admin, 'inventory.deleteDevice', { deviceId: 'srv-2', confirmHostname: 'srv-2' });
    await until('the deleted server\'s BMC session closed', () => sims[1].sessions === 0 || undefined, 3000);
  });
});
