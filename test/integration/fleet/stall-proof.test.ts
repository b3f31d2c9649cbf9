// The poller is not fooled by its own process: the test blocks the event loop (a busy loop,
// 2 s then 3 x 800 ms) while the poller polls a forked lab, and no device changes status,
// while a device killed in the lab meanwhile still goes unreachable. A control run with the
// stall guard switched off shows the same stall does raise false alarms.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeviceStatusChange } from '../../../src-shared/domain';
import { startLab, type LabLink } from '../../../src-main/core/lab-link/lab-link';
import { createStallDetector, type StallDetector } from '../../../src-shared/stall-detector';
import { createSnmpPoller, type DeviceHealthChange, type PollTarget, type SnmpPoller } from '../../../src-main/core/fleet/snmp-poller';
import { sleep, until } from '../../support/handles';

const LAB_ENTRY = fileURLToPath(new URL('../../../src-main/lab/lab-process.ts', import.meta.url));

/** Blocks this process's event loop, as a flood of calls or a long synchronous write would. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  if (x < 0) throw new Error('unreachable');
}

describe('SNMP poller under event-loop stalls of its own process', () => {
  let lab: LabLink;
  const pollers: SnmpPoller[] = [];
  const detectors: StallDetector[] = [];
  afterAll(async () => {
    await Promise.all(pollers.map((p) => p.dispose()));
    for (const d of detectors) d.dispose();
    await lab?.dispose();
  });

  const start = (guard: boolean): { poller: SnmpPoller; health: DeviceHealthChange[]; status: DeviceStatusChange[] } => {
    const targets: PollTarget[] = lab.inventory.devices.map((d) => ({ deviceId: d.id, kind: d.kind, host: d.mgmtIp, port: d.snmpPort, community: lab.community }));
    const health: DeviceHealthChange[] = [];
    const status: DeviceStatusChange[] = [];
    // the control run: a detector that never sees a stall
    const blind = guard ? undefined : createStallDetector({ thresholdMs: Number.POSITIVE_INFINITY });
    if (blind) detectors.push(blind);
    const poller = createSnmpPoller({
      targets: () => targets,
      intervalMs: 600,
      timeoutMs: 300,
      retries: 1,
      onHealthChange: (c) => health.push(...c),
      onStatusChange: (c) => status.push(...c),
      ...(blind ? { stallDetector: blind } : {}),
    });
    pollers.push(poller);
    return { poller, health, status };
  };

  it('starts a lab', async () => {
    lab = await startLab({ entry: LAB_ENTRY, seed: 21, size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 2, cabinetsPerRow: 4, devices: 80 }, addressPrefix: '127.27', snmpPort: 16661 });
    expect(lab.inventory.devices).toHaveLength(80);
  });

  it('without the guard, a 2 s stall makes healthy devices degraded or unreachable (the bug)', async () => {
    const { poller, health } = start(false);
    await until('all 80 up', () => poller.counts().answering === 80 && lab.inventory.devices.every((d) => poller.state(d.id)?.health === 'up'));
    const from = health.length;
    await sleep(200);
    void poller.pollNow(); // every device has a poll out when the loop blocks
    busy(2000);
    await sleep(1500);
    const bogus = health.slice(from).filter((h) => h.status !== 'up');
    console.log(`no guard: ${new Set(bogus.map((b) => b.deviceId)).size} of 80 healthy devices judged ${[...new Set(bogus.map((b) => b.status))].join('/')} after one 2 s stall`);
    expect(bogus.length).toBeGreaterThan(0);
    await poller.dispose();
  });

  it('with it: 2 s and 3 x 800 ms stalls change no status, and a device killed meanwhile still goes unreachable', async () => {
    const { poller, health, status } = start(true);
    await until('all 80 up', () => lab.inventory.devices.every((d) => poller.state(d.id)?.health === 'up'));
    const from = health.length;
    const statusFrom = status.length;
    const victim = lab.inventory.devices.find((d) => d.kind === 'server')!;
    const t0 = performance.now();
    await sleep(200);
    void poller.pollNow(); // every device has a poll out when the loop blocks
    busy(2000);
    await sleep(300);
    await lab.fault({ kind: 'kill-device', deviceId: victim.id });
    const killedAt = performance.now();
    for (let i = 0; i < 3; i++) {
      await sleep(700);
      void poller.pollNow();
      busy(800);
    }
    const lastStallEnd = performance.now();
    await until('the killed device to go unreachable', () => poller.state(victim.id)?.health === 'unreachable', 10_000);
    const unreachableMs = performance.now() - killedAt;
    const afterStallsMs = performance.now() - lastStallEnd;
    await sleep(1500); // let any late verdict land
    const moved = health.slice(from).filter((h) => h.deviceId !== victim.id);
    const s = poller.stats();
    console.log(`guarded: ${moved.length} status changes among 79 healthy devices over ${((performance.now() - t0) / 1000).toFixed(1)} s with 4 stalls; ` +
      `${s.pollsSetAside} polls set aside and redone; killed device unreachable ${Math.round(unreachableMs)} ms after the kill, ${Math.round(afterStallsMs)} ms after the last stall`);
    expect(moved).toEqual([]);
    expect(status.slice(statusFrom).filter((c) => c.deviceId !== victim.id)).toEqual([]);
    expect(health.slice(from).filter((h) => h.deviceId === victim.id).map((h) => h.status)).toEqual(['unreachable']);
    expect(s.pollsSetAside).toBeGreaterThan(0);
  });
});
