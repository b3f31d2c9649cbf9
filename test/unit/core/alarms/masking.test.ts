// Masking: an alarm inside an active maintenance window is masked (kept, not notified) and
// comes back unmasked when the window ends; selections match by place and narrow by kind.
import { describe, expect, it } from 'vitest';
import { maskAlarms, notifiable } from '../../../../src-main/core/alarms/masking';
import { devicesInScope, inSelection, placeIndex } from '../../../../src-main/core/alarms/selection';
import { inventorySelectionSchema, maintenanceWindowSchema } from '../../../../src-shared/domain/alarm';
import { firing, inventory } from './fixture';

const places = placeIndex(inventory);
const sel = (s: object) => inventorySelectionSchema.parse(s);
const win = maintenanceWindowSchema.parse({ id: 'w1', scope: { cabinets: ['c1'] }, from: 1000, to: 2000, reason: 'PDU swap' });
const alarms = [firing('down', 's1'), firing('down', 'c1-pdu-a'), firing('down', 's3')];
const masked = (now: number) => maskAlarms(alarms, [win], places, now).filter((a) => a.masked).map((a) => a.objectId);

describe('masking', () => {
  it("masks a cabinet's alarms while its window is active and unmasks them when it ends", () => {
    expect(masked(999)).toEqual([]);
    expect(masked(1000)).toEqual(['s1', 'c1-pdu-a']);
    expect(maskAlarms(alarms, [win], places, 1500).filter(notifiable).map((a) => a.objectId)).toEqual(['s3']);
    const during = maskAlarms(alarms, [win], places, 1999);
    const after = maskAlarms(during, [win], places, 2000);
    expect(after.every((a) => !a.masked)).toBe(true);
    expect(after.filter(notifiable)).toHaveLength(3);
  });

  it('masks an unplaced object only by an empty scope or its device id', () => {
    const gone = [firing('down', 'ghost')];
    const at = (scope: object) => maskAlarms(gone, [{ ...win, scope: sel(scope) }], places, 1500)[0].masked;
    expect(at({ cabinets: ['c1'] })).toBe(false);
    expect(at({ devices: ['ghost'] })).toBe(true);
    expect(at({})).toBe(true);
  });

  it('matches selections by place, narrowed by kind; empty matches all', () => {
    const p = (id: string) => places.get(id)!;
    expect(inSelection(sel({}), p('s4'))).toBe(true);
    expect(inSelection(sel({ rooms: ['room1'] }), p('s4'))).toBe(true);
    expect(inSelection(sel({ rows: ['r1'] }), p('s4'))).toBe(false);
    expect(inSelection(sel({ rows: ['r1'], kinds: ['pdu'] }), p('pdu2'))).toBe(true);
    expect(inSelection(sel({ rows: ['r1'], kinds: ['pdu'] }), p('s3'))).toBe(false);
    expect(inSelection(sel({ kinds: ['server'] }), p('s4'))).toBe(true);
    expect(inSelection(sel({ sites: ['site1'] }), p('c2'))).toBe(true);
    expect(inSelection(sel({ kinds: ['server'] }), p('c2'))).toBe(false);
  });

  it('lists the devices a selection covers', () => {
    expect(devicesInScope(sel({ cabinets: ['c1'], kinds: ['server'] }), places)).toEqual(['s1', 's2']);
    expect(devicesInScope(sel({ rows: ['r2'] }), places)).toEqual(['s4']);
    expect(devicesInScope(sel({}), places)).toHaveLength(inventory.devices.length);
  });

  it('rejects a window that ends before it starts', () => {
    expect(maintenanceWindowSchema.safeParse({ ...win, to: 1000 }).success).toBe(false);
  });
});
