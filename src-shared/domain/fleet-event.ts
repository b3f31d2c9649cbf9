// Fleet events: status and interface changes, traps, SEL entries, control actions, as stored
// and streamed. Each carries a code and params so the renderer words it in the user's
// language; message is the English wording kept for logs and for rows stored before codes.

/** What each event code is worded with. */
export interface FleetEventParams {
  /** A device's status moved (previous -> status). */
  'status.changed': { hostname: string; previous: string; status: string };
  /** An interface's oper status moved. */
  'interface.changed': { hostname: string; name: string; previous: string; status: string };
  /** A trap or inform arrived; name is the trap's known name or its OID. */
  'trap.received': { source: string; kind: string; name: string; version: string };
  /** A power action ran; power is the state read back after it. */
  'control.power': { hostname: string; action: string; power: string };
  /** The identify LED: seconds, or force for on-until-turned-off. */
  'control.identify': { hostname: string; seconds: number; force: boolean };
  'control.bootDevice': { hostname: string; device: string; persistent: boolean };
  /** An admin forgot a pinned SSH host key; fingerprint is the old one ('' when none was pinned). */
  'control.hostKeyForgotten': { hostname: string; fingerprint: string };
  /** A Paris traceroute to a target found another path (before and after: hop addresses joined by ' > '). */
  'probe.routeChanged': { hostname: string; target: string; before: string; after: string };
  /** An anycast resolver is answered for this vantage by another instance ('-': none). */
  'probe.catchmentMoved': { hostname: string; resolver: string; from: string; to: string };
  /** The probe matrix's fault localiser names a suspect (its name - a hostname, switch, room or site -, its kind, bad pairs through it; the component id in details). */
  'probe.suspect': { component: string; componentKind: string; badPairs: number };
}

export type FleetEventCode = keyof FleetEventParams;

export interface FleetEvent {
  readonly id: number;
  readonly at: number;
  readonly deviceId: string | null;
  readonly kind: 'status' | 'interface' | 'trap' | 'sel' | 'control' | 'probe';
  readonly severity: 'info' | 'warning' | 'critical';
  /** Absent only on events stored before codes existed. */
  readonly code?: FleetEventCode;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}
