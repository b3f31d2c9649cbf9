// The lifecycle's move table: staying put is no move; a racked device can reach every state;
// every state but retired can get back online; the moves the provisioning flow relies on are
// there (racked -> provisioning -> online, a failed install back to racked, a reinstall) and
// the ones it must never make are not (racked -> online skipping the install, retired -> online).
import { describe, expect, it } from 'vitest';
import { DEVICE_LIFECYCLES, canMove, isDeviceLifecycle, nextLifecycles, type DeviceLifecycle } from '../../../src-shared/domain';

/** The states reachable from `from` by allowed moves (itself included). */
function reachable(from: DeviceLifecycle): Set<DeviceLifecycle> {
  const seen = new Set<DeviceLifecycle>([from]);
  const todo = [from];
  while (todo.length > 0) {
    for (const to of nextLifecycles(todo.pop()!)) {
      if (seen.has(to)) continue;
      seen.add(to);
      todo.push(to);
    }
  }
  return seen;
}

describe('the device lifecycle moves', () => {
  it('never moves a state to itself', () => {
    for (const s of DEVICE_LIFECYCLES) expect(canMove(s, s), s).toBe(false);
  });

  it('lets a racked device reach every state, and every state reach online except through re-racking', () => {
    expect([...reachable('racked')].sort()).toEqual([...DEVICE_LIFECYCLES].sort());
    for (const s of DEVICE_LIFECYCLES) expect(reachable(s).has('online'), s).toBe(true);
    // retired comes back only as racked hardware, through a new install.
    expect(nextLifecycles('retired')).toEqual(['racked']);
  });

  it('has the provisioning flow’s moves and refuses the shortcuts', () => {
    expect(canMove('racked', 'provisioning')).toBe(true);
    expect(canMove('provisioning', 'online')).toBe(true);
    expect(canMove('provisioning', 'racked')).toBe(true); // a failed install goes back
    expect(canMove('online', 'provisioning')).toBe(true); // a reinstall
    expect(canMove('racked', 'online')).toBe(false);
    expect(canMove('retired', 'online')).toBe(false);
    expect(canMove('online', 'retired')).toBe(false); // take it offline first
    expect(nextLifecycles('online')).toEqual(['provisioning', 'offline', 'maintenance']);
  });

  it('knows its words', () => {
    expect(DEVICE_LIFECYCLES.every(isDeviceLifecycle)).toBe(true);
    for (const v of ['Online', '', 'decommissioned', null, 3]) expect(isDeviceLifecycle(v), String(v)).toBe(false);
  });
});
