// The main-side client and the host-side service, joined by an in-memory channel that
// structured-clones every message as the utilityProcess port does.
import { describe, expect, it, vi } from 'vitest';
import type { ApiEvents, CallContext, EventName } from '../../../src-shared/api';
import { EVENTS } from '../../../src-shared/api';
import { ForbiddenError } from '../../../src-shared/errors';
import type { CoreConfig } from '../../../src-main/core/config';
import { CoreHostClient } from '../../../src-main/electron/core-host-client';
import type { CoreHostConfig } from '../../../src-main/electron/core-host-protocol';
import { serveCoreHost, type HostedCore } from '../../../src-main/electron/core-host-service';

const ctx: CallContext = { actor: 'alice@desktop', role: 'admin' };
const KEY = new Uint8Array(32).fill(7);
const config: CoreHostConfig = { storePath: ':memory:', secretKey: KEY, lab: false, eventsFor: ctx };

function fakeCore() {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const core = {
    disposed: 0,
    received: null as CoreConfig | null,
    emit<E extends EventName>(event: E, payload: ApiEvents[E]) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
    api: {
      async call(c: CallContext, method: string, args: unknown): Promise<unknown> {
        if (method === 'audit.list' && c.role !== 'admin') throw new ForbiddenError(method, 'admin', c.role);
        if (method === 'credentials.put') throw new ForbiddenError(method, 'admin', 'viewer');
        if (method === 'inventory.export') return { fn: () => 1 };
        return { method, args, actor: c.actor };
      },
      subscribe(_c: CallContext, sink: (event: EventName, p: unknown) => void) {
        const mine = EVENTS.map((event) => {
          const listener = (p: unknown) => sink(event, p);
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)!.add(listener);
          return () => listeners.get(event)!.delete(listener);
        });
        return { dispose: () => mine.forEach((off) => off()) };
      },
    },
    async dispose() {
      core.disposed++;
    },
  };
  return core;
}

function connect(create: (c: CoreConfig) => Promise<HostedCore>, opts: { exitOnDispose?: boolean; onUnexpectedExit?: (code: number) => void } = {}) {
  const toHost: ((m: unknown) => void)[] = [];
  const toMain: ((m: unknown) => void)[] = [];
  const exitListeners: ((code: number) => void)[] = [];
  let exited = false;
  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    for (const l of exitListeners) l(code);
  };
  const kill = vi.fn(() => exit(143));
  const client = new CoreHostClient(
    {
      postMessage: (m) => {
        const c = structuredClone(m);
        queueMicrotask(() => toHost.forEach((l) => l(c)));
      },
      onMessage: (l) => toMain.push(l),
      onExit: (l) => exitListeners.push(l),
      kill,
    },
    { disposeTimeoutMs: 50, onUnexpectedExit: opts.onUnexpectedExit },
  );
  const hostExit = vi.fn((code: number) => {
    if (opts.exitOnDispose !== false) exit(code);
  });
  const log = vi.fn();
  serveCoreHost({
    port: {
      postMessage: (m) => {
        const c = structuredClone(m);
        queueMicrotask(() => toMain.forEach((l) => l(c)));
      },
      onMessage: (l) => toHost.push(l),
    },
    createCore: create,
    exit: hostExit,
    log,
  });
  return { client, kill, hostExit, crash: (code: number) => exit(code), log };
}

describe('core host bridge', () => {
  it('starts the core with the key as a Buffer and forwards calls', async () => {
    const core = fakeCore();
    const { client } = connect(async (c) => {
      core.received = c;
      return core as unknown as HostedCore;
    });
    await client.start(config);
    expect(Buffer.isBuffer(core.received!.secretKey)).toBe(true);
    expect(core.received!.secretKey.equals(Buffer.from(KEY))).toBe(true);
    expect(typeof core.received!.log).toBe('function');
    const reply = await client.call(ctx, 'inventory.cabinets', { roomId: 'r1' });
    expect(reply).toEqual({ ok: true, result: { method: 'inventory.cabinets', args: { roomId: 'r1' }, actor: 'alice@desktop' } });
  });

  it('returns core errors serialized, with name, code and params', async () => {
    const core = fakeCore();
    const { client } = connect(async () => core as unknown as HostedCore);
    await client.start(config);
    const reply = await client.call(ctx, 'credentials.put', {});
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error).toEqual({ name: 'ForbiddenError', code: 'FORBIDDEN', message: expect.stringContaining('admin'), params: { method: 'credentials.put', required: 'admin', actual: 'viewer' } });
  });

  it('answers with an error when a result cannot be cloned', async () => {
    const core = fakeCore();
    const { client } = connect(async () => core as unknown as HostedCore);
    await client.start(config);
    const reply = await client.call(ctx, 'inventory.export', { format: 'csv' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('forwards every event stream', async () => {
    const core = fakeCore();
    const { client } = connect(async () => core as unknown as HostedCore);
    const seen: [string, unknown][] = [];
    client.onEvent((e, p) => seen.push([e, p]));
    await client.start(config);
    core.emit('onDidChangeDeviceStatus', []);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([['onDidChangeDeviceStatus', []]]);
    expect(core.listenerCount()).toBe(EVENTS.length);
  });

  it('refuses an all-zero key rather than sealing credentials with it', async () => {
    const { client } = connect(async () => fakeCore() as unknown as HostedCore);
    await expect(client.start({ ...config, secretKey: new Uint8Array(32) })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('all zeros') });
  });

  it('holds calls made before ready until the core is up', async () => {
    const core = fakeCore();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { client } = connect(async () => {
      await gate;
      return core as unknown as HostedCore;
    });
    const started = client.start(config);
    const pending = client.call(ctx, 'fleet.overview', undefined);
    release();
    await started;
    expect((await pending).ok).toBe(true);
  });

  it('reports a core that fails to start, to start() and to every call', async () => {
    const { client } = connect(async () => {
      throw new ForbiddenError('x', 'admin', 'viewer');
    });
    await expect(client.start(config)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await client.call(ctx, 'fleet.overview', undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('disposes the core, unsubscribes, and lets the host exit', async () => {
    const core = fakeCore();
    const onUnexpectedExit = vi.fn();
    const { client, kill, hostExit } = connect(async () => core as unknown as HostedCore, { onUnexpectedExit });
    await client.start(config);
    await client.dispose();
    expect(core.disposed).toBe(1);
    expect(core.listenerCount()).toBe(0);
    expect(hostExit).toHaveBeenCalledWith(0);
    expect(kill).not.toHaveBeenCalled();
    // An exit the client asked for is not reported as a crash.
    expect(onUnexpectedExit).not.toHaveBeenCalled();
    expect(await client.call(ctx, 'fleet.overview', undefined)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('kills a host that does not exit within the timeout', async () => {
    const core = fakeCore();
    const { client, kill } = connect(async () => core as unknown as HostedCore, { exitOnDispose: false });
    await client.start(config);
    await client.dispose();
    expect(kill).toHaveBeenCalledTimes(1);
  });

  it('settles in-flight calls when the host dies', async () => {
    const core = fakeCore();
    core.api.call = () => new Promise(() => {});
    const onUnexpectedExit = vi.fn();
    const { client, crash } = connect(async () => core as unknown as HostedCore, { onUnexpectedExit });
    await client.start(config);
    const pending = client.call(ctx, 'fleet.overview', undefined);
    await new Promise((r) => setTimeout(r, 0));
    crash(9);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('code 9') } });
    expect(onUnexpectedExit).toHaveBeenCalledWith(9);
  });
});
