// Inventory CSV files for the e2e specs. The columns are the core's documented ones
// (CSV_HEADER in formats.ts), looked up by name, so a column added there is carried along.
import { CSV_HEADER as COLUMNS, type CsvColumn } from '../../src-main/core/inventory/formats';

export const CSV_COLUMNS: readonly CsvColumn[] = COLUMNS;
export const CSV_HEADER = CSV_COLUMNS.join(',');

const col = (c: CsvColumn): number => CSV_COLUMNS.indexOf(c);

/** One CSV line from named values; the rest empty. Values here need no quoting. */
export function csvLine(values: Partial<Record<CsvColumn, string | number>>): string {
  return CSV_COLUMNS.map((c) => String(values[c] ?? '')).join(',');
}

/** What a planted error should come back as: the line, the field, words of the message. */
export interface PlantedIssue {
  line: number;
  field: CsvColumn;
  says: string;
}

interface DeviceLine {
  index: number;
  cells: string[];
}

/**
 * The exported CSV with exactly five planted errors, each on its own device line and in
 * its own cabinet so that no error causes a second one:
 *   - a new device (appended) with the serial number of an existing PDU (zero-U: no U clash)
 *   - a server whose mgmt_ip is not an address
 *   - a server in a cabinet that exists nowhere
 *   - a server of an unknown kind
 *   - a server moved onto exactly the U range of the server before it in the same cabinet
 */
export function plantFiveErrors(exported: string): { text: string; issues: PlantedIssue[] } {
  const lines = exported.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines[0] !== CSV_HEADER) throw new Error(`the export does not start with the documented header: ${lines[0]}`);
  // Only lines without quotes: those split on commas exactly.
  const devices: DeviceLine[] = lines
    .map((l, index) => ({ index, cells: l.split(',') }))
    .filter((d) => d.cells[col('record')] === 'device' && !lines[d.index].includes('"') && d.cells.length === CSV_COLUMNS.length);
  const byCabinet = new Map<string, DeviceLine[]>();
  for (const d of devices) {
    const list = byCabinet.get(d.cells[col('parent')]) ?? [];
    list.push(d);
    byCabinet.set(d.cells[col('parent')], list);
  }
  const servers = (cab: string) => (byCabinet.get(cab) ?? []).filter((d) => d.cells[col('kind')] === 'server');
  const withServers = [...byCabinet.keys()].filter((c) => servers(c).length >= 2);
  if (withServers.length < 5) throw new Error('the export has fewer than 5 cabinets with two servers');
  const [cabDup, cabIp, cabParent, cabKind, cabOverlap] = withServers;
  const set = (d: DeviceLine, c: CsvColumn, v: string): void => {
    d.cells[col(c)] = v;
    lines[d.index] = d.cells.join(',');
  };
  const issues: PlantedIssue[] = [];

  const pdu = (byCabinet.get(cabDup) ?? []).find((d) => d.cells[col('kind')] === 'pdu' && d.cells[col('u_height')] === '0');
  if (!pdu) throw new Error(`cabinet ${cabDup} has no zero-U PDU to copy`);
  const copy = [...pdu.cells];
  copy[col('id')] = 'dev-e2e-dup-sn';
  copy[col('hostname')] = 'e2e-dup-sn';
  copy[col('mgmt_ip')] = '127.31.0.250';
  lines.push(copy.join(','));
  issues.push({ line: lines.length, field: 'sn', says: 'is also the serial number of device' });

  const badIp = servers(cabIp)[0];
  set(badIp, 'mgmt_ip', '10.0.0.300');
  issues.push({ line: badIp.index + 1, field: 'mgmt_ip', says: 'is not an IPv4 or IPv6 address' });

  const orphan = servers(cabParent)[0];
  set(orphan, 'parent', 'cab-e2e-nowhere');
  issues.push({ line: orphan.index + 1, field: 'parent', says: 'unknown cabinet "cab-e2e-nowhere"' });

  const router = servers(cabKind)[0];
  set(router, 'kind', 'router');
  issues.push({ line: router.index + 1, field: 'kind', says: '"router" is not one of' });

  const [first, second] = servers(cabOverlap);
  set(second, 'u_position', first.cells[col('u_position')]);
  set(second, 'u_height', first.cells[col('u_height')]);
  issues.push({ line: second.index + 1, field: 'u_position', says: `overlaps device "${first.cells[col('id')]}"` });

  return { text: `${lines.join('\n')}\n`, issues: issues.sort((a, b) => a.line - b.line) };
}

/** A new site, room, row, cabinet and one server on a loopback address with no SNMP credential (never polled). */
export const NEW_SITE_CSV = `${[
  CSV_HEADER,
  csvLine({ record: 'site', id: 'site-e2e', name: 'E2E Import Site', city: 'Testville' }),
  csvLine({ record: 'room', id: 'room-e2e-1', parent: 'site-e2e', name: 'E2E Hall 1' }),
  csvLine({ record: 'row', id: 'row-e2e-1-r1', parent: 'room-e2e-1', name: 'R1' }),
  csvLine({ record: 'cabinet', id: 'cab-e2e-1-r1-01', parent: 'row-e2e-1-r1', name: 'R1-01', position: 1, u_height: 42, rated_power_kw: 6 }),
  csvLine({
    record: 'device', id: 'dev-e2e-srv-01', parent: 'cab-e2e-1-r1-01', kind: 'server', hostname: 'e2e-srv-01',
    sn: 'E2E-SN-0001', u_position: 1, u_height: 1, mgmt_ip: '127.31.0.1', snmp_port: 161,
  }),
].join('\n')}\n`;
