// The agent as a systemd service, where systemd is PID 1: the unit file's text (shared with the
// console's deploy: src-shared/agent-protocol/systemd-unit.ts, re-exported here), and the test
// for whether this host runs systemd (systemd's own sd_booted() check: /run/systemd/system
// exists; plus PID 1's comm, so a container that merely bind-mounts /run from its host is not
// taken for a systemd host). Hosts without it use the supervisor (supervisor.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export { systemdUnit, SystemdUnitError, type SystemdUnitOptions } from '../../../src-shared/agent-protocol/systemd-unit';

export interface SystemdProbeOptions {
  readonly procRoot?: string;
  readonly runRoot?: string;
}

/** True when PID 1 is systemd and it runs this host (/run/systemd/system exists). */
export function hasSystemd(opts: SystemdProbeOptions = {}): boolean {
  try {
    const comm = readFileSync(path.join(opts.procRoot ?? '/proc', '1', 'comm'), 'utf8').trim();
    return comm === 'systemd' && existsSync(path.join(opts.runRoot ?? '/run', 'systemd', 'system'));
  } catch {
    return false;
  }
}
