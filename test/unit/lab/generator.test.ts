// The lab's inventory generator: the default size, parent links, a PDU per feed of every
// cabinet (-pdu-a and -pdu-b when fed twice, -pdu when once) and one switch per row, servers
// that fit their cabinets, unique identities, determinism per seed.
import { describe, expect, it } from 'vitest';
import type { Device, InventoryDocument } from '../../../src-shared/domain';
import { DEFAULT_LAB_SIZE } from '../../../src-shared/lab-protocol';
import { CABINET_U, generateLab, labAddress } from '../../../src-main/lab/generator';

const lab = generateLab(1, DEFAULT_LAB_SIZE);

function byCabinet(doc: InventoryDocument): Map<string, Device[]> {
  const m = new Map<string, Device[]>();
  for (const d of doc.devices) m.set(d.cabinetId, [...(m.get(d.cabinetId) ?? []), d]);
  return m;
}

describe('generateLab', () => {
  it('builds the default size: 2 sites, 6 rooms, 30 rows, 300 cabinets, 3000 devices', () => {
    expect(lab.format).toBe('fleetdeck-inventory');
    expect(lab.sites).toHaveLength(2);
    expect(lab.rooms).toHaveLength(6);
    expect(lab.rows).toHaveLength(30);
    expect(lab.cabinets).toHaveLength(300);
    expect(lab.devices).toHaveLength(3000);
  });

  it('links every room, row, cabinet and device to an existing parent', () => {
    const ids = (xs: readonly { id: string }[]) => new Set(xs.map((x) => x.id));
    const sites = ids(lab.sites);
    const rooms = ids(lab.rooms);
    const rows = ids(lab.rows);
    const cabinets = ids(lab.cabinets);
    expect(lab.rooms.every((r) => sites.has(r.siteId))).toBe(true);
    expect(lab.rows.every((r) => rooms.has(r.roomId))).toBe(true);
    expect(lab.cabinets.every((c) => rows.has(c.rowId))).toBe(true);
    expect(lab.devices.every((d) => cabinets.has(d.cabinetId))).toBe(true);
    const all = [...lab.sites, ...lab.rooms, ...lab.rows, ...lab.cabinets, ...lab.devices].map((x) => x.id);
    expect(new Set(all).size).toBe(all.length);
    expect(lab.cabinets[0].id).toBe('cab-bj1-1-r1-01');
  });

  it('gives every cabinet a zero-U PDU per feed (-pdu-a and -pdu-b, or one -pdu) and every row one 1U switch at the top of its first cabinet', () => {
    const cabs = byCabinet(lab);
    let dual = 0;
    for (const c of lab.cabinets) {
      const pdus = (cabs.get(c.id) ?? []).filter((d) => d.kind === 'pdu');
      const stem = pdus[0].hostname.replace(/-pdu(-[ab])?$/, '');
      if (c.feedB === null) expect(pdus.map((p) => p.hostname)).toEqual([`${stem}-pdu`]);
      else {
        dual++;
        expect(c.feedB).toMatch(/^R\d+-B-PDB-\d\d$/);
        expect(pdus.map((p) => p.hostname)).toEqual([`${stem}-pdu-a`, `${stem}-pdu-b`]);
      }
      for (const p of pdus) expect(p).toMatchObject({ uPosition: 0, uHeight: 0 });
      expect(c.ratedPowerKw).toBeGreaterThanOrEqual(6);
      expect(c.ratedPowerKw).toBeLessThanOrEqual(12);
      expect(c.feedA).toMatch(/^R\d+-A-PDB-\d\d$/);
    }
    // Most cabinets are fed twice; the total stays exactly the size asked for.
    expect(dual).toBeGreaterThan(lab.cabinets.length * 0.8);
    expect(lab.devices.filter((d) => d.kind === 'pdu')).toHaveLength(lab.cabinets.length + dual);
    for (const r of lab.rows) {
      const rowCabs = lab.cabinets.filter((c) => c.rowId === r.id);
      const switches = rowCabs.flatMap((c) => cabs.get(c.id) ?? []).filter((d) => d.kind === 'switch');
      expect(switches).toHaveLength(1);
      const first = rowCabs.find((c) => c.position === 1)!;
      expect(switches[0]).toMatchObject({ cabinetId: first.id, uHeight: 1, uPosition: first.uHeight });
    }
  });

  it('places servers in 1U/2U/4U sizes inside 42U with no overlap, leaving a few cabinets empty', () => {
    const heights = new Set<number>();
    let empty = 0;
    for (const [, devices] of byCabinet(lab)) {
      const used = new Array<boolean>(CABINET_U + 1).fill(false);
      for (const d of devices.filter((x) => x.uHeight > 0)) {
        if (d.kind === 'server') heights.add(d.uHeight);
        expect(d.uPosition).toBeGreaterThanOrEqual(1);
        expect(d.uPosition + d.uHeight - 1).toBeLessThanOrEqual(CABINET_U);
        for (let u = d.uPosition; u < d.uPosition + d.uHeight; u++) {
          expect(used[u], `${d.id} overlaps at U${u}`).toBe(false);
          used[u] = true;
        }
      }
      if (!devices.some((d) => d.kind === 'server')) empty++;
    }
    expect([...heights].sort()).toEqual([1, 2, 4]);
    expect(empty).toBeGreaterThan(0);
    expect(empty).toBeLessThan(30);
  });

  it('gives unique serials, hostnames and loopback addresses, and servers a service tree', () => {
    const unique = (f: (d: Device) => string) => new Set(lab.devices.map(f)).size;
    expect(unique((d) => d.sn)).toBe(3000);
    expect(unique((d) => d.hostname)).toBe(3000);
    expect(unique((d) => d.mgmtIp)).toBe(3000);
    for (const d of lab.devices) {
      expect(d.sn).toMatch(/^FD\d{10}$/);
      expect(d.mgmtIp).toMatch(/^127\.16\.\d+\.\d+$/);
      const [, , x, y] = d.mgmtIp.split('.').map(Number);
      expect([x, y].every((o) => o > 0 && o < 255)).toBe(true);
      expect(d).toMatchObject({ snmpPort: 16161, snmpCredential: 'lab-snmp', bmcAddress: null });
      if (d.kind === 'server') expect(d.serviceTree).toMatchObject({ company: expect.any(String), service: expect.any(String) });
      else expect(d.serviceTree).toBeNull();
    }
    expect(lab.devices.find((d) => d.kind === 'server')!.hostname).toMatch(/^bj1-r1-c\d{4}-s\d\d$/);
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(generateLab(1, DEFAULT_LAB_SIZE)).toEqual(lab);
    expect(JSON.stringify(generateLab(2, DEFAULT_LAB_SIZE))).not.toBe(JSON.stringify(lab));
  });

  it('honours size, address prefix, port and credential options, and refuses impossible sizes', () => {
    const small = generateLab(5, { sites: 1, roomsPerSite: 1, rowsPerRoom: 2, cabinetsPerRow: 5, devices: 150 }, { addressPrefix: '127.40', snmpPort: 1161, snmpCredential: 'c1' });
    expect(small.devices).toHaveLength(150);
    expect(small.devices.every((d) => d.mgmtIp.startsWith('127.40.') && d.snmpPort === 1161 && d.snmpCredential === 'c1')).toBe(true);
    expect(() => generateLab(1, { ...DEFAULT_LAB_SIZE, devices: 100 })).toThrow(RangeError);
    // Room for a PDU per cabinet and a switch, but not for the second PDU of the dual-fed cabinets.
    expect(() => generateLab(1, { ...DEFAULT_LAB_SIZE, devices: 300 + 30 + 10 })).toThrow(/a PDU per feed of every cabinet/);
    expect(() => generateLab(1, DEFAULT_LAB_SIZE, { addressPrefix: '10.0' })).toThrow(/127\.0\.0\.0\/8/);
    expect(labAddress('127.16', 0)).toBe('127.16.1.1');
    expect(labAddress('127.16', 254)).toBe('127.16.2.1');
    expect(() => labAddress('127.16.3', 254)).toThrow(RangeError);
  });
});
