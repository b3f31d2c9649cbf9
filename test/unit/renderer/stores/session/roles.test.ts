// The UI disables what the role may not call, and names the role needed, by the contract's least roles.
import { describe, expect, it } from 'vitest';
import { leastRole, mayCall } from '../../../../../src-renderer/stores/session/roles';

describe('mayCall', () => {
  it('lets a viewer read but not act', () => {
    expect(mayCall('viewer', 'fleet.overview')).toBe(true);
    expect(mayCall('viewer', 'inventory.elevation')).toBe(true);
    expect(mayCall('viewer', 'fleet.run')).toBe(false);
    expect(mayCall('viewer', 'device.power')).toBe(false);
  });
  it('lets an operator run and power, not manage credentials', () => {
    expect(mayCall('operator', 'fleet.run')).toBe(true);
    expect(mayCall('operator', 'device.power')).toBe(true);
    expect(mayCall('operator', 'credentials.put')).toBe(false);
  });
  it('lets an admin do everything', () => {
    expect(mayCall('admin', 'credentials.put')).toBe(true);
    expect(mayCall('admin', 'audit.list')).toBe(true);
  });
  it('leaves an unknown role to the core', () => {
    expect(mayCall(null, 'credentials.put')).toBe(true);
  });
});

describe('leastRole', () => {
  it('names the role the contract asks for', () => {
    expect(leastRole('fleet.overview')).toBe('viewer');
    expect(leastRole('device.power')).toBe('operator');
    expect(leastRole('device.forgetHostKey')).toBe('admin');
  });
});
