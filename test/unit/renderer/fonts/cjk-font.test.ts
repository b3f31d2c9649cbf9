// The shipped CJK font: every slice file of the package pairs with its unicode-range, and
// together they cover the Chinese the zh-CN dictionary uses.
import { describe, expect, it } from 'vitest';
import { cjkSlices, fontSlices } from '../../../../src-renderer/fonts/cjk-font';
import { zhCN } from '../../../../src-renderer/i18n/zh-cn';

function covers(range: string, cp: number): boolean {
  return range.split(',').some((part) => {
    const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-');
    const a = parseInt(lo, 16);
    return hi === undefined ? cp === a : cp >= a && cp <= parseInt(hi, 16);
  });
}

describe('fontSlices', () => {
  it('pairs every slice file of the package with its range', () => {
    const slices = cjkSlices();
    expect(slices.length).toBe(101);
    expect(slices.every((s) => /\.woff2(\?|$)/.test(s.url) && s.range.startsWith('U+'))).toBe(true);
  });

  it('matches files to ranges by slice number and drops files without a range', () => {
    const got = fontSlices(
      { '[7]': 'U+4e00-4e10', latin: 'U+0000-00ff' },
      { 'x/noto-sans-sc-7-wght-normal.woff2': '/a/7.woff2', 'x/noto-sans-sc-8-wght-normal.woff2': '/a/8.woff2', 'x/noto-sans-sc-latin-wght-normal.woff2': '/a/l.woff2' },
    );
    expect(got).toEqual([{ url: '/a/7.woff2', range: 'U+4e00-4e10' }, { url: '/a/l.woff2', range: 'U+0000-00ff' }]);
  });

  it('covers every CJK character of the zh-CN dictionary', () => {
    const slices = cjkSlices();
    const chars = new Set([...Object.values(zhCN).join('')].filter((c) => /[\u3000-\u9fff\uff00-\uffef]/.test(c)));
    const missing = [...chars].filter((c) => !slices.some((s) => covers(s.range, c.codePointAt(0)!)));
    expect(chars.size).toBeGreaterThan(300);
    expect(missing).toEqual([]);
  });
});
