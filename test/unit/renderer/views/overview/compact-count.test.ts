// Overview counts at 100 k devices: exact below 10,000, then three significant digits
// rounded down (never more than the truth), in k/M for English and 万/亿 for Chinese, and
// short enough for a tile at any fleet size.
import { describe, expect, it } from 'vitest';
import { compactCount, isCompacted } from '../../../../../src-renderer/views/overview/compact-count';

describe('compactCount', () => {
  it('is exact below 10,000', () => {
    expect(compactCount(0, 'en')).toBe('0');
    expect(compactCount(3000, 'en')).toBe('3,000');
    expect(compactCount(9999, 'en')).toBe('9,999');
    expect(isCompacted(9999)).toBe(false);
  });

  it('shows 83,000 devices as 83.0k and 82,950 answering as 82.9k (rounded down)', () => {
    expect(compactCount(83_000, 'en')).toBe('83.0k');
    expect(compactCount(82_950, 'en')).toBe('82.9k');
    expect(compactCount(99_999, 'en')).toBe('99.9k');
    expect(compactCount(100_000, 'en')).toBe('100k');
    expect(compactCount(123_456, 'en')).toBe('123k');
    expect(compactCount(1_234_567, 'en')).toBe('1.23M');
    expect(isCompacted(83_000)).toBe(true);
  });

  it('counts in 万 and 亿 for Chinese', () => {
    expect(compactCount(9_999, 'zh-CN')).toBe('9,999');
    expect(compactCount(83_000, 'zh-CN')).toBe('8.30万');
    expect(compactCount(105_000, 'zh-CN')).toBe('10.5万');
    expect(compactCount(250_000_000, 'zh-CN')).toBe('2.50亿');
  });

  it('never grows past six characters up to a billion devices', () => {
    for (let n = 1; n < 1e9; n = Math.floor(n * 1.37) + 1) {
      expect(compactCount(n, 'en').length).toBeLessThanOrEqual(6);
      expect(compactCount(n, 'zh-CN').length).toBeLessThanOrEqual(6);
    }
  });

  it('tolerates odd input', () => {
    expect(compactCount(Number.NaN, 'en')).toBe('—');
    expect(compactCount(-12_345, 'en')).toBe('-12.3k');
    expect(compactCount(12_345.9, 'en')).toBe('12.3k');
  });
});
