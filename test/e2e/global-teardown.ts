// Stops the serve-mode child by pid: SIGTERM (it closes the server and the core), then
// SIGKILL if it is still there after 5 s. Removes its temporary data dir.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { readServeInfo, SERVE_INFO_FILE } from './serve-info';

const GRACE_MS = 5_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); it has exited all the same.
  try {
    return !/\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

export default async function globalTeardown(): Promise<void> {
  if (!existsSync(process.env.FLEETDECK_E2E_SERVE_INFO ?? SERVE_INFO_FILE)) return;
  const { pid, dataDir } = readServeInfo();
  if (alive(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + GRACE_MS;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) {
      console.warn(`serve mode (pid ${pid}) ignored SIGTERM for ${GRACE_MS / 1000} s: SIGKILL`);
      process.kill(pid, 'SIGKILL');
    }
  }
  rmSync(process.env.FLEETDECK_E2E_SERVE_INFO ?? SERVE_INFO_FILE, { force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
