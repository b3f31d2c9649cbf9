// The probe matrix: the matrix of a window at one level (servers, ToRs, rooms, sites), or the
// server matrix of two ToRs (drill-down); one pair's figures both ways; the fault localiser's
// ranked suspects for a window; the DNS catchment (which anycast instance answers each vantage);
// the public network (per province and carrier, per vantage); the thresholds that colour cells
// (admin, audited). A new minute of aggregates is announced (onDidProbeMinute) so views refetch;
// route changes and catchment shifts are fleet events (events.list).
import { z } from 'zod';
import { event, method, noArgs, optInt, result, text } from './contract';
import { MATRIX_LEVELS, type PairFigures, type ProbeLocalisation, type ProbeMatrix, type ProbeThresholds } from '../domain/probe';

const id = text(200);
const ms = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const window = {
  /** The window's end (ms; default: the newest minute with data); the scrubber moves it. */
  at: ms.optional(),
  /** Its length in minutes (default 1). */
  minutes: optInt(1, 1440),
};

/** Which anycast instance answers a vantage now, and since when. */
export interface DnsCatchment {
  readonly resolver: string;
  readonly addr: string;
  readonly vantages: readonly { readonly deviceId: string; readonly hostname: string; readonly instance: string | null; readonly since: number; readonly p50Us: number | null }[];
}

/** Public network quality: per province and carrier, from each vantage (a site's agents). */
export interface PublicQuality {
  readonly from: number;
  readonly to: number;
  readonly vantages: readonly { readonly siteId: string; readonly name: string }[];
  /** Per target: its province (Natural Earth admin-1 code, e.g. 'CN-11'), carrier, and per vantage p50/p99 and loss. */
  readonly targets: readonly {
    readonly id: string;
    readonly province: string;
    readonly carrier: string;
    readonly byVantage: readonly ({ readonly p50Us: number; readonly p99Us: number; readonly loss: number } | null)[];
  }[];
}

export const probeMethods = {
  /** The matrix of the window ending at `at` at a level; with tors [a, b]: the server matrix of those two ToRs. */
  'probes.matrix': method({
    role: 'viewer',
    args: z.strictObject({ level: z.enum(MATRIX_LEVELS), ...window, tors: z.tuple([id, id]).optional() }),
    result: result<ProbeMatrix>(),
    example: { level: 'tor' },
  }),
  /** One pair's minutes in both directions over [from, to) (default the last 24 h). */
  'probes.pair': method({
    role: 'viewer',
    args: z.strictObject({ level: z.enum(MATRIX_LEVELS), a: id, b: id, from: ms.optional(), to: ms.optional() }),
    result: result<PairFigures>(),
    example: { level: 'server', a: 'dev-a', b: 'dev-b' },
  }),
  /** The ranked suspects for the window ending at `at` (007 votes checked by a NetBouncer fit). */
  'probes.localise': method({ role: 'viewer', args: z.strictObject(window), result: result<ProbeLocalisation>(), example: { minutes: 5 } }),
  'probes.dns': method({ role: 'viewer', args: noArgs, result: result<DnsCatchment[]>(), example: undefined }),
  'probes.public': method({ role: 'viewer', args: z.strictObject(window), result: result<PublicQuality>(), example: { minutes: 10 } }),
  'probes.thresholds': method({ role: 'viewer', args: noArgs, result: result<ProbeThresholds>(), example: undefined }),
  /** Sets the thresholds cells are coloured by (and the localiser calls a pair bad by). */
  'probes.setThresholds': method({
    role: 'admin',
    args: z
      .strictObject({ p99WarnUs: z.number().int().min(1).max(60_000_000), p99BadUs: z.number().int().min(1).max(60_000_000), dropWarn: z.number().min(0).max(1), dropBad: z.number().min(0).max(1) })
      .refine((t) => t.p99WarnUs <= t.p99BadUs && t.dropWarn <= t.dropBad, 'a warning threshold must not be above its bad one'),
    result: result<ProbeThresholds>(),
    audit: (t) => `p99 ${t.p99WarnUs}/${t.p99BadUs} us, drop ${t.dropWarn}/${t.dropBad}`,
    example: { p99WarnUs: 5000, p99BadUs: 15000, dropWarn: 0.005, dropBad: 0.02 },
  }),
};

export const probeEvents = {
  /** A minute of probe aggregates was stored (its start, ms). */
  onDidProbeMinute: event({ role: 'viewer', payload: result<{ minute: number }>() }),
};
