// Workflow durations in both languages, in seed 000's form (2小时57分14秒), and success rates.
import { describe, expect, it } from 'vitest';
import { translate, type Lang } from '../../../../../src-renderer/i18n/i18n';
import { hmsText, ratePct } from '../../../../../src-renderer/stores/workflows/duration';

const hms = (lang: Lang, ms: number) => hmsText((k, v) => translate(lang, k, v), ms);

describe('hmsText', () => {
  it('writes hours, minutes and seconds as the seed does', () => {
    expect(hms('zh-CN', (2 * 3600 + 57 * 60 + 14) * 1000)).toBe('2小时57分14秒');
    expect(hms('en', (2 * 3600 + 57 * 60 + 14) * 1000)).toBe('2 h 57 m 14 s');
    expect(hms('en', 72 * 3600_000 + 102_000)).toBe('72 h 1 m 42 s');
  });
  it('uses minutes and seconds under an hour, tenths under ten seconds, ms under one', () => {
    expect(hms('en', 65_000)).toBe('1 m 5 s');
    expect(hms('zh-CN', 65_000)).toBe('1分5秒');
    expect(hms('en', 42_400)).toBe('42 s');
    expect(hms('en', 3_449)).toBe('3.4 s');
    expect(hms('en', 840)).toBe('840 ms');
    expect(hms('zh-CN', 840)).toBe('840 毫秒');
  });
  it('never writes 60 seconds or 1000 ms', () => {
    expect(hms('en', 59_600)).toBe('1 m 0 s');
    expect(hms('en', 3_599_600)).toBe('1 h 0 m 0 s');
    expect(hms('en', 999.7)).toBe('1.0 s');
    expect(hms('en', 9_960)).toBe('10 s');
    expect(hms('en', -5)).toBe('0 ms');
  });
});

describe('ratePct', () => {
  it('rounds down to one decimal, whole numbers without one', () => {
    expect(ratePct(314 / (314 + 24))).toBe('92.8');
    expect(ratePct(0.9996)).toBe('99.9');
    expect(ratePct(1)).toBe('100');
    expect(ratePct(0)).toBe('0');
    expect(ratePct(0.5)).toBe('50');
  });
});
