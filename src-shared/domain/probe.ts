// The probe matrix's domain: the network topology the console derives from inventory (a host's
// ToR is the switch of its cabinet row; a room's ToRs meet at its spine layer; sites meet over
// the WAN), the matrix a view draws (sources x destinations with packed cells), a pair's
// figures over time, the fault localiser's ranked suspects with their evidence, and the
// thresholds that colour a cell.

/** One server that probes and is probed (through its agent). */
export interface ProbeHost {
  readonly deviceId: string;
  readonly hostname: string;
  /** The agent on it; null: none enrolled (a white row and column). */
  readonly agentId: string | null;
  /** The address its agent's responders listen on (the device's management address). */
  readonly addr: string;
  readonly siteId: string;
  readonly roomId: string;
  readonly rowId: string;
  /** Its ToR: the switch device of its row (the row's id when the row has no switch in inventory). */
  readonly torId: string;
}

export interface ProbeTor {
  readonly id: string;
  readonly name: string;
  readonly rowId: string;
  readonly roomId: string;
  readonly siteId: string;
}

export interface ProbeTopology {
  readonly hosts: readonly ProbeHost[];
  readonly tors: readonly ProbeTor[];
  readonly rooms: readonly { readonly id: string; readonly name: string; readonly siteId: string }[];
  readonly sites: readonly { readonly id: string; readonly name: string }[];
}

/**
 * The network components a path between two hosts crosses, as the localiser sees them:
 * the source's NIC (host link), its ToR, the ToR's uplink, the room's spine layer, the site's
 * WAN edge, and the same back down on the destination's side.
 */
export type ComponentKind = 'host-link' | 'tor' | 'tor-uplink' | 'spine' | 'wan' | 'target';
export interface NetComponent {
  /**
   * e.g. 'host-link:dev-a', 'tor:dev-bj1-r1-c0101-tor', 'tor-uplink:...', 'spine:room-bj1-1', 'wan:site-bj1';
   * 'target:<id>': a probe target outside the topology (an anycast resolver), reached through a host's spine.
   */
  readonly id: string;
  readonly kind: ComponentKind;
  /** The inventory object it stands for (a device, row, room or site id): what the room view highlights. */
  readonly objectId: string;
}

/** The levels a matrix is drawn at: servers, ToRs, rooms or sites. */
export const MATRIX_LEVELS = ['server', 'tor', 'room', 'site'] as const;
export type MatrixLevel = (typeof MATRIX_LEVELS)[number];

/** One axis of a matrix: its members in order (grouped site -> room -> ToR -> server) and their groups. */
export interface MatrixAxis {
  readonly ids: readonly string[];
  readonly labels: readonly string[];
  /** Consecutive runs of members that share a site, room or ToR (start inclusive, end exclusive). */
  readonly groups: readonly { readonly level: 'site' | 'room' | 'tor'; readonly id: string; readonly name: string; readonly start: number; readonly end: number }[];
  /** Per member: no live agent stands for it (a white cross), by index. */
  readonly down: readonly number[];
}

/**
 * Cells packed row-major (source i, destination j at i x cols + j), CELL_WORDS uint32 each:
 * p50 us, p99 us, successful probes, drops << 16 | failed probes. No data: successful and failed both 0.
 * As base64 of the Uint32Array's bytes (little-endian) so a million cells cross the wire as 16 MB, not 60 MB of JSON.
 */
export const CELL_WORDS = 4;

export interface ProbeMatrix {
  readonly level: MatrixLevel;
  /** The window the cells cover: [from, to) in ms. */
  readonly from: number;
  readonly to: number;
  readonly rows: MatrixAxis;
  readonly cols: MatrixAxis;
  readonly cells: string;
  /** The minutes with data, oldest and newest (for the time scrubber); null when none yet. */
  readonly range: { readonly from: number; readonly to: number } | null;
}

/** One minute of a pair in one direction. */
export interface PairMinute {
  readonly at: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly ok: number;
  readonly drops: number;
  readonly failed: number;
}

export interface PairFigures {
  readonly level: MatrixLevel;
  readonly a: string;
  readonly b: string;
  /** a -> b and b -> a, oldest first. */
  readonly forward: readonly PairMinute[];
  readonly reverse: readonly PairMinute[];
}

/** Drop rate as Pingmesh defines it: drops over successful probes (failed ones are counted apart). */
export function dropRate(ok: number, drops: number): number {
  return ok > 0 ? drops / ok : 0;
}

/** A suspect component with its evidence: the bad pairs through it and its scores. */
export interface ProbeSuspect {
  readonly component: NetComponent;
  /** 007's vote: the share of bad paths' blame it collected (0..1). */
  readonly votes: number;
  /** NetBouncer's fit: its estimated success rate (0..1; lower is worse). */
  readonly fittedSuccess: number;
  /** Bad pairs whose path crosses it (source -> destination host ids), at most 20. */
  readonly pairs: readonly { readonly src: string; readonly dst: string; readonly p99Us: number; readonly dropRate: number }[];
  readonly badPairs: number;
}

/** What a localisation names, as a view shows it: its name and the room it stands in (a site: its first room; null: none known). */
export interface ProbePlace {
  readonly name: string;
  readonly roomId: string | null;
}

export interface ProbeLocalisation {
  readonly from: number;
  readonly to: number;
  /** Pairs measured in the window, and those over a threshold. */
  readonly pairs: number;
  readonly badPairs: number;
  /** Best first; empty when nothing crosses a threshold. */
  readonly suspects: readonly ProbeSuspect[];
  /**
   * Per id the suspects and their evidence pairs name (hosts, switches or rows, rooms, sites): its
   * name and room, so a view words a suspect and opens its room without a call per id. Absent from older cores.
   */
  readonly places?: Readonly<Record<string, ProbePlace>>;
}

/** What colours a cell: P99 and drop rate thresholds (warn: amber, bad: red). */
export interface ProbeThresholds {
  readonly p99WarnUs: number;
  readonly p99BadUs: number;
  readonly dropWarn: number;
  readonly dropBad: number;
}

export const DEFAULT_PROBE_THRESHOLDS: ProbeThresholds = { p99WarnUs: 5_000, p99BadUs: 15_000, dropWarn: 0.005, dropBad: 0.02 };
