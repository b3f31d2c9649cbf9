// "powering off…" after a successful power action: pending until a status batch or a
// post-action device detail shows the expected state, or the timeout.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  PENDING_POWER_TIMEOUT_MS,
  applyPendingStatus,
  beginPendingPower,
  clearPendingPower,
  confirmPendingFromDetail,
  expectOf,
} from '../../../../../src-renderer/stores/fleet/pending-power';
import { useAppStore } from '../../../../../src-renderer/stores/store';

const pending = (id: string) => useAppStore.getState().fleet.pendingPower[id];
const change = (deviceId: string, status: 'up' | 'degraded' | 'unreachable' | 'unknown', at: number, previous: 'up' | 'unreachable' = 'up') => ({
  deviceId,
  status,
  previous,
  at,
});

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  clearPendingPower();
  vi.useRealTimers();
});

describe('pending power', () => {
  it('maps actions to what they lead to', () => {
    expect(expectOf('off')).toBe('off');
    expect(expectOf('soft')).toBe('off');
    expect(expectOf('on')).toBe('on');
    expect(expectOf('cycle')).toBe('restart');
    expect(expectOf('reset')).toBe('restart');
  });

  it('power off: pending until the device is seen unreachable', () => {
    beginPendingPower('dev-1', 'off', 'srv-1', 1000);
    expect(pending('dev-1')).toMatchObject({ expect: 'off', hostname: 'srv-1', since: 1000 });
    applyPendingStatus([change('dev-1', 'degraded', 1500)]);
    expect(pending('dev-1')).toBeDefined();
    applyPendingStatus([change('dev-2', 'unreachable', 1600)]);
    expect(pending('dev-1')).toBeDefined();
    applyPendingStatus([change('dev-1', 'unreachable', 1700)]);
    expect(pending('dev-1')).toBeUndefined();
  });

  it('ignores a change from before the action', () => {
    beginPendingPower('dev-1', 'on', null, 5000);
    applyPendingStatus([change('dev-1', 'up', 4000, 'unreachable')]);
    expect(pending('dev-1')).toBeDefined();
  });

  it('restart: only up after having been seen down', () => {
    beginPendingPower('dev-1', 'cycle', null, 1000);
    applyPendingStatus([change('dev-1', 'up', 1100)]);
    expect(pending('dev-1')).toBeDefined();
    applyPendingStatus([change('dev-1', 'unreachable', 1200)]);
    expect(pending('dev-1')?.sawDown).toBe(true);
    applyPendingStatus([change('dev-1', 'up', 1300, 'unreachable')]);
    expect(pending('dev-1')).toBeUndefined();
  });

  it('the device detail confirms only from a poll after the action', () => {
    beginPendingPower('dev-1', 'on', null, 1000);
    confirmPendingFromDetail('dev-1', 'up', 900);
    expect(pending('dev-1')).toBeDefined();
    confirmPendingFromDetail('dev-1', 'unreachable', 1200);
    expect(pending('dev-1')).toBeDefined();
    confirmPendingFromDetail('dev-1', 'up', 1200);
    expect(pending('dev-1')).toBeUndefined();
  });

  it('gives up after the timeout', () => {
    beginPendingPower('dev-1', 'off', null, Date.now());
    vi.advanceTimersByTime(PENDING_POWER_TIMEOUT_MS - 1);
    expect(pending('dev-1')).toBeDefined();
    vi.advanceTimersByTime(1);
    expect(pending('dev-1')).toBeUndefined();
  });

  it("a newer action's wait survives the older one's timeout", () => {
    beginPendingPower('dev-1', 'off', null, 1);
    vi.advanceTimersByTime(PENDING_POWER_TIMEOUT_MS / 2);
    beginPendingPower('dev-1', 'on', null, 2);
    vi.advanceTimersByTime(PENDING_POWER_TIMEOUT_MS / 2 + 1);
    expect(pending('dev-1')).toMatchObject({ expect: 'on' });
  });
});
