// The two inventory file formats. JSON is the InventoryDocument itself; CSV is one file
// with one record per line, the record kind in the first column. Decoding checks syntax
// and types only (and keeps where every field came from); validate.ts checks meaning.
// Serialising is canonical: records sorted by id, fixed key/column order, so
// export -> import -> export is byte-identical. The fields of each kind: record-fields.ts.
import type { ImportIssue, ImportIssueCode, ImportIssueParams, InventoryDocument, ServiceTreePath } from '../../../src-shared/domain';
import { parseCsv, serializeCsv, type CsvRecord } from './csv';
import { formatSafeCsvField, restoreCell } from './csv-safety';
import { parseJsonSource, type JsonNode, type JsonPosition } from './json-source';
import {
  COLLECTION, CSV_HEADER, NUMERIC, OPTIONAL_CSV_COLUMNS, RECORD_FIELDS, RECORD_KINDS, SERVICE_TREE_KEYS, badField, emptyDocument,
  emptySources, push, recordOf, sortedById, type FieldSource, type FieldSpec, type ParsedInventory, type RecordKind, type RecordRef,
  type RecordSource,
} from './record-fields';

export * from './record-fields';
// ---------------------------------------------------------------- CSV

export function parseCsvInventory(text: string): ParsedInventory {
  const { records, issues } = parseCsv(text);
  const reader = createCsvInventoryReader(issues);
  for (const rec of records) reader.add(rec);
  return reader.finish();
}

/** Builds the inventory from CSV records one at a time (a whole parse, or a stream of them). */
export function createCsvInventoryReader(issues: ImportIssue[] = []): { add(rec: CsvRecord): void; finish(): ParsedInventory } {
  const parsed: ParsedInventory = { document: emptyDocument(), sources: emptySources(), issues };
  let header: CsvRecord | null = null;
  /** Column name -> field index; null once the header was refused (the records are not read). */
  let index: Map<string, number> | null = null;

  const readHeader = (rec: CsvRecord): void => {
    header = rec;
    const cols = new Map<string, number>();
    const headerIssues: ImportIssue[] = [];
    for (const cell of rec.fields) {
      const name = cell.value.trim().toLowerCase();
      if (!(CSV_HEADER as readonly string[]).includes(name)) {
        headerIssues.push({ line: rec.line, column: cell.column, field: cell.value, code: 'csv-unknown-column', params: { name: cell.value }, message: `unknown column "${cell.value}" in the header` });
      } else if (cols.has(name)) {
        headerIssues.push({ line: rec.line, column: cell.column, field: name, code: 'csv-duplicate-column', params: { name }, message: `column "${name}" appears twice in the header` });
      } else {
        cols.set(name, cell.column - 1);
      }
    }
    const missing = CSV_HEADER.filter((c) => !cols.has(c) && !OPTIONAL_CSV_COLUMNS.includes(c));
    if (missing.length) {
      headerIssues.push({
        line: rec.line, column: 0, field: '', code: 'csv-missing-columns', params: { missing, header: CSV_HEADER.join(',') },
        message: `the header lacks ${missing.join(', ')}; the first line must be ${CSV_HEADER.join(',')}`,
      });
    }
    issues.push(...headerIssues);
    index = headerIssues.length ? null : cols;
  };

  const readRecord = (rec: CsvRecord, head: CsvRecord, cols: Map<string, number>): void => {
    if (rec.fields.length !== head.fields.length) {
      issues.push({
        line: rec.line, column: 0, field: '', code: 'csv-field-count', params: { fields: rec.fields.length, expected: head.fields.length },
        message: `this record has ${rec.fields.length} fields; the header has ${head.fields.length}`,
      });
      return;
    }
    const kindCell = rec.fields[cols.get('record')!];
    const kind = kindCell.value as RecordKind;
    if (!RECORD_KINDS.includes(kind)) {
      issues.push({
        line: rec.line, column: kindCell.column, field: 'record', code: 'csv-bad-record', params: { value: kindCell.value, kinds: RECORD_KINDS },
        message: `record must be one of ${RECORD_KINDS.join(', ')} (got ${JSON.stringify(kindCell.value)})`,
      });
      return;
    }
    const source: RecordSource = { line: rec.line, column: 1, fields: {} };
    const record: Record<string, unknown> = {};
    const who = recordOf(kind, restoreCell(rec.fields[cols.get('id')!].value));
    for (const spec of RECORD_FIELDS[kind]) {
      const at = cols.get(spec.column);
      const c = at === undefined ? { column: 0, value: '' } : rec.fields[at]; // an optional column the file lacks
      // A cell guarded against spreadsheet formulas on export reads back as its value.
      const fs: FieldSource = { line: rec.line, column: c.column, label: spec.column, raw: restoreCell(c.value) };
      source.fields[spec.key] = fs;
      record[spec.key] = csvValue(spec, fs, who, issues);
    }
    push(parsed, kind, record, source);
  };

  return {
    add(rec) {
      if (!header) readHeader(rec);
      else if (index) readRecord(rec, header, index);
    },
    finish() {
      const params = { header: CSV_HEADER.join(',') };
      if (!header) issues.push({ line: 1, column: 0, field: '', code: 'csv-empty', params, message: `the file is empty: the first line must be the header ${params.header}` });
      return parsed;
    },
  };
}

function csvValue(spec: FieldSpec, fs: FieldSource, who: RecordRef, issues: ImportIssue[]): unknown {
  const raw = fs.raw;
  switch (spec.type) {
    case 'text':
      return raw === '' && spec.computed ? undefined : raw;
    case 'nullable':
      return raw === '' ? null : raw;
    case 'number': {
      const t = raw.trim();
      if (t === '') return spec.computed ? undefined : spec.default ?? NaN;
      return NUMERIC.test(t) ? Number(t) : badField(fs, who, issues, 'not-a-number', { value: raw }, `${fs.label} must be a number (got ${JSON.stringify(raw)})`, NaN);
    }
    case 'serviceTree': {
      if (raw === '') return null;
      const parts = raw.split('/');
      if (parts.length !== 5 || parts.some((p) => p === '')) {
        return badField(fs, who, issues, 'bad-service-tree', { value: raw }, `${fs.label} must be company/department/product/cluster/service, five non-empty parts (got ${JSON.stringify(raw)})`, null);
      }
      return Object.fromEntries(SERVICE_TREE_KEYS.map((k, i) => [k, parts[i]]));
    }
  }
}

export function serializeCsvInventory(doc: InventoryDocument): string {
  return serializeCsv([...csvInventoryRows(doc)], formatSafeCsvField);
}

/** The CSV file's rows in canonical order, the header first (cells not yet neutralised or quoted). */
export function* csvInventoryRows(doc: InventoryDocument): Generator<string[]> {
  yield [...CSV_HEADER];
  for (const kind of RECORD_KINDS) {
    const specs = new Map(RECORD_FIELDS[kind].map((s) => [s.column, s]));
    for (const rec of sortedById<object>(doc[COLLECTION[kind]])) {
      const r = rec as Record<string, unknown>;
      yield CSV_HEADER.map((column) => {
        if (column === 'record') return kind;
        const spec = specs.get(column);
        return spec ? csvText(r[spec.key]) : '';
      });
    }
  }
}

function csvText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return SERVICE_TREE_KEYS.map((k) => (v as ServiceTreePath)[k]).join('/');
  return String(v);
}

// ---------------------------------------------------------------- JSON

const TOP_LEVEL = ['format', 'version', 'sites', 'rooms', 'rows', 'cabinets', 'devices'];

export function parseJsonInventory(text: string): ParsedInventory {
  const { root, issues: syntax } = parseJsonSource(text);
  const issues: ImportIssue[] = syntax.map((s) => ({ line: s.line, column: s.column, field: '', code: 'json-syntax', params: { syntax: s.code, ...s.params }, message: `JSON syntax: ${s.message}` }));
  const parsed: ParsedInventory = { document: emptyDocument(), sources: emptySources(), issues };
  if (!root) return parsed;
  const at = (p: JsonPosition, field: string, code: ImportIssueCode, params: ImportIssueParams, message: string): void => {
    issues.push({ line: p.line, column: p.column, field, code, params, message });
  };
  if (root.type !== 'object') {
    at(root, '', 'json-not-object', {}, 'the file must hold one JSON object: { "format": "fleetdeck-inventory", "version": 1, "sites": [...], ... }');
    return parsed;
  }
  const format = root.props.get('format')?.value;
  if (format?.type !== 'string' || format.value !== 'fleetdeck-inventory') {
    at(format ?? root, 'format', format ? 'json-bad-format' : 'json-format-missing', {}, `"format" must be "fleetdeck-inventory"${format ? '' : ' (it is missing)'}`);
  }
  const version = root.props.get('version')?.value;
  if (version?.type !== 'number' || version.value !== 1) {
    at(version ?? root, 'version', version ? 'json-bad-version' : 'json-version-missing', version ? { version: jsonRaw(version) } : {}, version ? `version ${jsonRaw(version)} is not supported; this FleetDeck reads version 1` : '"version": 1 is missing');
  }
  for (const [key, prop] of root.props) {
    if (!TOP_LEVEL.includes(key)) at(prop.key, key, 'json-unknown-top-property', { name: key }, `unknown property "${key}" at the top level`);
  }
  for (const kind of RECORD_KINDS) {
    const c = COLLECTION[kind];
    const arr = root.props.get(c)?.value;
    if (!arr) continue;
    if (arr.type !== 'array') {
      at(arr, c, 'json-not-array', { collection: c }, `"${c}" must be an array`);
      continue;
    }
    const specs = RECORD_FIELDS[kind];
    for (const item of arr.items) {
      if (item.type !== 'object') {
        at(item, c, 'json-not-record', { collection: c, kind }, `each entry of "${c}" must be a ${kind} object`);
        continue;
      }
      for (const [key, prop] of item.props) {
        if (!specs.some((s) => s.key === key)) at(prop.key, key, 'json-unknown-property', { name: key, kind }, `unknown property "${key}" in a ${kind}`);
      }
      const source: RecordSource = { line: item.line, column: item.column, fields: {} };
      const record: Record<string, unknown> = {};
      const id = item.props.get('id')?.value;
      const who = recordOf(kind, id?.type === 'string' ? id.value : '');
      for (const spec of specs) {
        const node = item.props.get(spec.key)?.value;
        const pos = node ?? item;
        const fs: FieldSource = { line: pos.line, column: pos.column, label: spec.key, raw: node ? jsonRaw(node) : '' };
        source.fields[spec.key] = fs;
        record[spec.key] = jsonFieldValue(spec, node, fs, who, issues);
      }
      push(parsed, kind, record, source);
    }
  }
  return parsed;
}

function jsonRaw(node: JsonNode): string {
  if (node.type === 'string') return node.value;
  if (node.type === 'number') return node.raw;
  if (node.type === 'boolean') return String(node.value);
  return node.type;
}

function jsonFieldValue(spec: FieldSpec, node: JsonNode | undefined, fs: FieldSource, who: RecordRef, issues: ImportIssue[]): unknown {
  const absent = !node || node.type === 'null';
  switch (spec.type) {
    case 'text':
    case 'nullable': {
      if (absent) return spec.computed ? undefined : spec.type === 'text' ? '' : null;
      const got = { type: node.type, value: jsonRaw(node) };
      if (node.type !== 'string') return badField(fs, who, issues, 'json-not-a-string', { nullable: spec.type === 'nullable', ...got }, `${spec.key} must be a string${spec.type === 'nullable' ? ' or null' : ''}, not ${describeJson(node)}`, spec.type === 'text' ? '' : null);
      return spec.type === 'nullable' && node.value === '' ? null : node.value;
    }
    case 'number': {
      if (absent) return spec.computed ? undefined : spec.default ?? NaN;
      if (node.type === 'number') return node.value;
      const hint = node.type === 'string' && NUMERIC.test(node.value.trim()) ? ' (drop the quotes)' : '';
      return badField(fs, who, issues, 'json-not-a-number', { type: node.type, value: jsonRaw(node), unquote: hint !== '' }, `${spec.key} must be a number, not ${describeJson(node)}${hint}`, NaN);
    }
    case 'serviceTree': {
      if (absent) return null;
      const fields = node.type === 'object' ? SERVICE_TREE_KEYS.map((k) => node.props.get(k)?.value) : [];
      const ok = node.type === 'object' && node.props.size === 5 && fields.every((v) => v?.type === 'string' && v.value !== '');
      if (!ok) return badField(fs, who, issues, 'json-bad-service-tree', {}, `${spec.key} must be null or { "company", "department", "product", "cluster", "service" }, each a non-empty string`, null);
      return Object.fromEntries(SERVICE_TREE_KEYS.map((k, i) => [k, (fields[i] as { value: string }).value]));
    }
  }
}

function describeJson(node: JsonNode): string {
  return node.type === 'string' ? `the string ${JSON.stringify(node.value)}` : `${node.type === 'object' || node.type === 'array' ? 'an' : 'a'} ${node.type}${node.type === 'number' || node.type === 'boolean' ? ` (${jsonRaw(node)})` : ''}`;
}

export function serializeJsonInventory(doc: InventoryDocument): string {
  const out: Record<string, unknown> = { format: 'fleetdeck-inventory', version: 1 };
  for (const kind of RECORD_KINDS) {
    out[COLLECTION[kind]] = sortedById<object>(doc[COLLECTION[kind]]).map((rec) => canonicalRecord(kind, rec));
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** A record as the JSON file holds it: the kind's fields in their fixed order. */
export function canonicalRecord(kind: RecordKind, rec: object): Record<string, unknown> {
  const r = rec as Record<string, unknown>;
  return Object.fromEntries(RECORD_FIELDS[kind].map((s) => [s.key, canonical(r[s.key], s)]));
}

function canonical(v: unknown, spec: FieldSpec): unknown {
  if (spec.type === 'serviceTree') {
    return v ? Object.fromEntries(SERVICE_TREE_KEYS.map((k) => [k, (v as ServiceTreePath)[k]])) : null;
  }
  return v ?? (spec.type === 'nullable' ? null : v);
}
