// Reading conceptual tables by GetBulk: several columns advance together in one request
// (each column one repeater), so a 13-column interface table of 48 ports takes a handful of
// round trips instead of one walk per column. Columns that run out (leave their subtree,
// hit endOfMibView) drop out of later requests.
import { compareOids, isException, isUnder, type TypedVarbind } from '../codec';
import { SnmpInvalidResponseError } from '../errors';
import type { SnmpSession } from './session';

export interface TableReadOptions {
  maxRepetitions?: number;
  /** OIDs fetched once by GetNext semantics in the first request (e.g. sysUpTime: pass "1.3.6.1.2.1.1.3"). */
  nonRepeaters?: readonly string[];
  /** Most rows per column (guards against a table that never ends). */
  maxRows?: number;
}

export interface TableRead {
  /** rows.get(rowIndex).get(column): rowIndex is the OID suffix after the column arc. */
  rows: Map<string, Map<number, TypedVarbind>>;
  /** The non-repeaters' answers, in order. */
  scalars: TypedVarbind[];
}

/** Reads `columns` (column numbers under `entryOid`) of a table. */
export async function readTable(session: SnmpSession, entryOid: string, columns: readonly number[], opts: TableReadOptions = {}): Promise<TableRead> {
  const reps = Math.max(1, opts.maxRepetitions ?? 16);
  const maxRows = opts.maxRows ?? 100_000;
  const rows = new Map<string, Map<number, TypedVarbind>>();
  let scalars: TypedVarbind[] = [];
  let nonRepeaters = [...(opts.nonRepeaters ?? [])];
  // Per live column: its root and the last OID seen.
  let countsAcross = false;
  let live = columns.map((c) => ({ column: c, root: `${entryOid}.${c}`, cursor: `${entryOid}.${c}`, count: 0 }));
  while (live.length || nonRepeaters.length) {
    // Keep a response comfortably inside one UDP datagram: at most ~120 varbinds.
    const perColumn = live.length ? Math.max(1, Math.min(reps, Math.floor(120 / live.length))) : 1;
    const asked = countsAcross ? Math.min(120, perColumn * live.length) : perColumn;
    const res = await session.getBulk([...nonRepeaters, ...live.map((l) => l.cursor)], { nonRepeaters: nonRepeaters.length, maxRepetitions: asked });
    // Some agents (net-snmp's own, so the FleetDeck lab) apply max-repetitions to the whole
    // response rather than to each column: exactly `asked` varbinds back for several columns,
    // none of them finished. Then ask for the total wanted from the next request on.
    const got = res.repeaters.reduce((n, r) => n + r.length, 0);
    if (!countsAcross && live.length > 1 && got === asked && res.repeaters.every((r) => r.length > 0 && r.every((vb) => vb.type !== 'endOfMibView'))) countsAcross = true;
    if (nonRepeaters.length) scalars = res.nonRepeaters;
    nonRepeaters = [];
    const starved: typeof live = [];
    const fed: typeof live = [];
    // Nothing at all in the response means the agent has nothing more to give.
    const empty = got === 0;
    for (let i = 0; i < live.length; i++) {
      const l = live[i];
      const answers = res.repeaters[i] ?? [];
      const skip = l.root.length + 1;
      let done = empty;
      for (const vb of answers) {
        if (isException(vb) || !isUnder(vb.oid, l.root)) {
          done = true;
          break;
        }
        if (compareOids(vb.oid, l.cursor) <= 0) throw new SnmpInvalidResponseError(session.host, `table ${entryOid}: ${vb.oid} does not follow ${l.cursor}`);
        l.cursor = vb.oid;
        const index = vb.oid.slice(skip);
        let row = rows.get(index);
        if (!row) rows.set(index, (row = new Map()));
        row.set(l.column, vb);
        if (++l.count >= maxRows) {
          done = true;
          break;
        }
      }
      if (!done) (answers.length ? fed : starved).push(l);
    }
    // An agent may answer fewer varbinds than asked (RFC 3416 4.2.3: to fit the message; the
    // net-snmp agent counts max-repetitions across all columns). A column that got nothing
    // is not finished: it goes first next time, so every column makes progress.
    live = [...starved, ...fed];
  }
  return { rows, scalars };
}
