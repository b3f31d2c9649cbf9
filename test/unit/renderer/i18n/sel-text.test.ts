// SEL entries worded from their codes: English equals the core's text for every event type
// and offset (the core's words, kept in fixtures/sel-core-text.json by a core test), zh-CN
// words every offset the English tables word, without Latin words beyond protocol names.
import { describe, expect, it } from 'vitest';
import { selEventText, selSensorText, wordedSelOffsets, type WordableSel } from '../../../../src-renderer/i18n/sel-text';
import core from './fixtures/sel-core-text.json';

const entry = (eventType: number | null, sensorType: number | null, offset: number | null, event = '', sensor = ''): WordableSel => ({
  sensor, sensorType, sensorNumber: sensorType === null ? null : 2, eventType, offset, event,
});

/** What the core says when its tables have no word for the code. */
const coreFallback = (text: string) => text === 'OEM' || /^Event offset 0x[0-9a-f]{2}$/.test(text);

describe('selEventText', () => {
  it('words every event in English exactly as the core does, and only the core falls back', () => {
    expect(core.events.length).toBeGreaterThan(900);
    for (const [eventType, sensorType, offset, text] of core.events as [number, number, number, string][]) {
      const mine = selEventText('en', entry(eventType, sensorType, offset));
      expect(mine, `type 0x${eventType.toString(16)} sensor 0x${sensorType.toString(16)} offset ${offset}`).toBe(coreFallback(text) ? '' : text);
      // With the core's text as the fallback, English always reads as the core's.
      expect(selEventText('en', entry(eventType, sensorType, offset, text))).toBe(text);
    }
  });

  it('has a zh-CN word for every offset the English tables word', () => {
    const en = wordedSelOffsets('en').map(({ eventType, sensorType, offset }) => [eventType, sensorType, offset]);
    const zh = wordedSelOffsets('zh-CN');
    expect(zh.map(({ eventType, sensorType, offset }) => [eventType, sensorType, offset])).toEqual(en);
    for (const z of zh) expect(z.text).toMatch(/[\u4e00-\u9fff]/);
    expect(selEventText('zh-CN', entry(0x6f, 0x09, 0, 'Power off/down'))).toBe('断电/关机');
    expect(selEventText('zh-CN', entry(0x01, 0x01, 7, 'Upper Non-critical going high'))).toBe('超过非严重上限（上升）');
  });

  it('words what no table covers in zh-CN, and keeps the core text in English', () => {
    expect(selEventText('zh-CN', entry(0x70, 0x01, 3, 'OEM'))).toBe('厂商自定义事件');
    expect(selEventText('zh-CN', entry(0x6f, 0x2b, 9, 'Event offset 0x09'))).toBe('未定义事件（偏移 9）');
    expect(selEventText('zh-CN', entry(null, null, null, 'OEM record'))).toBe('厂商自定义记录');
    expect(selEventText('en', entry(null, null, null, 'OEM record'))).toBe('OEM record');
    expect(selEventText('en', entry(0x6f, 0x2b, 9, 'Event offset 0x09'))).toBe('Event offset 0x09');
  });

  it('uses no Latin word in zh-CN but protocol names', () => {
    const allowed = new Set(['PXE']);
    const words = wordedSelOffsets('zh-CN').flatMap((z) => z.text.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []);
    expect(words.filter((w) => !allowed.has(w))).toEqual([]);
  });
});

describe('selSensorText', () => {
  it('keeps the core text in English and words the type with its number in zh-CN', () => {
    const [system, oem] = core.entries;
    expect(selSensorText('en', { ...entry(0x6f, 0x09, 0), sensor: system.sensor, sensorNumber: 8 })).toBe('Power Unit #8');
    expect(selSensorText('zh-CN', { ...entry(0x6f, 0x09, 0), sensor: system.sensor, sensorNumber: 8 })).toBe('电源单元 #8');
    expect(selSensorText('zh-CN', entry(0x01, 0x01, 7, '', 'Temperature #2'))).toBe('温度 #2');
    expect(selSensorText('en', entry(null, null, null, oem.event, oem.sensor))).toBe('OEM #0');
    expect(selSensorText('zh-CN', entry(null, null, null, oem.event, oem.sensor))).toBe('厂商自定义');
  });
});
