// A lab BMC's boots and its boot flags: each power on and each reset tells its listeners the
// device it boots from; a one-time override is used up by that boot, a persistent one stays,
// and without an override (or with "none") the host boots its normal order (null: the disk).
import { describe, expect, it } from 'vitest';
import { BmcState, type BootTarget } from '../../../../src-main/lab/bmc/bmc-state';

function watched(): { s: BmcState; boots: string[] } {
  const s = new BmcState({ seed: 3, poweredOn: false });
  const boots: string[] = [];
  const name = (b: BootTarget): string => b ?? 'disk';
  s.onPowerChange((on, _cause, boot) => boots.push(on ? `on:${name(boot)}` : 'off'));
  s.onReset((boot) => boots.push(`reset:${name(boot)}`));
  return { s, boots };
}

describe('lab BMC boots', () => {
  it('use a one-time PXE override once: the next boot is from disk again', () => {
    const { s, boots } = watched();
    s.boot = { valid: true, persistent: false, efi: false, device: 'pxe' };
    s.setPower(true, 'ipmi');
    expect(s.boot).toMatchObject({ valid: false, device: 'pxe' });
    s.reset();
    s.setPower(false, 'ipmi', true);
    s.setPower(true, 'ipmi');
    expect(boots).toEqual(['on:pxe', 'reset:disk', 'off', 'on:disk']);
  });

  it('keep a persistent override for every boot, resets included', () => {
    const { s, boots } = watched();
    s.boot = { valid: true, persistent: true, efi: false, device: 'pxe' };
    s.setPower(true, 'ipmi');
    s.reset();
    s.setPower(false, 'lab');
    s.setPower(true, 'lab');
    expect(boots).toEqual(['on:pxe', 'reset:pxe', 'off', 'on:pxe']);
    expect(s.boot).toMatchObject({ valid: true, persistent: true });
  });

  it('boot the other overrides as named, and "none" or an invalid flag as the normal order', () => {
    const { s, boots } = watched();
    for (const device of ['cdrom', 'bios', 'disk', 'none'] as const) {
      s.boot = { valid: true, persistent: false, efi: false, device };
      s.setPower(true, 'ipmi');
      s.setPower(false, 'ipmi');
    }
    s.boot = { valid: false, persistent: false, efi: false, device: 'pxe' };
    s.setPower(true, 'ipmi');
    expect(boots.filter((b) => b.startsWith('on:'))).toEqual(['on:cdrom', 'on:bios', 'on:disk', 'on:disk', 'on:disk']);
  });

  it('tell nothing when the power does not change, and a reset of a host that is off does nothing', () => {
    const { s, boots } = watched();
    s.reset();
    s.setPower(false, 'ipmi');
    s.boot = { valid: true, persistent: false, efi: false, device: 'pxe' };
    s.setPower(true, 'ipmi');
    s.setPower(true, 'ipmi');
    expect(boots).toEqual(['on:pxe']);
  });
});
