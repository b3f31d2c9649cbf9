// The preload against a mocked electron: what reaches the page, and what it can do.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CALL, IPC_EVENT, PRELOAD_GLOBAL } from '../../../src-shared/api';
import type { FleetDeckBridge } from '../../../src-preload/index';

const h = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const ipcListeners = new Set<(...a: unknown[]) => void>();
  const invoke = vi.fn(async (..._a: unknown[]) => ({ ok: true, result: 42 }));
  return { exposed, ipcListeners, invoke };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => h.exposed.set(name, api) },
  ipcRenderer: {
    invoke: h.invoke,
    on: (channel: string, l: (...a: unknown[]) => void) => {
      if (channel === IPC_EVENT) h.ipcListeners.add(l);
    },
    removeListener: (channel: string, l: (...a: unknown[]) => void) => {
      if (channel === IPC_EVENT) h.ipcListeners.delete(l);
    },
  },
}));

const fakeIpcEvent = { sender: 'ipcRenderer itself' };
const emit = (name: string, payload: unknown) => [...h.ipcListeners].forEach((l) => l(fakeIpcEvent, name, payload));

describe('preload bridge', () => {
  let bridge: FleetDeckBridge;
  beforeAll(async () => {
    await import('../../../src-preload/index');
    bridge = h.exposed.get(PRELOAD_GLOBAL) as FleetDeckBridge;
  });

  it('exposes exactly call and on under window.fleetdeck', () => {
    expect([...h.exposed.keys()]).toEqual([PRELOAD_GLOBAL]);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on']);
  });

  it('invokes IPC_CALL for known methods only', async () => {
    expect(await bridge.call('fleet.overview', undefined)).toEqual({ ok: true, result: 42 });
    expect(h.invoke).toHaveBeenCalledWith(IPC_CALL, 'fleet.overview', undefined);
    h.invoke.mockClear();
    expect(await bridge.call('no.such' as never, {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(h.invoke).not.toHaveBeenCalled();
  });

  it('delivers only the subscribed stream, payload only, and unsubscribes', () => {
    const got: unknown[] = [];
    const off = bridge.on('onDidChangeOverview', (p) => got.push(p));
    expect(h.ipcListeners.size).toBe(1);
    emit('onDidChangeDeviceStatus', ['x']);
    emit('onDidChangeOverview', { n: 1 });
    emit('notAnEvent', { n: 2 });
    expect(got).toEqual([{ n: 1 }]);
    off();
    off();
    emit('onDidChangeOverview', { n: 3 });
    expect(got).toEqual([{ n: 1 }]);
    expect(h.ipcListeners.size).toBe(0);
  });

  it('keeps a newer subscription when an older one for the same stream is removed', () => {
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = bridge.on('onDidChangeOverview', (p) => a.push(p));
    offA();
    const offB = bridge.on('onDidChangeOverview', (p) => b.push(p));
    offA();
    emit('onDidChangeOverview', 1);
    expect(b).toEqual([1]);
    offB();
  });

  it('refuses unknown event names', () => {
    expect(() => bridge.on('nope' as never, () => {})).toThrow(/Unknown event/);
  });
});
