// Locate's timing: each identify send asks for what is left, at most IPMI's 255 s, and a
// long locate is re-armed shortly before the current interval lapses; the countdown text and
// the SN read from a scanned label link.
import { describe, expect, it } from 'vitest';
import { IDENTIFY_MAX_SECONDS, needsRearm, nextInterval } from '../../../../../src-renderer/stores/locate/locate';
import { labelPayload } from '../../../../../src-renderer/stores/locate/labels';
import { countdownText } from '../../../../../src-renderer/views/inventory/locate-control';
import { snFromScan } from '../../../../../src-renderer/views/inventory/scan-view';

describe('locate timing', () => {
  it('asks for the time left, capped at 255 s', () => {
    expect(nextInterval(60_000, 0)).toBe(60);
    expect(nextInterval(15 * 60_000, 0)).toBe(IDENTIFY_MAX_SECONDS);
    expect(nextInterval(1_500, 0)).toBe(2);
    expect(nextInterval(0, 5_000)).toBe(0);
  });
  it('re-arms only when the interval lapses before the locate ends', () => {
    const long = { until: 900_000, armedUntil: 255_000 };
    expect(needsRearm(long, 200_000)).toBe(false);
    expect(needsRearm(long, 241_000)).toBe(true);
    expect(needsRearm({ until: 60_000, armedUntil: 60_000 }, 59_000)).toBe(false);
  });
  it('words the countdown as m:ss', () => {
    expect(countdownText(59)).toBe('0:59');
    expect(countdownText(300)).toBe('5:00');
  });
  it('reads the SN from a label link or bare text', () => {
    const link = labelPayload('http://127.0.0.1:8080/', 'SN 0012/A');
    expect(link).toBe('http://127.0.0.1:8080/#/scan/SN%200012%2FA');
    expect(snFromScan(link)).toBe('SN 0012/A');
    expect(snFromScan('  SRV-00042 ')).toBe('SRV-00042');
  });
});
