// The poll loop against a real lab: a forked lab process whose agents answer SNMP on
// loopback, polled by net-snmp sessions. No mocks.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Device, DeviceStatusChange } from '../../../src-shared/domain';
import { startLab, type LabLink } from '../../../src-main/core/fleet/lab-link';
import { alive, resources, sleep, until } from '../../support/handles';
import { counter64, counterDelta, createSnmpPoller, octetRates, type PollResult, type PollTarget, type SnmpPoller } from '../../../src-main/core/fleet/snmp-poller';

const LAB_ENTRY = fileURLToPath(new URL('../../../src-main/lab/lab-process.ts', import.meta.url));
/**
 * Handles (sockets, pipes, processes). Timers are left out: vitest's own come and go while a
 * test runs, so the poller's timer is checked by what it does instead (see the last test).
 */
const handles = (): string[] => resources().filter((r) => r !== 'Timeout');

describe('octet rate arithmetic', () => {
  it('decodes Counter64 bytes, allows one wrap, and gives no rate across a restart', () => {
    expect(counter64(Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(2n ** 64n - 1n);
    expect(counter64(Buffer.from([0x01, 0x00]))).toBe(256n);
    expect(counter64(null)).toBeNull();
    expect(counterDelta(2n ** 64n - 100n, 50n)).toBe(150n);
    const prev = { at: 0, ticks: 1000, inOctets: [2n ** 64n - 1000n, 10n], outOctets: [0n, null] };
    expect(octetRates(prev, { at: 2000, ticks: 1200, inOctets: [1000n, 2010n], outOctets: [4000n, 5n] })).toEqual({ inBps: 2000, outBps: 2000 });
    expect(octetRates(prev, { at: 2000, ticks: 10, inOctets: [1000n, 2010n], outOctets: [4000n, 5n] })).toBeNull();
    expect(octetRates(prev, { at: 0, ticks: 1200, inOctets: [1000n, 2010n], outOctets: [4000n, 5n] })).toBeNull();
  });
});

describe('SNMP poller against a forked lab', () => {
  let before: string[];
  let lab: LabLink;
  let poller: SnmpPoller;
  let targets: PollTarget[];
  let targetCalls = 0;
  const results: PollResult[] = [];
  const changes: DeviceStatusChange[] = [];
  const device = (kind: Device['kind']): Device => lab.inventory.devices.find((d) => d.kind === kind)!;

  afterAll(async () => {
    await poller?.dispose();
    await lab?.dispose();
  });

  // Started inside a test rather than a hook: vitest keeps a timer of its own running during
  // hooks, so the baseline of resources is taken where the final comparison is made.
  it('starts the lab with every default filled in', async () => {
    before = handles();
    lab = await startLab({
      entry: LAB_ENTRY,
      seed: 11,
      size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 3, cabinetsPerRow: 5, devices: 150 },
      addressPrefix: '127.25',
      snmpPort: 16561,
    });
    targets = lab.inventory.devices.map((d) => ({ deviceId: d.id, kind: d.kind, host: d.mgmtIp, port: d.snmpPort, community: lab.community }));
    poller = createSnmpPoller({
      targets: () => {
        targetCalls++;
        return targets;
      },
      intervalMs: 1500,
      timeoutMs: 300,
      retries: 1,
      onResults: (r) => results.push(...r),
      onStatusChange: (c) => changes.push(...c),
    });
    expect(lab.inventory.devices).toHaveLength(150);
    expect(lab.community).toBe('fleetdeck-lab');
    expect(lab.options).toMatchObject({ seed: 11, snmpPort: 16561, addressPrefix: '127.25' });
    expect(await lab.status()).toEqual({ running: true, devices: 150, deadDevices: [], trippedCabinets: [] });
    expect(poller.state(targets[0].deviceId)).toBeDefined();
  });

  it('brings every device up on its schedule, with an event per device', async () => {
    await until('all 150 devices answering', () => poller.counts().answering === 150);
    expect(poller.counts()).toEqual({ polled: 150, answering: 150 });
    // Events are batched: the last batch may land a tick after the state changed.
    const upEvents = () => new Set(changes.filter((c) => c.status === 'up').map((c) => c.deviceId)).size;
    await until('an up event for every device', () => upEvents() === 150);
    expect(changes.filter((c) => c.previous === 'unknown').length).toBe(150);
    const pdu = device('pdu');
    const s = poller.state(pdu.id)!;
    expect(s).toMatchObject({ status: 'up', sysName: pdu.hostname });
    expect(s.powerWatts).toBeGreaterThan(0);
    expect(s.uptimeSeconds).toBeGreaterThan(0);
    expect(s.rttMs).toBeGreaterThanOrEqual(0);
    expect(poller.stats().pollsCompleted).toBeGreaterThanOrEqual(150);
  });

  it('computes interface rates from consecutive Counter64 samples', async () => {
    const server = device('server');
    const s = await until('a server rate', () => {
      const st = poller.state(server.id);
      return st?.inBps != null ? st : undefined;
    });
    expect(s.inBps).toBeGreaterThan(0);
    expect(s.outBps).toBeGreaterThan(0);
    expect(s.inBps).toBeLessThan(2 * 25e9 / 8); // two 25G ports
    const sw = await until('a switch rate', () => poller.state(device('switch').id)?.inBps ?? undefined);
    expect(sw).toBeGreaterThan(s.inBps!);
  });

  it('reports a killed device unreachable and a revived one up, without a rate across its reboot', async () => {
    const server = device('server');
    const uptimeBefore = poller.state(server.id)!.uptimeSeconds!;
    await lab.fault({ kind: 'kill-device', deviceId: server.id });
    await poller.pollNow();
    expect(poller.state(server.id)?.status).toBe('unreachable');
    expect(changes).toContainEqual(expect.objectContaining({ deviceId: server.id, status: 'unreachable', previous: 'up' }));
    expect(poller.counts()).toEqual({ polled: 150, answering: 149 });
    expect(poller.stats().pollsFailed).toBeGreaterThan(0);

    const mark = results.length;
    await lab.fault({ kind: 'revive-device', deviceId: server.id });
    await poller.pollNow();
    expect(poller.state(server.id)?.status).toBe('up');
    expect(changes).toContainEqual(expect.objectContaining({ deviceId: server.id, status: 'up', previous: 'unreachable' }));
    const firstAnswer = results.slice(mark).find((r) => r.deviceId === server.id && r.ok)!;
    expect(firstAnswer.inBps).toBeNull();
    expect(firstAnswer.uptimeSeconds).toBeLessThan(uptimeBefore);
  });

  it('sees a tripped PDU: its cabinet unreachable, the PDU up at ~0 W', async () => {
    const cabinetId = lab.inventory.devices.find((d) => d.kind === 'server')!.cabinetId;
    const inCabinet = lab.inventory.devices.filter((d) => d.cabinetId === cabinetId);
    const pdu = inCabinet.find((d) => d.kind === 'pdu')!;
    expect((await lab.fault({ kind: 'trip-pdu', cabinetId })).trippedCabinets).toEqual([cabinetId]);
    await poller.pollNow();
    for (const d of inCabinet) expect(poller.state(d.id)?.status).toBe(d.kind === 'pdu' ? 'up' : 'unreachable');
    expect(poller.state(pdu.id)?.powerWatts).toBeLessThan(5);
    await lab.fault({ kind: 'restore-pdu', cabinetId });
    await poller.pollNow();
    expect(poller.counts().answering).toBe(150);
    expect(poller.state(pdu.id)?.powerWatts).toBeGreaterThan(50);
  });

  it('dispose() stops every timer, socket and the lab process', async () => {
    const pid = lab.pid;
    expect(alive(pid)).toBe(true);
    // Dispose mid-sweep: every session is open, one waits on a dead device's timeout.
    await lab.fault({ kind: 'kill-device', deviceId: device('server').id });
    const sweep = poller.pollNow();
    await poller.dispose();
    await sweep; // settles: a disposed poller drops its queue and closes its sessions
    await lab.dispose();
    await lab.exited;
    expect(alive(pid)).toBe(false);
    expect(handles()).toEqual(before);
    // A live schedule re-reads its targets every 1.5 s (the interval): a disposed one never does.
    const calls = targetCalls;
    const resultsSeen = results.length;
    await sleep(2000);
    expect(targetCalls).toBe(calls);
    expect(results.length).toBe(resultsSeen);
    await expect(lab.status()).rejects.toThrow(/not running/);
  });
});

describe('poll schedule', () => {
  let lab: LabLink;
  afterAll(async () => {
    await lab?.dispose();
  });

  it('polls every new device at once, then spreads later polls over the interval', async () => {
    lab = await startLab({ entry: LAB_ENTRY, seed: 12, size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 3, cabinetsPerRow: 5, devices: 150 }, addressPrefix: '127.26', snmpPort: 16661 });
    const targets = lab.inventory.devices.map((d) => ({ deviceId: d.id, kind: d.kind, host: d.mgmtIp, port: d.snmpPort, community: lab.community }));

    // A long interval: a console that waited for the schedule would know nothing for a minute.
    const slow = createSnmpPoller({ targets: () => targets, intervalMs: 60_000, timeoutMs: 500 });
    await until('the first sweep to reach every device', () => slow.counts().polled === 150, 15_000);
    await slow.dispose();

    // A short one: the second polls must not come back as one burst.
    const intervalMs = 3000;
    const polls = new Map<string, number[]>();
    const fast = createSnmpPoller({
      targets: () => targets,
      intervalMs,
      timeoutMs: 500,
      onResults: (rs) => rs.forEach((r) => polls.set(r.deviceId, [...(polls.get(r.deviceId) ?? []), r.at])),
    });
    await until('a second poll of every device', () => polls.size === 150 && [...polls.values()].every((p) => p.length >= 2), 20_000);
    await fast.dispose();
    const first = Math.min(...[...polls.values()].map((p) => p[0]));
    const windows = new Array(8).fill(0);
    for (const p of polls.values()) windows[Math.min(7, Math.max(0, Math.floor(((p[1] - first - intervalMs / 2) / intervalMs) * 8)))]++;
    expect(Math.max(...windows)).toBeLessThan(150 * 0.4); // evenly spread: ~19 in each eighth
  });
});
