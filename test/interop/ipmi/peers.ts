// The IPMI tests' real peers: OpenIPMI's ipmi_sim (a child process running this folder's
// lan.conf / bmc.emu in a temporary directory) and ipmitool (run once per command). ipmi_sim
// is stopped by pid, and so is any chassis-control script it happens to be running (PID 1
// here does not reap orphans).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { accessSync, constants, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeGetChannelAuthCapabilities } from '../../../src-main/core/protocols/ipmi/codec/app-commands';
import { encodeIpmi15 } from '../../../src-main/core/protocols/ipmi/codec/ipmi15';
import { encodeRequest } from '../../../src-main/core/protocols/ipmi/codec/message';
import { descendants } from '../../support/handles';

export const IPMI_SIM = '/usr/bin/ipmi_sim';
export const IPMITOOL = '/usr/bin/ipmitool';
export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
/** Where lan.conf puts ipmi_sim, and the user it defines. */
export const SIM = { address: '127.40.0.1', port: 17001, username: 'admin', password: 'secret' } as const;

/** With CI=true a missing peer must fail the suite; elsewhere the suite may skip with the reason. */
export function peerCheck(programs: readonly string[]): { missing: string[]; skip: boolean; reason: string } {
  const missing = programs.filter((p) => {
    try {
      accessSync(p, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  const reason = missing.length ? `${missing.join(', ')} not installed (apt-get install openipmi ipmitool)` : '';
  return { missing, skip: missing.length > 0 && process.env.CI !== 'true', reason };
}


/** Resolves once something at address:port answers Get Channel Authentication Capabilities. */
export async function waitForBmc(address: string, port: number, timeoutMs = 10_000): Promise<void> {
  const probe = encodeIpmi15({ authType: 'none', sequence: 0, sessionId: 0, message: encodeRequest({ netFn: 0x06, cmd: 0x38, rqSeq: 1, data: encodeGetChannelAuthCapabilities(4) }) });
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      const end = Date.now() + timeoutMs;
      socket.on('message', () => resolve());
      socket.on('error', () => {});
      const tick = (): void => {
        if (Date.now() > end) {
          reject(new Error(`nothing answers IPMI on ${address}:${port}`));
          return;
        }
        socket.send(probe, port, address);
        timer = setTimeout(tick, 100);
      };
      let timer = setTimeout(tick, 0);
      socket.once('message', () => clearTimeout(timer));
    });
  } finally {
    socket.close();
  }
}

export interface IpmiSimPeer {
  readonly pid: number;
  /** The temporary directory ipmi_sim runs in: chassis-control.sh keeps state.* files here. */
  dir: string;
  /** A chassis-control state file ("power", "boot", "identify", "resets", "shutdowns"), trimmed; null if absent. */
  state(name: string): string | null;
  output(): string;
  stop(): Promise<void>;
}

export async function startIpmiSim(): Promise<IpmiSimPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-ipmi-sim-'));
  cpSync(FIXTURES, dir, { recursive: true });
  let out = '';
  // -n: no console on stdin. ipmi_sim keeps SDR/SEL/users under -s; a fresh dir each run.
  const child: ChildProcess = spawn(IPMI_SIM, ['-c', 'lan.conf', '-f', 'bmc.emu', '-s', dir, '-n'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForBmc(SIM.address, SIM.port),
      exited.then(() => {
        throw new Error(`ipmi_sim exited at start: ${out}`);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    pid: child.pid!,
    dir,
    state(name) {
      try {
        return readFileSync(join(dir, `state.${name}`), 'utf8').trim();
      } catch {
        return null;
      }
    },
    output: () => out,
    async stop() {
      for (const pid of [...descendants(child.pid!), child.pid!]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      if (child.exitCode === null && child.signalCode === null) await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface IpmitoolTarget {
  address: string;
  port: number;
  username: string;
  password: string;
  cipherSuite?: 3 | 17;
}

/** Runs ipmitool -I lanplus against a target; resolves to stdout, rejects with stderr. UTC dates. */
export function ipmitool(t: IpmitoolTarget, args: readonly string[], interfaceName: 'lanplus' | 'lan' = 'lanplus'): Promise<string> {
  const base = ['-I', interfaceName, '-H', t.address, '-p', String(t.port), '-U', t.username, '-P', t.password];
  if (interfaceName === 'lanplus') base.push('-C', String(t.cipherSuite ?? 3));
  return new Promise((resolve, reject) => {
    execFile(IPMITOOL, [...base, ...args], { env: { ...process.env, TZ: 'UTC' }, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`ipmitool ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

/** "a | b | c" table rows as trimmed cells. */
export function rows(text: string): string[][] {
  return text.split('\n').filter((l) => l.includes('|')).map((l) => l.split('|').map((c) => c.trim()));
}

/** "Key : value" lines (ipmitool mc info, chassis status). */
export function fields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([^:]+?)\s*:\s?(.*)$/.exec(line);
    if (m && !line.startsWith(' ')) out[m[1].trim()] = m[2].trim();
  }
  return out;
}
