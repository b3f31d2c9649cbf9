// Inventory files as streams, for serve mode's HTTP routes: an import read from a body as it
// arrives (CSV record by record; JSON gathered, since its position-keeping parser reads the
// whole text), then validated and written all or nothing; an export produced in chunks.
import type { InventoryChunkSink, InventoryFormat } from '../../../src-shared/api/inventory';
import type { ImportIssue, ImportResult, InventoryDocument } from '../../../src-shared/domain';
import { FleetDeckError } from '../../../src-shared/errors';
import type { Db } from '../store/database';
import { InventoryRepository } from '../store/inventory-repository';
import { createCsvStream } from './csv-stream';
import { formatSafeCsvField } from './csv-safety';
import { COLLECTION, RECORD_KINDS, canonicalRecord, createCsvInventoryReader, csvInventoryRows, parseJsonInventory, sortedById, type ParsedInventory } from './formats';
import { applyInventory, type ImportOptions } from './import-export';

/** The body is larger than the import accepts (HTTP 413). */
export class PayloadTooLargeError extends FleetDeckError {
  constructor(limitBytes: number) {
    super('BAD_REQUEST', `The file is larger than ${limitBytes} bytes; nothing was imported`, { limitBytes });
    this.name = 'PayloadTooLargeError';
  }
}

/** Decodes a streamed file; throws PayloadTooLargeError past maxBytes (having read no further). */
export async function parseInventoryStream(format: InventoryFormat, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<ParsedInventory> {
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  const issues: ImportIssue[] = [];
  const reader = createCsvInventoryReader(issues);
  const csv = createCsvStream((rec) => reader.add(rec), issues);
  const json: string[] = [];
  const take = (text: string): void => {
    if (format === 'csv') csv.push(text);
    else json.push(text);
  };
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) throw new PayloadTooLargeError(maxBytes);
    take(decoder.decode(chunk, { stream: true }));
  }
  take(decoder.decode());
  if (format === 'json') return parseJsonInventory(json.join(''));
  csv.end();
  return reader.finish();
}

/** Reads the whole body, then imports it all or nothing (the same transaction, replace and dry run as importInventory). */
export async function importInventoryStream(
  db: Db, format: InventoryFormat, body: AsyncIterable<Uint8Array>, maxBytes: number, options?: ImportOptions,
): Promise<ImportResult> {
  return applyInventory(db, format, await parseInventoryStream(format, body, maxBytes), options);
}

/** Records per chunk of a streamed export. */
const BATCH = 500;

/** The export in chunks whose concatenation is exactly exportInventory's text. */
export function* exportChunks(doc: InventoryDocument, format: InventoryFormat): Generator<string> {
  if (format === 'csv') {
    let out = '';
    let n = 0;
    for (const row of csvInventoryRows(doc)) {
      out += `${row.map(formatSafeCsvField).join(',')}\r\n`;
      if (++n % BATCH === 0) {
        yield out;
        out = '';
      }
    }
    if (out) yield out;
    return;
  }
  // JSON.stringify(document, null, 2), written a batch of records at a time.
  yield '{\n  "format": "fleetdeck-inventory",\n  "version": 1';
  for (const kind of RECORD_KINDS) {
    const records = sortedById<object>(doc[COLLECTION[kind]]);
    if (records.length === 0) {
      yield `,\n  "${COLLECTION[kind]}": []`;
      continue;
    }
    let out = `,\n  "${COLLECTION[kind]}": [`;
    for (let i = 0; i < records.length; i++) {
      out += `${i ? ',' : ''}\n    ${JSON.stringify(canonicalRecord(kind, records[i]), null, 2).replaceAll('\n', '\n    ')}`;
      if ((i + 1) % BATCH === 0) {
        yield out;
        out = '';
      }
    }
    yield `${out}\n  ]`;
  }
  yield '\n}\n';
}

/** Writes the stored inventory into sink chunk by chunk, waiting whenever the sink asks to. */
export async function exportInventoryTo(db: Db, format: InventoryFormat, sink: InventoryChunkSink): Promise<void> {
  const doc = new InventoryRepository(db).document();
  for (const chunk of exportChunks(doc, format)) await sink(chunk);
}
