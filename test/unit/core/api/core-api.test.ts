import { describe, expect, it } from 'vitest';
import type { CallContext } from '../../../../src-shared/api';
import { ForbiddenError } from '../../../../src-shared/errors';
import { createCoreApi, type Handlers } from '../../../../src-main/core/api/core-api';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { AuditRepository } from '../../../../src-main/core/store/audit-repository';
import { openStore } from '../../../../src-main/core/store/database';

const viewer: CallContext = { actor: 'wall-1', role: 'viewer' };
const operator: CallContext = { actor: 'ana', role: 'operator' };

function setup(overrides: Partial<Handlers> = {}) {
  const db = openStore(':memory:');
  const audit = new AuditRepository(db);
  let faults = 0;
  const handlers = {
    'session.whoami': (_a: unknown, ctx: CallContext) => ({ actor: ctx.actor, role: ctx.role }),
    'lab.fault': () => {
      faults++;
      return { running: true, devices: 1, deadDevices: ['d1'], trippedCabinets: [], linksDown: [] };
    },
    ...overrides,
  } as unknown as Handlers;
  const api = createCoreApi(handlers, new EventHub(), audit);
  return { api, audit, faults: () => faults };
}

describe('core api: roles and audit', () => {
  it('refuses a control action above the caller role, does not run it, and audits the refusal', async () => {
    const { api, audit, faults } = setup();
    const call = api.call(viewer, 'lab.fault', { kind: 'kill-device', deviceId: 'd1' });
    await expect(call).rejects.toBeInstanceOf(ForbiddenError);
    await expect(api.call(viewer, 'lab.fault', { kind: 'kill-device', deviceId: 'd1' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: '"lab.fault" needs the operator role; this session is viewer',
    });
    expect(faults()).toBe(0);
    expect(audit.list(1)[0]).toMatchObject({ actor: 'wall-1', role: 'viewer', action: 'lab.fault', target: 'kill-device d1', outcome: 'refused' });
  });

  it('audits a permitted control action before it runs and completes the entry after', async () => {
    let seenDuringRun: unknown;
    const { api, audit } = setup({
      'lab.fault': (() => {
        seenDuringRun = audit.list(1)[0];
        return { running: true, devices: 1, deadDevices: [], trippedCabinets: [], linksDown: [] };
      }) as Handlers['lab.fault'],
    });
    await api.call(operator, 'lab.fault', { kind: 'trip-pdu', cabinetId: 'c9' });
    expect(seenDuringRun).toMatchObject({ actor: 'ana', action: 'lab.fault', target: 'trip-pdu c9', outcome: 'allowed' });
    expect(audit.list(1)[0]).toMatchObject({ outcome: 'succeeded' });
  });

  it('records a failed control action with its error', async () => {
    const { api, audit } = setup({
      'lab.fault': (() => {
        throw new Error('lab process gone');
      }) as Handlers['lab.fault'],
    });
    await expect(api.call(operator, 'lab.fault', { kind: 'trip-pdu', cabinetId: 'c9' })).rejects.toThrow('lab process gone');
    expect(audit.list(1)[0]).toMatchObject({ outcome: 'failed', detail: 'lab process gone' });
  });

  it('does not audit reads, and rejects unknown methods', async () => {
    const { api, audit } = setup();
    expect(await api.call(viewer, 'session.whoami', undefined)).toEqual({ actor: 'wall-1', role: 'viewer' });
    expect(audit.list()).toEqual([]);
    await expect(api.call(viewer, 'nope' as never, undefined as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('core api: event delivery by role', () => {
  it('subscribes each caller to the streams its role may receive, and no others', () => {
    const hub = new EventHub();
    const api = createCoreApi({} as Handlers, hub, new AuditRepository(openStore(':memory:')));
    const got: Record<string, string[]> = { viewer: [], operator: [] };
    const subs = [api.subscribe(viewer, (e) => got.viewer.push(e)), api.subscribe(operator, (e) => got.operator.push(e))];
    hub.emit('onDidFinishRun', { runId: 'r', succeeded: 1, failed: 0, cancelled: false, ms: 1 });
    hub.emit('onDidReceiveFleetEvent', []);
    expect(got.operator).toEqual(['onDidFinishRun', 'onDidReceiveFleetEvent']);
    expect(got.viewer).toEqual(['onDidReceiveFleetEvent']);
    subs.forEach((s) => s.dispose());
    expect(hub.listenerCount()).toBe(0);
  });

  it('refuses one stream above the caller role', () => {
    const api = createCoreApi({} as Handlers, new EventHub(), new AuditRepository(openStore(':memory:')));
    expect(() => api.on(viewer, 'onDidReceiveRunResult', () => {})).toThrow(ForbiddenError);
    expect(() => api.on(operator, 'onDidReceiveRunResult', () => {}).dispose()).not.toThrow();
  });
});
