// net-snmp's real programs as test peers: snmpd started as a child process with a generated
// config in a tmp dir (v2c communities and v3 USM users), stopped by pid; snmpwalk /
// snmpbulkwalk / snmptrap / snmpinform run with a private persistent dir and no MIB loading.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { SnmpUser } from '../../src-main/core/protocols/snmp';

const run = promisify(execFile);

/** Path of an executable on PATH (or /usr/sbin), or null. */
export function which(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Which of the peer programs are missing. With CI=true a missing peer must fail the suite,
 * so callers use `peerCheck` to decide between skipping (developer machine) and failing.
 */
export function peerCheck(names: readonly string[]): { missing: string[]; skip: boolean; reason: string } {
  const missing = names.filter((n) => !which(n));
  const reason = missing.length ? `${missing.join(', ')} not installed (apt-get install snmp snmpd)` : '';
  return { missing, skip: missing.length > 0 && process.env.CI !== 'true', reason };
}

export const V3_USERS = {
  sha: { name: 'fd-sha-aes', level: 'authPriv', authProtocol: 'sha', authKey: 'fleetdeck-auth-1', privProtocol: 'aes', privKey: 'fleetdeck-priv-1' },
  sha256: { name: 'fd-sha256-aes256', level: 'authPriv', authProtocol: 'sha256', authKey: 'fleetdeck-auth-256', privProtocol: 'aes256b', privKey: 'fleetdeck-priv-256' },
} as const satisfies Record<string, SnmpUser>;

/** net-snmp CLI arguments for a USM user (its names for the protocols). */
export function cliUserArgs(user: SnmpUser): string[] {
  const auth = { md5: 'MD5', sha: 'SHA', sha224: 'SHA-224', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' }[user.authProtocol ?? 'sha'];
  const priv = { des: 'DES', aes: 'AES', aes256b: 'AES-256', aes256r: 'AES-256-C' }[user.privProtocol ?? 'aes'];
  return ['-v3', '-l', 'authPriv', '-u', user.name, '-a', auth, '-A', user.authKey!, '-x', priv, '-X', user.privKey!];
}

/** Environment for the CLI tools: no MIB files, persistent state in our tmp dir. */
export function cliEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, MIBS: '', MIBDIRS: '/nonexistent', SNMP_PERSISTENT_DIR: join(dir, 'cli'), SNMPCONFPATH: join(dir, 'cli') };
}

export interface SnmpdPeer {
  host: string;
  port: number;
  pid: number;
  community: string;
  writeCommunity: string;
  dir: string;
  /** snmpd's stdout/stderr so far (for failure messages). */
  output(): string;
  /** Runs a net-snmp CLI program against nothing in particular (args include the target). */
  cli(program: string, args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface SnmpdOptions {
  host: string;
  port: number;
  /** Extra snmpd.conf lines. */
  conf?: string[];
}

/** Starts snmpd on host:port (UDP) and resolves once it answers a v2c get. */
export async function startSnmpd(opts: SnmpdOptions): Promise<SnmpdPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-snmpd-'));
  const community = 'fd-read';
  const writeCommunity = 'fd-write';
  const conf = join(dir, 'snmpd.conf');
  writeFileSync(conf, [
    `rocommunity ${community} 127.0.0.0/8`,
    `rwcommunity ${writeCommunity} 127.0.0.0/8`,
    ...Object.values(V3_USERS).map((u) => `createUser ${u.name} ${cliUserArgs(u)[6]} "${u.authKey}" ${cliUserArgs(u)[10]} "${u.privKey}"`),
    ...Object.values(V3_USERS).map((u) => `rwuser ${u.name} authpriv`),
    'sysLocation FleetDeck interop, rack 50', // read-only once configured; sysContact stays writable
    'sysServices 72',
    ...(opts.conf ?? []),
    '',
  ].join('\n'));
  const child: ChildProcess = spawn(which('snmpd') ?? 'snmpd', [
    '-f', '-Lo', '-C', '-c', conf, `--persistentDir=${join(dir, 'persist')}`, '-m', '', '-M', '/nonexistent', `udp:${opts.host}:${opts.port}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MIBS: '' } });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));

  const cli = async (program: string, args: string[]): Promise<string> => {
    const { stdout } = await run(which(program) ?? program, args, { env: cliEnv(dir), maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  };
  const stop = async (): Promise<void> => {
    if (!gone && child.pid) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const target = `${opts.host}:${opts.port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (gone) {
      await stop();
      throw new Error(`snmpd exited while starting on ${target}: ${out.slice(-2000)}`);
    }
    try {
      await cli('snmpget', ['-v2c', '-c', community, '-t', '0.3', '-r', '0', target, '1.3.6.1.2.1.1.3.0']);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`snmpd on ${target} did not answer within 15 s: ${out.slice(-2000)}`);
      }
    }
  }
  return { host: opts.host, port: opts.port, pid: child.pid!, community, writeCommunity, dir, output: () => out, cli, stop };
}

export interface CliVarbind {
  oid: string;
  type: string;
  value: string;
}

/**
 * Parses `snmpwalk -On -Oe -Ot -Ox`-style output (one varbind per line; hex strings may
 * continue over several lines) into OID, type and value text.
 */
export function parseCliWalk(stdout: string): CliVarbind[] {
  const out: CliVarbind[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\.?([0-9.]+) = (?:([A-Za-z0-9-]+): ?)?(.*)$/.exec(line);
    if (m) out.push({ oid: m[1], type: m[2] ?? '', value: m[3] });
    else if (out.length && line.trim()) out[out.length - 1].value += ` ${line.trim()}`;
  }
  for (const vb of out) vb.value = vb.value.trim();
  return out;
}
