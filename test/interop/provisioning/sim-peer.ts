// ipmi_sim for the provisioning interop tests: test/interop/ipmi's fixtures copied to a
// temporary directory with this test's own address and port and extra emulator lines (more
// SEL entries) before the MC is enabled; started as a child, stopped by pid (its
// chassis-control children first: PID 1 here does not reap orphans).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants } from '../../support/handles';
import { FIXTURES, IPMI_SIM, waitForBmc } from '../ipmi/peers';

export interface Sim {
  readonly dir: string;
  /** A chassis-control state file ("power", "boot"), trimmed; null if absent. */
  state(name: string): string | null;
  stop(): Promise<void>;
}

export async function startSim(at: { address: string; port: number }, extraEmu: readonly string[] = []): Promise<Sim> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-provisioning-sim-'));
  cpSync(FIXTURES, dir, { recursive: true });
  const lan = readFileSync(join(dir, 'lan.conf'), 'utf8');
  if (!lan.includes('addr 127.40.0.1 17001')) throw new Error('the ipmi fixtures moved their address: update sim-peer.ts');
  writeFileSync(join(dir, 'lan.conf'), lan.replace('addr 127.40.0.1 17001', `addr ${at.address} ${at.port}`));
  writeFileSync(join(dir, 'bmc.emu'), readFileSync(join(dir, 'bmc.emu'), 'utf8').replace(/^mc_enable 0x20$/m, [...extraEmu, 'mc_enable 0x20'].join('\n')));
  let out = '';
  const child: ChildProcess = spawn(IPMI_SIM, ['-c', 'lan.conf', '-f', 'bmc.emu', '-s', dir, '-n'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    for (const pid of child.pid ? [...descendants(child.pid), child.pid] : []) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (child.exitCode === null && child.signalCode === null) await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([waitForBmc(at.address, at.port), exited.then(() => {
      throw new Error(`ipmi_sim exited at start: ${out}`);
    })]);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    dir,
    state(name) {
      try {
        return readFileSync(join(dir, `state.${name}`), 'utf8').trim();
      } catch {
        return null;
      }
    },
    stop,
  };
}
