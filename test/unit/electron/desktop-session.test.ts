import { describe, expect, it } from 'vitest';
import { desktopCallContext } from '../../../src-main/electron/desktop-session';

describe('desktop call context', () => {
  it('is the OS user at the desktop, as admin', () => {
    expect(desktopCallContext('alice')).toEqual({ actor: 'alice@desktop', role: 'admin' });
    expect(desktopCallContext(undefined).actor).toBe('unknown@desktop');
    expect(desktopCallContext('  ').actor).toBe('unknown@desktop');
  });
});
