// The audit trail: one entry per control action (or refusal), written before the action runs.
import type { Role } from './roles';

export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly actor: string;
  readonly role: Role;
  readonly action: string;
  readonly target: string;
  readonly outcome: 'allowed' | 'refused' | 'failed' | 'succeeded';
  readonly detail: string;
}
