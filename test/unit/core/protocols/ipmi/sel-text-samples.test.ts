// The core's English for every SEL event/reading type and offset (and the sensor column of a
// system and an OEM record), kept as a fixture the renderer's wording test reads
// (test/unit/renderer/i18n/fixtures/sel-core-text.json: the renderer's tests cannot import
// the core). This test fails when the core's words and the fixture part; regenerate with
// UPDATE_I18N_SAMPLES=1 and the renderer's test then says whether its English still matches.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeSelEntry, encodeSelEntry, eventDescription } from '../../../../../src-main/core/protocols/ipmi/codec/sel';

const FIXTURE = new URL('../../../renderer/i18n/fixtures/sel-core-text.json', import.meta.url);

function samples() {
  const events: [number, number, number, string][] = [];
  const types = [...Array.from({ length: 0x0e }, (_, i) => i), 0x70, 0x7f];
  for (const eventType of types) for (let offset = 0; offset < 16; offset++) events.push([eventType, 0x01, offset, eventDescription(eventType, 0x01, 0xa0 | offset)]);
  for (let sensorType = 0; sensorType <= 0x2c; sensorType++) {
    for (let offset = 0; offset < 16; offset++) events.push([0x6f, sensorType, offset, eventDescription(0x6f, sensorType, offset)]);
  }
  const system = decodeSelEntry(encodeSelEntry({ recordId: 1, timestamp: 0x60000000, sensorType: 0x09, sensorNumber: 0x08, asserted: true, eventType: 0x6f, eventData: [0, 0xff, 0xff] }));
  const oemBuf = Buffer.alloc(16);
  oemBuf[2] = 0xe0;
  const oem = decodeSelEntry(oemBuf);
  const entries = [system, oem].map((e) => ({ kind: e.kind, sensor: `${e.sensorTypeName} #${e.sensorNumber}`, event: e.description }));
  return { events, entries };
}

describe('SEL English samples for the renderer', () => {
  it('match the fixture the renderer wording test reads', () => {
    const now = samples();
    if (process.env.UPDATE_I18N_SAMPLES) writeFileSync(FIXTURE, `${JSON.stringify(now)}\n`);
    expect(now).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  });
});
