// The desktop's IPC calls under the call budget, the whole path the shell takes but Electron:
// ipc-calls -> CoreHostClient.connect -> an in-memory channel that structured-clones like the
// utilityProcess port -> serveCoreHost -> the real core api (createCoreApi, its scheduler
// and default budget). A renderer's burst past its budget gets RATE_LIMITED with
// retryAfterMs; two windows have separate budgets; a closed window's connection is disposed.
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../src-main/core/events/event-hub';
import { createCoreApi, type Handlers } from '../../../src-main/core/api/core-api';
import { DEFAULT_CALL_BUDGET } from '../../../src-main/core/api/call-budget';
import { AuditRepository } from '../../../src-main/core/store/audit-repository';
import { openStore } from '../../../src-main/core/store/database';
import type { HostedCore } from '../../../src-main/electron/core-host-service';
import { createIpcCalls } from '../../../src-main/electron/ipc-calls';
import { coreHostOverChannel } from '../../support/core-host-channel';
import { desktopCallContext } from '../../../src-main/electron/desktop-session';
import type { CallReply } from '../../../src-shared/api';

const ctx = desktopCallContext('alice');
const WINDOW_A = 1;
const WINDOW_B = 2;

/** A core host over an in-memory channel, serving a real core api whose handlers are slow enough to queue. */
async function desktop() {
  let running = 0;
  const live = { connections: 0, disposed: 0 };
  const handlers = {
    'session.whoami': async (_a: unknown, c: { actor: string; role: string }) => {
      running++;
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return { actor: c.actor, role: c.role };
    },
  } as unknown as Handlers;
  const api = createCoreApi(handlers, new EventHub(), new AuditRepository(openStore(':memory:')));
  const hosted: HostedCore = {
    api: {
      call: api.call,
      subscribe: api.subscribe,
      connect: (c) => {
        const conn = api.connect(c);
        live.connections++;
        return { call: conn.call, dispose: () => (live.connections--, live.disposed++, conn.dispose()) };
      },
    },
    dispose: async () => {},
  };
  const client = coreHostOverChannel(async () => hosted);
  await client.start({ storePath: ':memory:', secretKey: new Uint8Array(32).fill(7), lab: false, eventsFor: ctx });
  const ipc = createIpcCalls({ connect: () => client.connect(ctx) });
  return { ipc, live, running: () => running };
}

const burst = (ipc: ReturnType<typeof createIpcCalls>, sender: number, n: number): Promise<CallReply[]> =>
  Promise.all(Array.from({ length: n }, () => ipc.call(sender, 'session.whoami', undefined)));

const limited = (replies: CallReply[]) => replies.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED');

describe('desktop IPC calls', () => {
  it('refuses a renderer\'s burst past its budget with RATE_LIMITED and retryAfterMs, and serves the rest', async () => {
    const { ipc, live } = await desktop();
    const replies = await burst(ipc, WINDOW_A, 3 * DEFAULT_CALL_BUDGET.burst);
    const ok = replies.filter((r) => r.ok);
    // The bucket's burst, and the few tokens it refilled while the burst crossed the channel.
    expect(ok.length).toBeGreaterThanOrEqual(DEFAULT_CALL_BUDGET.burst);
    expect(ok.length).toBeLessThan(DEFAULT_CALL_BUDGET.burst * 1.5);
    expect(ok[0]).toEqual({ ok: true, result: { actor: 'alice@desktop', role: 'admin' } });
    const refused = limited(replies);
    expect(refused.length).toBe(replies.length - ok.length);
    for (const r of refused) {
      if (r.ok) continue;
      expect(r.error).toMatchObject({ name: 'RateLimitedError', code: 'RATE_LIMITED', params: { retryAfterMs: expect.any(Number) } });
      expect((r.error.params as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    }
    // One connection for the window, however many calls it made.
    expect([ipc.open, live.connections]).toEqual([1, 1]);
    // After the advised wait, the window is served again.
    const wait = Math.max(...refused.map((r) => (r.ok ? 0 : (r.error.params as { retryAfterMs: number }).retryAfterMs)));
    await new Promise((r) => setTimeout(r, wait + 20));
    expect(await ipc.call(WINDOW_A, 'session.whoami', undefined)).toMatchObject({ ok: true });
  });

  it('gives two windows separate budgets: one spent does not refuse the other', async () => {
    const { ipc, live } = await desktop();
    const a = burst(ipc, WINDOW_A, 3 * DEFAULT_CALL_BUDGET.burst);
    const b = burst(ipc, WINDOW_B, DEFAULT_CALL_BUDGET.burst / 2);
    const [ra, rb] = await Promise.all([a, b]);
    expect(limited(ra).length).toBeGreaterThan(0);
    expect(limited(rb)).toEqual([]);
    expect(rb.every((r) => r.ok)).toBe(true);
    expect([ipc.open, live.connections]).toEqual([2, 2]);
  });

  it('disposes a window\'s connection when it closes: its queued calls end, a new window starts afresh', async () => {
    const { ipc, live } = await desktop();
    expect(await ipc.call(WINDOW_A, 'session.whoami', undefined)).toMatchObject({ ok: true });
    expect(live.connections).toBe(1);
    // A burst in flight when the window closes: what had not started is dropped with UNAVAILABLE.
    const pending = burst(ipc, WINDOW_A, DEFAULT_CALL_BUDGET.burst / 2);
    await new Promise((r) => setTimeout(r, 1));
    ipc.close(WINDOW_A);
    const replies = await pending;
    expect(replies.some((r) => !r.ok && r.error.code === 'UNAVAILABLE')).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect([ipc.open, live.connections, live.disposed]).toEqual([0, 0, 1]);
    // Another window gets a connection of its own, with a full budget.
    const fresh = await burst(ipc, WINDOW_B, DEFAULT_CALL_BUDGET.burst);
    expect(fresh.every((r) => r.ok)).toBe(true);
    expect([ipc.open, live.connections]).toEqual([1, 1]);
    ipc.dispose();
    await new Promise((r) => setTimeout(r, 5));
    expect([ipc.open, live.connections, live.disposed]).toEqual([0, 0, 2]);
  });

  it('refuses an unknown method without opening a connection', async () => {
    const { ipc, live } = await desktop();
    expect(await ipc.call(WINDOW_A, 'no.such', undefined)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect([ipc.open, live.connections]).toEqual([0, 0]);
  });
});
