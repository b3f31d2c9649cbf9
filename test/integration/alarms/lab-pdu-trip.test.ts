// The alarms acceptance on the lab: createCore with the lab fleet (a child process the core
// starts and stops), alarms evaluated every 200 ms, two rules (a PDU reading under 5 W, a
// device unreachable for 1.5 s), each with a webhook to a real HTTP receiver on 127.0.0.1.
// Tripping a single-fed cabinet's PDU raises one notifiable root alarm (the PDU's) with every
// other device of the cabinet grouped under it; an operator's acknowledgement is in the audit
// trail (read through audit.list) and the alarm's history; restoring resolves them all. A
// maintenance window over the cabinet masks the alarms of a second trip; ending it brings
// them back (the root notified then). The receiver answers its first request 503 with
// Retry-After: 0, so the retry carries the same Idempotency-Key; it gets each notification
// exactly once: the root's firing and resolving, twice over, and nothing of the grouped ones.
// Then interface down from the poller's interface table: a lab link-down fires if.down_count
// on that server alone, and link-up resolves it.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Alarm } from '../../../src-shared/domain/alarm';
import { createCore, type Core } from '../../../src-main/core/create-core';
import type { WebhookNotification } from '../../../src-main/core/alarms/webhook-notifier';
import { generateLab } from '../../../src-main/lab/generator';
import { until } from '../../support/handles';

const LAB_ENTRY = fileURLToPath(new URL('../../../src-main/lab/lab-process.ts', import.meta.url));
const viewer: CallContext = { actor: 'wall-1', role: 'viewer' };
const operator: CallContext = { actor: 'ana', role: 'operator' };
const admin: CallContext = { actor: 'root', role: 'admin' };
const SEED = 7;
const SIZE = { sites: 1, roomsPerSite: 1, rowsPerRoom: 2, cabinetsPerRow: 2, devices: 40 };
const dir = mkdtempSync(join(tmpdir(), 'fd-alarms-lab-'));

interface Received { readonly key: string; readonly attempt: string; readonly body: WebhookNotification }

/** A webhook receiver: answers the very first request 503 (Retry-After: 0), the rest 200; keeps what it accepted. */
async function startReceiver(): Promise<{ server: Server; url: string; accepted: Received[]; refused: Received[] }> {
  const accepted: Received[] = [];
  const refused: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const h: IncomingHttpHeaders = req.headers;
      const r: Received = { key: String(h['idempotency-key']), attempt: String(h['fleetdeck-attempt']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookNotification };
      if (accepted.length + refused.length === 0) {
        refused.push(r);
        res.writeHead(503, { 'Retry-After': '0' }).end();
        return;
      }
      // A receiver dedupes on the Idempotency-Key: a repeat is answered 200 and not kept again.
      if (!accepted.some((x) => x.key === r.key)) accepted.push(r);
      res.writeHead(200).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, accepted, refused };
}

describe('alarms on the lab: a tripped PDU', () => {
  let core: Core | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await core?.dispose();
    receiver?.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one root alarm with the cabinet grouped under it, acknowledged and audited, all resolved; a window masks; each notification once', async () => {
    const lab = generateLab(SEED, SIZE);
    const cabinet = lab.cabinets.find((c) => c.feedB === null)!;
    expect(cabinet, 'the seed has a single-fed cabinet').toBeDefined();
    const inCabinet = lab.devices.filter((d) => d.cabinetId === cabinet.id);
    const pdu = inCabinet.find((d) => d.kind === 'pdu')!;
    const behind = inCabinet.filter((d) => d.kind !== 'pdu');
    expect(behind.length).toBeGreaterThan(3);

    core = await createCore({
      storePath: join(dir, 'core.db'),
      secretKey: randomBytes(32),
      lab: { entry: LAB_ENTRY, seed: SEED, size: SIZE, addressPrefix: '127.57', snmpPort: 16957 },
      poller: { intervalMs: 3_000, timeoutMs: 500, retries: 1 },
      bmcSensors: false,
      probes: { enabled: false },
      alarms: { intervalMs: 200 },
    });
    const api = core.api;
    await until('every lab device answering', async () => (await api.call(operator, 'fleet.overview', undefined)).totals.answering === SIZE.devices || undefined, 30_000);
    const none = { sites: [], rooms: [], rows: [], cabinets: [], devices: [] };
    await api.call(admin, 'alarms.setRule', {
      id: 'dark', name: 'PDU without power', severity: 'critical', forMs: 0, scope: { ...none, kinds: ['pdu'] },
      condition: { kind: 'metric', metric: 'pdu.power_w', op: '<', value: 5 }, webhook: receiver.url,
    });
    await api.call(admin, 'alarms.setRule', {
      id: 'down', name: 'Device unreachable', severity: 'major', forMs: 1_500, scope: { ...none, kinds: [] },
      condition: { kind: 'state', state: 'device.status', equals: 'unreachable' }, webhook: receiver.url,
    });
    // Healthy: the PDU rule observes every PDU (power read), nothing fires.
    const list = (): Promise<Alarm[]> => api.call(viewer, 'alarms.list', {});
    await until('the PDU rule observing', async () => ((await list()).length === 0 && (await api.call(viewer, 'alarms.rules', undefined)).length === 2) || undefined, 10_000);
    const rootId = `dark|${pdu.id}`;

    /** Trips the cabinet and waits for the root and every device behind it firing (grouped under it). */
    const tripped = async (): Promise<Alarm[]> => {
      await api.call(operator, 'lab.fault', { kind: 'trip-pdu', cabinetId: cabinet.id });
      return until('the root firing, the cabinet grouped under it', async () => {
        const firing = await api.call(viewer, 'alarms.list', { state: 'firing' });
        const root = firing.find((a) => a.id === rootId);
        const grouped = behind.every((d) => firing.some((a) => a.id === `down|${d.id}` && a.rootId === rootId));
        return root && grouped ? firing : undefined;
      }, 20_000, 50);
    };
    const restored = async (): Promise<void> => {
      await api.call(operator, 'lab.fault', { kind: 'restore-pdu', cabinetId: cabinet.id });
      await until('every alarm resolved', async () => (await list()).every((a) => a.state === 'resolved') || undefined, 20_000, 50);
    };

    // 1. The trip: exactly one notifiable root, the PDU's; every other alarm is grouped under it.
    const firing = await tripped();
    const roots = firing.filter((a) => a.rootId === undefined && !a.masked);
    expect(roots.map((a) => a.id)).toEqual([rootId]);
    expect(firing.filter((a) => a.id !== rootId).every((a) => a.rootId === rootId)).toBe(true);
    expect(firing.map((a) => a.objectId).sort()).toEqual(inCabinet.map((d) => d.id).sort());
    expect(firing.find((a) => a.id === rootId)!.value).toBeLessThan(5);

    // Acknowledged with a comment: in the alarm, its history and the audit trail.
    const acked = await api.call(operator, 'alarms.acknowledge', { alarmId: rootId, comment: 'breaker reset requested' });
    expect(acked.ack).toMatchObject({ by: 'ana', comment: 'breaker reset requested' });
    const audit = await api.call(admin, 'audit.list', { action: 'alarms.acknowledge' });
    expect(audit[0]).toMatchObject({ actor: 'ana', role: 'operator', action: 'alarms.acknowledge', target: `${rootId}: breaker reset requested`, outcome: 'succeeded' });
    expect((await api.call(viewer, 'alarms.history', { alarmId: rootId })).map((e) => e.kind).slice(0, 2)).toEqual(['acked', 'fired']);

    // 2. Restore: every alarm resolves.
    await restored();
    const resolved = await list();
    expect(resolved.map((a) => a.objectId).sort()).toEqual(inCabinet.map((d) => d.id).sort());
    expect(resolved.every((a) => a.ack === undefined && a.occurrences === 1)).toBe(true);
    await until('the root\'s firing and resolving received', () => receiver.accepted.length >= 2 || undefined, 15_000);

    // 3. A maintenance window over the cabinet: the second trip's alarms are all masked, none notifiable.
    const now = Date.now();
    await api.call(operator, 'alarms.setWindow', { id: 'w-breaker', scope: { ...none, kinds: [], cabinets: [cabinet.id] }, from: now, to: now + 3_600_000, reason: 'breaker replacement' });
    const masked = await tripped();
    expect(masked.every((a) => a.masked)).toBe(true);
    expect(masked.filter((a) => a.rootId === undefined && !a.masked)).toEqual([]);
    expect(receiver.accepted).toHaveLength(2);
    // Ending the window brings them back: the root unmasked and notifiable (notified now), the rest still grouped.
    await api.call(operator, 'alarms.endWindow', { id: 'w-breaker' });
    const back = await api.call(viewer, 'alarms.list', { state: 'firing' });
    expect(back.every((a) => !a.masked)).toBe(true);
    expect(back.filter((a) => a.rootId === undefined).map((a) => a.id)).toEqual([rootId]);
    await restored();
    await until('four notifications received', () => receiver.accepted.length >= 4 || undefined, 15_000);

    // Each notification once: the root's firing and resolving of each occurrence, none of the grouped alarms.
    expect(receiver.accepted.map((r) => `${r.body.state}:${r.body.alarmId}#${r.body.occurrence}`)).toEqual([
      `firing:${rootId}#1`, `resolved:${rootId}#1`, `firing:${rootId}#2`, `resolved:${rootId}#2`,
    ]);
    expect(new Set(receiver.accepted.map((r) => r.key)).size).toBe(4);
    // The first request was refused (503) and retried with the same key.
    expect(receiver.refused).toHaveLength(1);
    expect(receiver.accepted[0]).toMatchObject({ key: receiver.refused[0].key, attempt: '2' });
    expect(receiver.accepted[0].body).toMatchObject({ ruleId: 'dark', objectId: pdu.id, severity: 'critical', ruleName: 'PDU without power' });

    // 4. Interface down, read from the poller's interface table: a lab link-down raises if.down_count on that server alone; link-up resolves it.
    const server = lab.devices.find((d) => d.kind === 'server' && d.cabinetId !== cabinet.id)!;
    await api.call(admin, 'alarms.setRule', {
      id: 'ifdown', name: 'Interface down', severity: 'minor', forMs: 0, scope: { ...none, kinds: ['server', 'switch'] },
      condition: { kind: 'metric', metric: 'if.down_count', op: '>=', value: 1 },
    });
    await api.call(operator, 'lab.fault', { kind: 'link-down', deviceId: server.id });
    const down = await until('the link-down alarm firing', async () => {
      const f = (await api.call(viewer, 'alarms.list', { state: 'firing' })).filter((a) => a.ruleId === 'ifdown');
      return f.length ? f : undefined;
    }, 20_000, 50);
    expect(down.map((a) => `${a.objectId}:${a.value}`)).toEqual([`${server.id}:1`]);
    await api.call(operator, 'lab.fault', { kind: 'link-up', deviceId: server.id });
    await until('the link-down alarm resolved', async () => (await api.call(viewer, 'alarms.list', { objectId: server.id })).find((a) => a.ruleId === 'ifdown')?.state === 'resolved' || undefined, 20_000, 50);

    await core.dispose();
    core = undefined;
    expect(receiver.accepted).toHaveLength(4);
  }, 90_000);
});
