// Sensor types and units worded from their IPMI codes: English keeps the BMC's wording,
// zh-CN words every code of the core's tables (v2.0 tables 42-3 and 43-15) without Latin words
// beyond unit symbols.
import { describe, expect, it } from 'vitest';
import { WORDED_TYPE_CODES, WORDED_UNIT_CODES, sensorTypeText, sensorValueText, unitText } from '../../../../src-renderer/i18n/sensor-text';

describe('sensorTypeText / unitText', () => {
  it('keeps the BMC wording in English', () => {
    expect(sensorTypeText('en', 1, 'Temperature')).toBe('Temperature');
    expect(sensorValueText('en', '23', 1, 'degrees C')).toBe('23 degrees C');
  });

  it('words every type and unit code the core knows in zh-CN', () => {
    // The core's tables (src-main/core/protocols/ipmi/codec/units.ts): 45 sensor types, 93 units.
    expect(WORDED_TYPE_CODES).toBe(45);
    expect(WORDED_UNIT_CODES).toBe(93);
    expect(sensorTypeText('zh-CN', 1, 'Temperature')).toBe('温度');
    expect(sensorTypeText('zh-CN', 4, 'Fan')).toBe('风扇');
    expect(sensorTypeText('zh-CN', 0xc3, 'OEM')).toBe('厂商自定义');
    expect(sensorTypeText('zh-CN', 0x70, 'Unknown')).toBe('未知类型');
    expect(sensorValueText('zh-CN', '23', 1, 'degrees C')).toBe('23 °C');
    expect(sensorValueText('zh-CN', '256', 6, 'Watts')).toBe('256 W');
    expect(sensorValueText('zh-CN', '3', 0, 'unspecified')).toBe('3');
    expect(unitText('zh-CN', 500, 'unknown')).toBe('');
  });

  it('uses no Latin word in zh-CN other than unit symbols', () => {
    const symbols = new Set(['C', 'F', 'K', 'V', 'A', 'W', 'J', 'VA', 'lm', 'lx', 'cd', 'kPa', 'PSI', 'N', 'CFM', 'RPM', 'Hz', 'ms', 's', 'mm', 'cm', 'm', 'L', 'rad', 'sr', 'g', 'Gs', 'Gb', 'H', 'mH', 'S', 'mol', 'Bq', 'ppm', 'dB', 'dBA', 'dBC', 'Gy', 'Sv', 'kbit', 'Mbit', 'Gbit', 'KB', 'MB', 'GB', 'ACPI']);
    const codes = (n: number) => Array.from({ length: n }, (_, i) => i);
    const words = [
      ...codes(WORDED_TYPE_CODES).map((i) => sensorTypeText('zh-CN', i, '')),
      ...codes(WORDED_UNIT_CODES).map((i) => unitText('zh-CN', i, '')),
    ].flatMap((s) => s.match(/[A-Za-z]+/g) ?? []);
    expect(words.filter((w) => !symbols.has(w))).toEqual([]);
  });
});
