// SDR parsing and reading conversion, on the hand-written records of the ipmi_sim fixture
// (test/interop/ipmi/fixtures/bmc.emu): the values are what ipmitool prints for them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertReading, decodeSdrRecord, rawFromValue, type SensorRecord } from '../../../../../src-main/core/protocols/ipmi/codec/sdr';
import { encodeFullSensorRecord, encodeMcLocatorRecord } from '../../../../../src-main/core/protocols/ipmi/codec/sdr-build';
import { IpmiProtocolError } from '../../../../../src-main/core/protocols/ipmi/errors';

/** main_sdr_add lines of bmc.emu, continuation lines joined, as byte buffers. */
function emuRecords(): Buffer[] {
  const text = readFileSync(new URL('../../../../interop/ipmi/fixtures/bmc.emu', import.meta.url), 'utf8').replace(/\\\n/g, ' ');
  return text.split('\n').filter((l) => l.startsWith('main_sdr_add')).map((l) => Buffer.from(l.split(/\s+/).slice(2).filter(Boolean).map((h) => Number(h))));
}

describe('SDR records', () => {
  const records = emuRecords().map((b) => decodeSdrRecord(b));
  const byName = (n: string) => records.find((r) => r.name === n) as SensorRecord;

  it('parses full, compact and MC locator records with names, numbers, entities and units', () => {
    expect(records.map((r) => [r.kind, r.name])).toEqual([
      ['full', 'Inlet Temp'], ['full', 'CPU Temp'], ['full', 'Fan1'], ['full', 'PSU1 Power'], ['full', '12V'], ['full', '5V'], ['full', 'Ambient Delta'],
      ['compact', 'Power Unit'], ['mc-locator', 'FleetDeck BMC'],
    ]);
    expect(byName('Fan1')).toMatchObject({ number: 3, entityId: 0x1d, entityInstance: 1, sensorType: 4, eventReadingType: 1, units: 'RPM', ownerId: 0x20 });
    expect(byName('Power Unit')).toMatchObject({ number: 8, sensorType: 9, eventReadingType: 0x6f, conversion: null });
    expect(records[8]).toMatchObject({ kind: 'mc-locator', address: 0x20, entityId: 6 });
  });

  it('converts with M, B, B exponent, R exponent and the analog format (ipmitool: 24, 83.50, 4800, 250, 12, 4.99, -10)', () => {
    const v = (n: string, raw: number) => convertReading(raw, byName(n).conversion!);
    expect(v('Inlet Temp', 0x18)).toBe(24);
    expect(v('CPU Temp', 0xa7)).toBeCloseTo(83.5, 10);
    expect(v('Fan1', 0x40)).toBe(4800);
    expect(v('PSU1 Power', 0x64)).toBe(250);
    expect(v('12V', 0xc8)).toBeCloseTo(12, 10);
    expect(v('5V', 0xfa)).toBeCloseTo(4.99, 10);
    expect(v('Ambient Delta', 0xf6)).toBe(-10);
    expect(byName('5V').conversion).toMatchObject({ m: 2, b: -10, bExp: -1, rExp: -2 });
  });

  it('reads the thresholds the record marks readable, in units (ipmitool sensor list columns)', () => {
    expect(byName('Inlet Temp').thresholds).toEqual({ lnr: 0, lcr: 5, lnc: 10, unc: 35, ucr: 40, unr: 45 });
    expect(byName('12V').thresholds).toEqual({ lnr: null, lcr: expect.closeTo(10.8, 9), lnc: expect.closeTo(11.4, 9), unc: expect.closeTo(12.6, 9), ucr: expect.closeTo(13.2, 9), unr: null });
    expect(byName('Fan1').thresholds).toEqual({ lnr: 750, lcr: 1050, lnc: 1500, unc: null, ucr: null, unr: null });
    expect(byName('Inlet Temp').nominal).toBe(22);
  });

  it('applies non-linear linearizations and has an inverse for linear records', () => {
    const base = { analogFormat: 'unsigned' as const, m: 1, b: 0, bExp: 0, rExp: 0 };
    expect(convertReading(100, { ...base, linearization: 2 })).toBe(2); // log10
    expect(convertReading(3, { ...base, linearization: 8 })).toBe(9); // sqr
    expect(convertReading(4, { ...base, linearization: 7 })).toBe(0.25); // 1/x
    expect(convertReading(5, { ...base, analogFormat: 'none', linearization: 0 })).toBeNull();
    expect(convertReading(0xfe, { ...base, analogFormat: 'ones-complement', linearization: 0 })).toBe(-1);
    const c = byName('5V').conversion!;
    for (let raw = 0; raw < 256; raw++) expect(rawFromValue(convertReading(raw, c)!, c)).toBe(raw);
  });

  it('builds records the parser reads back (the lab BMC\'s SDRs)', () => {
    const rec = decodeSdrRecord(encodeFullSensorRecord({
      recordId: 7, number: 9, entityId: 3, entityInstance: 2, sensorType: 1, unit: 1, name: 'CPU2 Temp',
      conversion: { analogFormat: 'twos-complement', m: -3, b: 100, bExp: 1, rExp: -1 }, thresholds: { lnr: null, lcr: null, lnc: null, unc: 80, ucr: 90, unr: null },
    })) as SensorRecord;
    expect(rec).toMatchObject({ recordId: 7, number: 9, name: 'CPU2 Temp', units: 'degrees C', conversion: { m: -3, b: 100, bExp: 1, rExp: -1, analogFormat: 'twos-complement' } });
    expect(rec.thresholds!.unc).toBeCloseTo(80, 0);
    expect(decodeSdrRecord(encodeMcLocatorRecord(3, 'BMC'))).toMatchObject({ kind: 'mc-locator', name: 'BMC', address: 0x20 });
  });

  it('refuses truncated records with IpmiProtocolError', () => {
    const full = emuRecords()[0];
    expect(() => decodeSdrRecord(full.subarray(0, 30))).toThrow(IpmiProtocolError);
    expect(() => decodeSdrRecord(full.subarray(0, 3))).toThrow(IpmiProtocolError);
  });
});
