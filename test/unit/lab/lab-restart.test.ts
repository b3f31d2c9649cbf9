// The lab over a restart with a state file, on fake peer kinds (no device sockets; the
// installer's callbacks go to a real receiver on 127.0.0.1): what PXE installs did stays done
// (identity, profile used up, last result), profiles and install faults stay set, an install in
// flight goes on for the time it had left (start + duration - now, at least 0: the state file's
// start is moved back to stand for time passed while the lab was down) and ends as its fault
// says, a callback that was being sent is sent again with the same Idempotency-Key until
// delivered, and an install after the restart gets a key of its own. Without a state file the
// lab forgets, as before.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabInstallProfile, LabInstallStatus } from '../../../src-shared/domain';
import type { LabStartOptions } from '../../../src-shared/lab-protocol';
import { startLabFleet, type LabFleet, type LabFleetHooks } from '../../../src-main/lab/lab-fleet';
import type { LabStateDocument } from '../../../src-main/lab/memory/state-file';
import type { LabPeerKind } from '../../../src-main/lab/peer-kind';
import { until } from '../../support/handles';

const SIZE = { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 2, devices: 12 };
const HOUR = 3_600_000;
const quietKind: LabPeerKind = { kind: 'quiet', start: async () => ({ reconcile: async () => {}, dispose: async () => {} }) };

interface Received {
  key: string;
  body: unknown;
}

/** A callback receiver on 127.0.0.1 answering `status()` to each request. */
async function receiver(status: () => number): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      got.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(text) });
      res.writeHead(status(), { connection: 'close' }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/installed`,
    got,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

let dir: string;
let stateFile: string;
const labs: LabFleet[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lab-restart-'));
  stateFile = join(dir, 'lab-state.json');
});
afterEach(async () => {
  for (const l of labs.splice(0)) await l.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A lab on the test's state file (null: none). */
const start = async (hooks: LabFleetHooks = {}, file: string | null = stateFile): Promise<LabFleet> => {
  const options: LabStartOptions = { seed: 9, size: SIZE, community: 'fake', snmpPort: 1, addressPrefix: '127.203', ...(file ? { stateFile: file } : {}) };
  const lab = await startLabFleet(options, [quietKind], { pxeTimeoutMs: 20, ...hooks });
  labs.push(lab);
  return lab;
};
/** Stops a lab (as when the console that runs it goes away). */
const stop = async (lab: LabFleet): Promise<void> => {
  labs.splice(labs.indexOf(lab), 1);
  await lab.close();
};
const install = (lab: LabFleet, id: string): LabInstallStatus | undefined => lab.status().installs?.find((i) => i.deviceId === id);
/** Moves the start of every install in flight in the state file back by ms: time that passed while the lab was down. */
const timePasses = (ms: number): void => {
  const doc = JSON.parse(readFileSync(stateFile, 'utf8')) as LabStateDocument & { installer: Record<string, { phase: { since: number } | null }> };
  for (const e of Object.values(doc.installer)) if (e.phase) e.phase.since -= ms;
  writeFileSync(stateFile, JSON.stringify(doc));
};
const pxeBoot = async (lab: LabFleet, id: string): Promise<void> => {
  await lab.setHostPower(id, false);
  await lab.setHostPower(id, true, 'pxe');
};

describe('the lab with a state file, over a restart', () => {
  it('keeps what an install did: the new identity, the profile used up, the last result', async () => {
    const a = await start();
    const server = a.inventory.devices.find((d) => d.kind === 'server')!.id;
    await a.setInstallProfile(server, { os: 'rocky-9', hostname: 'db-07', durationMs: 0 });
    await pxeBoot(a, server);
    await until('installed', () => install(a, server)?.installs === 1);
    await stop(a);

    const b = await start();
    expect(install(b, server)).toMatchObject({ phase: 'idle', installs: 1, os: 'rocky-9', hostname: 'db-07', profile: null, last: { status: 'installed', callback: 'none' } });
    // Without the state file, the same lab forgets.
    await stop(b);
    const fresh = await start({}, null);
    expect(install(fresh, server)).toBeUndefined();
  });

  it('keeps profiles and install faults set, and forgets a cleared profile', async () => {
    const a = await start();
    const [s1, s2] = a.inventory.devices.filter((d) => d.kind === 'server').map((d) => d.id);
    const profile: LabInstallProfile = { os: 'debian-12', hostname: 'web-01', durationMs: 5000, callback: { url: 'http://127.0.0.1:9/cb', method: 'PATCH' } };
    await a.setInstallProfile(s1, profile);
    await a.fault({ kind: 'install-fail', deviceId: s1 });
    await a.setInstallProfile(s2, profile);
    await a.setInstallProfile(s2, null);
    await stop(a);
    const b = await start();
    expect(install(b, s1)).toMatchObject({ phase: 'idle', profile, fault: 'install-fail', installs: 0 });
    expect(install(b, s2)).toBeUndefined();
  });

  it('goes on with an install in flight for the time it had left, then the host is installed', async () => {
    const a = await start();
    const server = a.inventory.devices.find((d) => d.kind === 'server')!.id;
    await a.setInstallProfile(server, { os: 'ubuntu-24.04', hostname: 'app-03', durationMs: 2 * HOUR });
    await pxeBoot(a, server);
    await stop(a);

    // An hour of its two went by while the lab was down: it still installs.
    timePasses(HOUR);
    const b = await start();
    expect(install(b, server)).toMatchObject({ phase: 'installing', installs: 0, profile: { hostname: 'app-03' } });
    await stop(b);

    // Another hour and more: it is overdue, so it ends at once, installed.
    timePasses(HOUR + 60_000);
    const c = await start();
    const done = await until('installed', () => (install(c, server)?.installs === 1 ? install(c, server) : undefined));
    expect(done).toMatchObject({ phase: 'idle', os: 'ubuntu-24.04', hostname: 'app-03', profile: null, last: { status: 'installed' } });
  });

  it('ends a resumed install as its fault says: hung stays quiet, failed keeps the old OS and says so', async () => {
    const a = await start();
    const [hang, fail] = a.inventory.devices.filter((d) => d.kind === 'server').map((d) => d.id);
    for (const id of [hang, fail]) await a.setInstallProfile(id, { os: 'debian-12', hostname: `x-${id}`, durationMs: HOUR });
    await a.fault({ kind: 'install-hang', deviceId: hang });
    await a.fault({ kind: 'install-fail', deviceId: fail });
    await pxeBoot(a, hang);
    await pxeBoot(a, fail);
    await stop(a);

    timePasses(2 * HOUR);
    const b = await start();
    await until('both ended', () => install(b, hang)?.phase === 'hung' && install(b, fail)?.last?.status === 'failed');
    expect(install(b, hang)).toMatchObject({ phase: 'hung', installs: 0, last: null });
    expect(install(b, fail)).toMatchObject({ phase: 'idle', installs: 0, os: null, last: { status: 'failed' } });
    // Hung over another restart too, until its power goes.
    await stop(b);
    const c = await start();
    expect(install(c, hang)?.phase).toBe('hung');
    await c.setHostPower(hang, false);
    expect(install(c, hang)?.phase).toBe('idle');
  });

  it('sends a callback it was sending again after a restart, with the same Idempotency-Key, until delivered', async () => {
    // Down for the first two requests (one before the restart, one after), then up.
    let n = 0;
    const r = await receiver(() => (++n <= 2 ? 503 : 200));
    try {
      // The first attempt fails and the next is a minute away when the lab stops.
      const a = await start({ callbackBackoffMs: [60_000] });
      const dev = a.inventory.devices.find((d) => d.kind === 'server')!;
      await a.setInstallProfile(dev.id, { os: 'rocky-9', hostname: 'cb-01', durationMs: 0, callback: { url: r.url } });
      await pxeBoot(a, dev.id);
      await until('the first attempt', () => r.got.length === 1);
      expect(install(a, dev.id)?.last).toMatchObject({ callback: 'sending' });
      await stop(a);

      const b = await start({ callbackBackoffMs: [10, 10, 10] });
      const last = await until('delivered', () => (install(b, dev.id)?.last?.callback === 'delivered' ? install(b, dev.id)?.last : undefined));
      expect(last).toMatchObject({ status: 'installed', error: null });
      const sent = { key: `${dev.sn}/install-1`, body: { sn: dev.sn, hostname: 'cb-01', os: 'rocky-9', status: 'installed' } };
      expect(r.got).toHaveLength(3);
      expect(new Set(r.got.map((g) => JSON.stringify(g)))).toEqual(new Set([JSON.stringify(sent)]));
      await stop(b);

      // Delivered is remembered; the next install after a restart is another install, with its own key.
      const c = await start();
      expect(install(c, dev.id)?.last).toMatchObject({ callback: 'delivered' });
      await c.setInstallProfile(dev.id, { os: 'debian-12', hostname: 'cb-02', durationMs: 0, callback: { url: r.url } });
      await pxeBoot(c, dev.id);
      await until('the second install delivered', () => install(c, dev.id)?.installs === 2 && install(c, dev.id)?.last?.callback === 'delivered');
      expect(r.got.at(-1)).toEqual({ key: `${dev.sn}/install-2`, body: { sn: dev.sn, hostname: 'cb-02', os: 'debian-12', status: 'installed' } });
    } finally {
      await r.close();
    }
  });
});
