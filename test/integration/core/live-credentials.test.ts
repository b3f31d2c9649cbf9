// Credentials take effect live, against createCore and a real snmpd (v3 users, 127.52.0.1):
// a device whose credential does not exist yet is polled within a second of credentials.put;
// a wrong v3 auth key shows as the agent's SnmpAuthError in credentials.test, and the corrected
// key takes effect without a restart; the trap receiver accepts a community added after start.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { seedOneCabinet } from '../../support/one-cabinet';
import { alive, sleep, until } from '../../support/handles';
import { cliEnv, peerCheck, startSnmpd, V3_USERS, which, type SnmpdPeer } from '../../support/snmp-peers';

const HOST = '127.52.0.1';
const PORT = 18301;
const TRAP_HOST = '127.52.0.2';
const TRAP_PORT = 18311;
const admin: CallContext = { actor: 'ada', role: 'admin' };
const peers = peerCheck(['snmpd', 'snmpget', 'snmptrap']);
const run = promisify(execFile);

/** The inventory written straight to the store: an older import may refer to a credential not stored yet. */
function seedInventory(path: string): void {
  seedOneCabinet(path, [
    { id: 'dev-v3', cabinetId: 'c', kind: 'switch', hostname: 'snmpd-v3', sn: 'SN-V3', uPosition: 40, uHeight: 1, mgmtIp: HOST, snmpPort: PORT, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: 'late-v3', sshCredential: null, ipmiCredential: null, serviceTree: null },
  ]);
}

describe.skipIf(peers.skip)(`live credentials${peers.skip ? ` (skipped: ${peers.reason})` : ''}`, () => {
  let snmpd: SnmpdPeer;
  let core: Core;
  let dir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    if (peers.missing.length) throw new Error(`CI=true: the interop peers must be installed: ${peers.reason}`);
    dir = mkdtempSync(join(tmpdir(), 'fd-live-creds-'));
    snmpd = await startSnmpd({ host: HOST, port: PORT });
    const storePath = join(dir, 'core.db');
    seedInventory(storePath);
    core = await createCore({
      storePath, secretKey: randomBytes(32), lab: false,
      // A minute between polls: only the change itself can make the device polled within a second.
      poller: { intervalMs: 60_000, timeoutMs: 500, retries: 0 },
      traps: { address: TRAP_HOST, port: TRAP_PORT },
      bmcSensors: false,
      log: (l) => lines.push(l),
    });
  }, 30_000);
  afterAll(async () => {
    await core?.dispose();
    const pid = snmpd?.pid;
    await snmpd?.stop();
    if (pid) expect(alive(pid)).toBe(false);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const stats = () => core.api.call(admin, 'fleet.pollerStats', undefined);

  it('polls a device within a second of its missing credential being stored, and a corrected v3 key takes effect without a restart', { timeout: 20_000 }, async () => {
    expect((await stats()).targets).toBe(0);
    expect(await core.api.call(admin, 'credentials.usage', { id: 'late-v3' }).catch((e: { code: string }) => e.code)).toBe('NOT_FOUND');

    // Stored with a wrong auth key: polled at once, and refused by the agent.
    const wrong = { ...V3_USERS.sha, authKey: 'not-the-auth-key' };
    const t0 = performance.now();
    const info = await core.api.call(admin, 'credentials.put', { id: 'late-v3', kind: 'snmp-v3', name: 'snmpd v3', secret: wrong });
    expect(info).toMatchObject({ id: 'late-v3', usedBy: 1 });
    const s1 = await until('a poll of the device', async () => {
      const s = await stats();
      return s.targets === 1 && s.pollsCompleted + s.pollsFailed >= 1 ? s : undefined;
    }, 1000, 20);
    const firstPollMs = performance.now() - t0;
    console.log(`polled ${Math.round(firstPollMs)} ms after credentials.put`);
    expect(s1.pollsCompleted + s1.pollsFailed).toBeGreaterThanOrEqual(1);
    const detail = () => core.api.call(admin, 'device.detail', { deviceId: 'dev-v3' });
    expect((await detail()).sysName).toBeNull(); // the agent refused every read
    expect(await core.api.call(admin, 'credentials.usage', { id: 'late-v3' })).toEqual([{ deviceId: 'dev-v3', hostname: 'snmpd-v3', as: 'snmp' }]);

    // credentials.test names the agent's refusal.
    const failed = await core.api.call(admin, 'credentials.test', { id: 'late-v3', deviceId: 'dev-v3' });
    expect(failed).toMatchObject({ ok: false, request: `SNMP GET sysName.0 on ${HOST}:${PORT} (v3)`, error: { name: 'SnmpAuthError' } });
    expect(failed.ms).toBeLessThan(3500);

    // The corrected key: answering within a second, no restart.
    await core.api.call(admin, 'credentials.put', { id: 'late-v3', kind: 'snmp-v3', name: 'snmpd v3', secret: V3_USERS.sha });
    // At once through a real request; the poller's own read of it (device.detail's sysName) is timed and printed.
    expect(await core.api.call(admin, 'credentials.test', { id: 'late-v3', deviceId: 'dev-v3' })).toMatchObject({ ok: true, error: null });
    // The poller's own read with the corrected key: the changed target is re-polled at once
    // (fleet.reload -> poller.refresh), so the device is up within a second.
    const t1 = performance.now();
    const elevation = () => core.api.call(admin, 'inventory.elevation', { cabinetId: 'c' });
    await until('the poller answered with the corrected key', async () => ((await elevation()).devices.find((d) => d.id === 'dev-v3')?.status === 'up' ? true : undefined), 1000, 20);
    console.log(`up ${Math.round(performance.now() - t1)} ms after the corrected key was stored`);
    expect((await detail()).sysName).not.toBeNull();
  });

  it('accepts traps with a community stored after start', async () => {
    const send = (community: string) =>
      run(which('snmptrap') ?? 'snmptrap', ['-v2c', '-c', community, `${TRAP_HOST}:${TRAP_PORT}`, '', '1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1.3', 'i', '3'], { env: cliEnv(dir) });
    const traps = async () => (await core.api.call(admin, 'events.recent', { limit: 100 })).filter((e) => e.kind === 'trap');
    await send('added-later');
    await sleep(300);
    expect(await traps()).toEqual([]);
    await core.api.call(admin, 'credentials.put', { id: 'traps-late', kind: 'snmp-community', name: 'trap community', secret: 'added-later' });
    await send('added-later');
    const [t] = await until('the trap event', async () => ((await traps()).length ? traps() : undefined), 2000);
    expect(t).toMatchObject({ kind: 'trap', deviceId: null, code: 'trap.received', params: { name: 'linkDown', version: '2c' } });
    expect(JSON.stringify(t)).not.toContain('added-later');
  });
});
