// Streamed inventory files: the CSV stream gives the records and issues a whole parse gives,
// however the text is cut; the chunked export is byte for byte the one-string export.
import { describe, expect, it } from 'vitest';
import type { ImportIssue, InventoryDocument } from '../../../../src-shared/domain';
import { parseCsv, type CsvRecord } from '../../../../src-main/core/inventory/csv';
import { createCsvStream } from '../../../../src-main/core/inventory/csv-stream';
import { parseCsvInventory, serializeCsvInventory, serializeJsonInventory } from '../../../../src-main/core/inventory/formats';
import { exportChunks, parseInventoryStream, PayloadTooLargeError } from '../../../../src-main/core/inventory/inventory-stream';

const SAMPLE = '\ufeffa,b,c\r\n"x\r\ny",2,"say ""hi"""\n\nlone\rcr,"q"tail,e"f\r\n"open,2\nlast';

function streamed(text: string, cut: number): { records: CsvRecord[]; issues: ImportIssue[] } {
  const records: CsvRecord[] = [];
  const issues: ImportIssue[] = [];
  const s = createCsvStream((r) => records.push(r), issues);
  for (let i = 0; i < text.length; i += cut) s.push(text.slice(i, i + cut));
  s.end();
  return { records, issues };
}

const doc: InventoryDocument = {
  format: 'fleetdeck-inventory',
  version: 1,
  sites: [{ id: 's1', name: '=cmd|"/c calc"!A1', city: '@city' }],
  rooms: [],
  rows: [],
  cabinets: [],
  devices: [],
};

async function* bytes(text: string, cut: number): AsyncGenerator<Uint8Array> {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += cut) yield b.subarray(i, i + cut);
}

describe('createCsvStream', () => {
  it('gives the whole-file parse for every cut, one character to all of it', () => {
    const whole = parseCsv(SAMPLE);
    for (const cut of [1, 2, 3, 5, 7, 13, SAMPLE.length]) expect(streamed(SAMPLE, cut), `cut ${cut}`).toEqual(whole);
  });
});

describe('parseInventoryStream', () => {
  it('reads a CSV file cut anywhere (multi-byte characters too) as parseCsvInventory reads it', async () => {
    const text = serializeCsvInventory({ ...doc, sites: [{ id: 's1', name: '北京 =1', city: '-x' }] });
    const whole = parseCsvInventory(text);
    for (const cut of [1, 3, 64, 1 << 16]) expect(await parseInventoryStream('csv', bytes(text, cut), 1e6)).toEqual(whole);
  });
  it('refuses a body past the limit', async () => {
    await expect(parseInventoryStream('json', bytes('x'.repeat(100), 10), 50)).rejects.toBeInstanceOf(PayloadTooLargeError);
  });
});

describe('exportChunks', () => {
  const big: InventoryDocument = {
    ...doc,
    rooms: [{ id: 'r1', siteId: 's1', name: 'R', widthM: 20, depthM: 10 }],
    rows: [{ id: 'w1', roomId: 'r1', name: 'W', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
    cabinets: Array.from({ length: 1201 }, (_, i) => ({ id: `c${i}`, rowId: 'w1', name: `+C${i}`, position: i + 1, uHeight: 42, ratedPowerKw: 8, feedA: i % 2 ? null : 'A', feedB: null, widthMm: 600, depthMm: 1200 })),
  };
  it('joins to the one-string export, CSV and JSON', () => {
    for (const d of [doc, big]) {
      expect([...exportChunks(d, 'csv')].join('')).toBe(serializeCsvInventory(d));
      expect([...exportChunks(d, 'json')].join('')).toBe(serializeJsonInventory(d));
    }
    expect([...exportChunks(big, 'csv')].length).toBeGreaterThan(2);
  });
});
