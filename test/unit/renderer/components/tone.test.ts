// The colours of the wall screens: thresholds of toneOf, percentOf's rounding, and that
// any degraded device turns a green count amber (never a red one green).
import { describe, expect, it } from 'vitest';
import { healthTone, percentOf, toneOf, worseTone } from '../../../../src-renderer/components/tone';

describe('toneOf', () => {
  it('is empty without devices', () => {
    expect(toneOf(0, 0)).toBe('empty');
  });
  it('is good from 95 %, warn from 70 %, bad below', () => {
    expect(toneOf(100, 100)).toBe('good');
    expect(toneOf(95, 100)).toBe('good');
    expect(toneOf(94, 100)).toBe('warn');
    expect(toneOf(70, 100)).toBe('warn');
    expect(toneOf(69, 100)).toBe('bad');
    expect(toneOf(0, 3)).toBe('bad');
  });
});

describe('percentOf', () => {
  it('is 0 without devices', () => {
    expect(percentOf(0, 0)).toBe(0);
  });
  it('rounds down to one decimal, so almost all is not 100 %', () => {
    expect(percentOf(2999, 3000)).toBe(99.9);
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(2, 3)).toBe(66.6);
    expect(percentOf(3000, 3000)).toBe(100);
  });
});

describe('worseTone', () => {
  it('orders bad > warn > good > empty, either way round', () => {
    expect(worseTone('good', 'warn')).toBe('warn');
    expect(worseTone('warn', 'good')).toBe('warn');
    expect(worseTone('bad', 'warn')).toBe('bad');
    expect(worseTone('empty', 'good')).toBe('good');
    expect(worseTone('empty', 'empty')).toBe('empty');
  });
});

describe('healthTone', () => {
  it('is toneOf when nothing is degraded', () => {
    expect(healthTone(100, 100, 0)).toBe('good');
    expect(healthTone(80, 100, 0)).toBe('warn');
    expect(healthTone(10, 100, 0)).toBe('bad');
    expect(healthTone(0, 0, 0)).toBe('empty');
  });
  it('any degraded device makes it at least warn', () => {
    expect(healthTone(100, 100, 1)).toBe('warn');
    expect(healthTone(80, 100, 5)).toBe('warn');
  });
  it('never makes a bad or empty count better', () => {
    expect(healthTone(10, 100, 10)).toBe('bad');
    expect(healthTone(0, 0, 1)).toBe('empty');
  });
});
