// Rates, durations, uptimes and "ago" as shown on the device and run pages. t is a stub
// that echoes the key and its placeholders, so the tests pin what is looked up.
import { describe, expect, it } from 'vitest';
import { agoText, bitRate, durationText, interfacesReason, uptimeText, type FormatTranslate } from '../../../../src-renderer/components/format';

const t: FormatTranslate = (key, vars) => `${key} ${JSON.stringify(vars ?? {})}`;

describe('bitRate', () => {
  it('shows bits per second under 1000 as a whole number', () => {
    expect(bitRate(0)).toBe('0 b/s');
    expect(bitRate(940)).toBe('940 b/s');
    expect(bitRate(999.4)).toBe('999 b/s');
  });
  it('uses SI units with one decimal below 100', () => {
    expect(bitRate(1_000)).toBe('1 kb/s');
    expect(bitRate(1_500)).toBe('1.5 kb/s');
    expect(bitRate(12_500_000)).toBe('12.5 Mb/s');
    expect(bitRate(10e9)).toBe('10 Gb/s');
    expect(bitRate(2.25e12)).toBe('2.3 Tb/s');
  });
  it('drops a trailing .0 and shows whole numbers from 100', () => {
    expect(bitRate(12_040_000)).toBe('12 Mb/s');
    expect(bitRate(123_456)).toBe('123 kb/s');
    expect(bitRate(99_960)).toBe('100 kb/s');
  });
  it('never shows 1000 of a unit: it moves up one', () => {
    expect(bitRate(999_700)).toBe('1 Mb/s');
    expect(bitRate(999.6)).toBe('1 kb/s');
  });
  it('stays in Tb/s beyond the last unit', () => {
    expect(bitRate(5e15)).toBe('5000 Tb/s');
  });
});

describe('durationText', () => {
  it('is milliseconds under a second', () => {
    expect(durationText(t, 0)).toBe('fmt.ms {"n":0}');
    expect(durationText(t, 840.4)).toBe('fmt.ms {"n":840}');
  });
  it('is seconds with one decimal under a minute', () => {
    expect(durationText(t, 999.6)).toBe('fmt.seconds {"n":"1.0"}');
    expect(durationText(t, 12_345)).toBe('fmt.seconds {"n":"12.3"}');
  });
  it('is minutes and seconds from a minute, never "60 s"', () => {
    expect(durationText(t, 59_960)).toBe('fmt.minutes {"m":1,"s":0}');
    expect(durationText(t, 125_000)).toBe('fmt.minutes {"m":2,"s":5}');
    expect(durationText(t, 119_600)).toBe('fmt.minutes {"m":2,"s":0}');
  });
});

describe('uptimeText', () => {
  it('is hours and minutes under a day', () => {
    expect(uptimeText(t, 0)).toBe('fmt.uptimeHours {"h":0,"m":0}');
    expect(uptimeText(t, 3 * 3600 + 25 * 60 + 59)).toBe('fmt.uptimeHours {"h":3,"m":25}');
  });
  it('adds days from a day', () => {
    expect(uptimeText(t, 86_400)).toBe('fmt.uptimeDays {"d":1,"h":0,"m":0}');
    expect(uptimeText(t, 40 * 86_400 + 7 * 3600 + 60)).toBe('fmt.uptimeDays {"d":40,"h":7,"m":1}');
  });
});

describe('agoText', () => {
  const now = 1_700_000_000_000;
  it('is seconds, then minutes, then hours', () => {
    expect(agoText(t, now - 4_400, now)).toBe('fmt.secondsAgo {"n":4}');
    expect(agoText(t, now - 59_000, now)).toBe('fmt.secondsAgo {"n":59}');
    expect(agoText(t, now - 60_000, now)).toBe('fmt.minutesAgo {"n":1}');
    expect(agoText(t, now - 3_599_000, now)).toBe('fmt.minutesAgo {"n":59}');
    expect(agoText(t, now - 7_300_000, now)).toBe('fmt.hoursAgo {"n":2}');
  });
  it('says 0 s for a time a little in the future (clock skew)', () => {
    expect(agoText(t, now + 5_000, now)).toBe('fmt.secondsAgo {"n":0}');
  });
});

describe('interfacesReason', () => {
  it('drops the core\'s "not read:" so the sentence does not say it twice', () => {
    expect(interfacesReason('not read: the device is unreachable')).toBe('the device is unreachable');
    expect(interfacesReason('not read: the device is unknown')).toBe('the device is unknown');
  });
  it('keeps other reasons as the core wrote them', () => {
    expect(interfacesReason('no SNMP credential for this device')).toBe('no SNMP credential for this device');
    expect(interfacesReason('SnmpTimeoutError: no answer from 10.0.0.1:161 in 2000 ms')).toBe('SnmpTimeoutError: no answer from 10.0.0.1:161 in 2000 ms');
  });
  it('never returns an empty reason', () => {
    expect(interfacesReason('not read: ')).toBe('not read: ');
  });
});
