// The poll loop against a real lab: a forked lab process whose agents answer SNMP on
// loopback, polled by net-snmp sessions; and against in-process net-snmp agents whose values
// the test sets (caps, back-off, degraded status, per-device intervals, v3, tables). No mocks.
import * as dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Device, DeviceStatusChange } from '../../../src-shared/domain';
import { startLab, type LabLink } from '../../../src-main/core/lab-link/lab-link';
import { alive, resources, sleep, until } from '../../support/handles';
import {
  createSnmpPoller, type DeviceHealthChange, type InterfaceChange, type PollResult, type PollTarget, type SnmpPoller,
} from '../../../src-main/core/fleet/snmp-poller';
import { APC_RPDU2_PROFILE } from '../../../src-main/core/protocols/snmp';
import { startTestAgent, type TestAgent } from '../../support/snmp-test-agent';

const LAB_ENTRY = fileURLToPath(new URL('../../../src-main/lab/lab-process.ts', import.meta.url));
/**
 * Handles (sockets, pipes, processes). Timers are left out: vitest's own come and go while a
 * test runs, so the poller's timer is checked by what it does instead (see the last test).
 */
const handles = (): string[] => resources().filter((r) => r !== 'Timeout');

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
    expect(await lab.status()).toEqual({ running: true, devices: 150, deadDevices: [], trippedCabinets: [], trippedFeeds: [], linksDown: [] });
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
    // The round trip is the last poll's: null while that one went unanswered (a 300 ms timeout
    // on a loaded machine; the device stays up until its retries fail), so wait for an answered one.
    await until('an answered poll of the PDU', () => poller.state(pdu.id)?.rttMs != null);
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

describe('poller caps, back-off, health and per-device settings (in-process agents, 127.53.x.y:18300)', () => {
  const PORT = 18300;
  const USER = { name: 'poll-v3', authProtocol: 'sha256', authKey: 'poll-auth-key', privProtocol: 'aes256b', privKey: 'poll-priv-key' } as const;
  const agents: TestAgent[] = [];
  const pollers: SnmpPoller[] = [];
  let before: string[];
  const agent = async (address: string, o: Partial<Parameters<typeof startTestAgent>[0]> = {}): Promise<TestAgent> => {
    const a = await startTestAgent({ address, port: PORT, community: 'caps', users: [USER], ...o });
    agents.push(a);
    return a;
  };
  const poller = (o: Parameters<typeof createSnmpPoller>[0]): SnmpPoller => {
    const p = createSnmpPoller({ timeoutMs: 300, ...o });
    pollers.push(p);
    return p;
  };
  const target = (deviceId: string, host: string, o: Partial<PollTarget> = {}): PollTarget => ({ deviceId, kind: 'server', host, port: PORT, community: 'caps', ...o });
  const itf = (ifIndex: number, name: string, inOctets = 0n) => ({ ifIndex, name, speedMbps: 10_000, admin: 1, oper: 1, inOctets, outOctets: inOctets / 2n });

  afterAll(async () => {
    await Promise.all(pollers.map((p) => p.dispose()));
    await Promise.all(agents.map((a) => a.close()));
  });

  it('keeps requests within the global and per-device caps, and reads PDU outlets by profile', async () => {
    before = handles();
    const apc = { devices: [{ index: 1, power: 150 }], outlets: [{ index: 1, name: 'srv-a', power: 700 }, { index: 2, name: 'srv-b', power: 800 }] };
    const targets: PollTarget[] = [];
    for (let i = 1; i <= 6; i++) {
      await agent(`127.53.1.${i}`, { apc, sysObjectID: '1.3.6.1.4.1.318.1.3.4.5' });
      targets.push(target(`pdu-${i}`, `127.53.1.${i}`, { kind: 'pdu', pduProfile: APC_RPDU2_PROFILE }));
    }
    // Each PDU poll issues three requests at once (the GET and two table reads).
    const one = poller({ targets: () => targets, intervalMs: 60_000, concurrency: 6, requestConcurrency: 4, perDeviceConcurrency: 1 });
    await one.pollNow();
    expect(one.load()).toMatchObject({ inFlight: 0, waiting: 0, peakPerDevice: 1 });
    expect(one.load().peakInFlight).toBeLessThanOrEqual(4);
    expect(one.state('pdu-3')).toMatchObject({ status: 'up', health: 'up', powerWatts: 1500, outlets: [{ index: '1', name: 'srv-a', watts: 700 }, { index: '2', name: 'srv-b', watts: 800 }] });
    const three = poller({ targets: () => targets, intervalMs: 60_000, concurrency: 6, requestConcurrency: 100, perDeviceConcurrency: 3 });
    await three.pollNow();
    expect(three.load().peakPerDevice).toBe(3); // the cap, not the poll, was what held the first poller to 1
    expect(three.load().peakInFlight).toBeGreaterThan(4);
  });

  it('backs off from a silent device (fewer polls, no retransmissions) and recovers on its first answer', async () => {
    await agent('127.53.2.1', { interfaces: [itf(1, 'eth0')] });
    // The silent device: a socket that takes datagrams and never answers.
    const sink = dgram.createSocket('udp4');
    let sent = 0;
    sink.on('message', () => sent++);
    await new Promise<void>((r) => sink.bind(PORT, '127.53.2.2', r));
    const results: PollResult[] = [];
    const p = poller({
      targets: () => [target('live', '127.53.2.1'), target('silent', '127.53.2.2')],
      intervalMs: 200, timeoutMs: 100, retries: 1, jitter: 0, onResults: (r) => results.push(...r),
    });
    await until('the silent device to fail five polls in a row', () => (p.state('silent')?.failures ?? 0) >= 5, 20_000);
    const count = (id: string): number => results.filter((r) => r.deviceId === id).length;
    expect(p.state('silent')).toMatchObject({ status: 'unreachable', health: 'unreachable' });
    // Five failures take 200 + 400 + 800 + 1600 ms of back-off; the live device is polled every 200 ms meanwhile.
    expect(count('live')).toBeGreaterThan(2 * count('silent'));
    const silent = results.filter((r) => r.deviceId === 'silent');
    expect(silent.every((r) => !r.ok && /timed out/.test(r.error ?? ''))).toBe(true);
    // The first two polls retransmit once (retries: 1); from the third on, one datagram a poll.
    await until('one datagram a poll from the third poll on', () => count('silent') + 3 >= sent && sent >= count('silent') + 2, 5000);
    await new Promise<void>((r) => sink.close(() => r()));
    await agent('127.53.2.2', { interfaces: [itf(1, 'eth0')] });
    await p.pollNow();
    expect(p.state('silent')).toMatchObject({ status: 'up', health: 'up', failures: 0 });
  });

  it('reports degraded (status still up) with an event when a link it saw up goes down, and up again when it returns', async () => {
    const a = await agent('127.53.3.1', { interfaces: [itf(1, 'eth0'), itf(2, 'eth1')] });
    const health: DeviceHealthChange[] = [];
    const links: InterfaceChange[] = [];
    const p = poller({ targets: () => [target('srv', '127.53.3.1')], intervalMs: 60_000, onHealthChange: (c) => health.push(...c), onInterfaceChange: (c) => links.push(...c) });
    await p.pollNow();
    await p.pollNow(); // the first poll learns ifNumber
    expect(p.state('srv')).toMatchObject({ status: 'up', health: 'up' });
    a.setInterface(2, { oper: 2 });
    await p.pollNow();
    expect(p.state('srv')).toMatchObject({ status: 'up', health: 'degraded', reasons: ['link down: if2'] });
    expect(p.counts()).toEqual({ polled: 1, answering: 1 });
    expect(health.map((h) => `${h.previous}->${h.status}`)).toEqual(['unknown->up', 'up->degraded']);
    expect(links).toEqual([expect.objectContaining({ deviceId: 'srv', ifIndex: 2, previous: 'up', status: 'down', adminStatus: 'up' })]);
    a.setInterface(2, { oper: 1 });
    await p.pollNow();
    expect(health.at(-1)).toMatchObject({ previous: 'degraded', status: 'up', reasons: [] });
    expect(links.at(-1)).toMatchObject({ ifIndex: 2, previous: 'down', status: 'up' });
  });

  it('polls each device on its own interval', async () => {
    await agent('127.53.4.1');
    const seen = new Map<string, number>();
    const p = poller({
      targets: () => [target('fast', '127.53.4.1', { intervalMs: 100 }), target('slow', '127.53.4.1', { intervalMs: 60_000 })],
      intervalMs: 1000, onResults: (r) => r.forEach((x) => seen.set(x.deviceId, (seen.get(x.deviceId) ?? 0) + 1)),
    });
    await until('ten polls of the fast device', () => (seen.get('fast') ?? 0) >= 10, 20_000);
    expect(seen.get('slow')).toBe(1);
    expect(p.stats().pollsFailed).toBe(0);
  });

  it('polls over v3 with the interface table walked: names and per-interface rates for sparse ifIndexes', async () => {
    const a = await agent('127.53.5.1', { interfaces: [itf(1001, 'Ethernet1/1', 1000n), itf(2001, 'Ethernet2/1', 5000n)] });
    const results: PollResult[] = [];
    const p = poller({
      targets: () => [target('sw', '127.53.5.1', { kind: 'switch', walkInterfaces: true, community: 'wrong', credentials: { version: '3', user: USER } })],
      intervalMs: 60_000, onResults: (r) => results.push(...r),
    });
    await p.pollNow();
    expect(p.state('sw')?.interfaces.map((i) => i.name)).toEqual(['Ethernet1/1', 'Ethernet2/1']);
    await sleep(200);
    a.setInterface(1001, { inOctets: 1000n + 10_000_000n });
    a.setInterface(2001, { inOctets: 5000n });
    await p.pollNow();
    const last = results.at(-1)!;
    expect(last).toMatchObject({ ok: true, health: 'up' });
    const rates = last.interfaceRates!;
    expect(rates.map((r) => r.name)).toEqual(['Ethernet1/1', 'Ethernet2/1']);
    expect(rates[0].inBps).toBeGreaterThan(0);
    expect(rates[1].inBps).toBe(0);
  });

  it('runs operator requests (a set) through the same caps, and names unknown devices', async () => {
    await agent('127.53.6.1', { sysName: 'before' });
    const p = poller({ targets: () => [target('dev', '127.53.6.1')], intervalMs: 60_000 });
    await p.request('dev', (s) => s.set([{ oid: '1.3.6.1.2.1.1.5.0', type: 'octets', value: 'after' }]));
    await p.pollNow();
    expect(p.state('dev')?.sysName).toBe('after');
    await expect(p.request('nope', async () => 1)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('leaves no socket behind once disposed', async () => {
    await Promise.all(pollers.splice(0).map((p) => p.dispose()));
    await Promise.all(agents.splice(0).map((a) => a.close()));
    for (let i = 0; i < 2; i++) await new Promise<void>((r) => setImmediate(r));
    expect(handles()).toEqual(before);
  });
});
