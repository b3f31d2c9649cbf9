// Fleet events: status and interface changes, traps, SEL entries, control actions, as stored and streamed.

export interface FleetEvent {
  readonly id: number;
  readonly at: number;
  readonly deviceId: string | null;
  readonly kind: 'status' | 'interface' | 'trap' | 'sel' | 'control';
  readonly severity: 'info' | 'warning' | 'critical';
  readonly message: string;
  readonly details?: Record<string, unknown>;
}
