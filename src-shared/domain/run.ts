// Fleet-wide command runs over SSH: started, one result per host, finished.
import type { SerializedError } from '../errors';

export interface RunStarted {
  readonly runId: string;
  readonly hosts: number;
  /** Devices asked for but not run on, with the reason (no SSH, unknown device...). */
  readonly skipped: readonly { deviceId: string; reason: string; code: 'no-device' | 'no-ssh-credential' }[];
}

export interface RunHostResult {
  readonly runId: string;
  readonly deviceId: string;
  readonly hostname: string;
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Output past the cap was dropped. */
  readonly truncated: boolean;
  readonly error: string | null;
  /** The same error as { name, code, params }, for the renderer to word; null when none. */
  readonly failure: SerializedError | null;
  readonly ms: number;
}

export interface RunFinished {
  readonly runId: string;
  readonly succeeded: number;
  readonly failed: number;
  readonly cancelled: boolean;
  readonly ms: number;
}
