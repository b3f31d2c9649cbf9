// Network namespaces as test hosts (root only): a blackhole route for the test range in the
// root namespace first (10.213.0.0/16 with a metric of this run's own, so a crashed earlier run's
// or a concurrent run's route is neither hit nor removed), a bridge in the root namespace with
// <subnet>.1/24, and `count` namespaces each with a veth into the bridge (eth0 inside) at
// <subnet>.(10+n)/24, lo up. The /24 is one no address or route of the root namespace uses yet,
// so two runs never share one; namespace and link names carry a per-run suffix.
// Everything made is recorded as it is made, and down() undoes it in reverse even after a
// setup that failed half way: processes still in the namespaces (by the pids `ip netns pids`
// names, all of them started by the test) are killed, then namespaces (their veth ends go with
// them), the bridge, and the blackhole route. Nothing here sends a packet.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const TEST_RANGE = '10.213.0.0/16';

/** One thing a set-up made, and how to take it away. */
export interface UndoStep {
  readonly what: string;
  run(): void | Promise<void>;
}

/** Runs the steps last made first, every one even after a failure; the failures, worded (empty: all clean). */
export async function undoAll(undo: UndoStep[]): Promise<string[]> {
  const failed: string[] = [];
  while (undo.length) {
    const step = undo.pop()!;
    try {
      await step.run();
    } catch (err) {
      failed.push(`${step.what}: ${(err as Error).message}`);
    }
  }
  return failed;
}
const IP = '/usr/sbin/ip';
let found = '';
/** The ip binary this machine has (iproute2). */
export const ipBin = (): string => {
  if (found) return found;
  for (const p of [IP, '/sbin/ip', '/usr/bin/ip', '/bin/ip']) {
    try {
      execFileSync(p, ['-V'], { stdio: 'ignore' });
      return (found = p);
    } catch {
      // try the next
    }
  }
  return 'ip';
};

/** Runs ip with these arguments; throws with its stderr on failure. */
export function ip(...args: string[]): string {
  try {
    return execFileSync(ipBin(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`ip ${args.join(' ')}: ${(e.stderr ?? '').trim() || e.message}`);
  }
}

/** Whether this process can make namespaces: root, and `ip netns` works. */
export function netnsCheck(): { ok: boolean; reason: string } {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { ok: false, reason: 'not root (network namespaces need root)' };
  try {
    ip('netns', 'list');
  } catch (err) {
    return { ok: false, reason: `ip netns is unavailable: ${(err as Error).message} (apt-get install iproute2)` };
  }
  return { ok: true, reason: '' };
}

export interface NetnsHost {
  /** 1-based. */
  readonly n: number;
  readonly ns: string;
  readonly address: string;
  /** The veth end on the bridge (root namespace). */
  readonly veth: string;
}

export interface NetnsLab {
  readonly suffix: string;
  /** The first three octets, e.g. "10.213.57". */
  readonly subnet: string;
  readonly bridge: string;
  /** The bridge's address (root namespace): what the namespaces dial. */
  readonly gateway: string;
  readonly hosts: NetnsHost[];
  /** Argv that runs a command inside the host's namespace. */
  execArgv(ns: string, argv: readonly string[]): string[];
  /** Every pid in the namespace. */
  pids(ns: string): number[];
  /** Makes it all (cleans up what it made and rethrows when a step fails). */
  up(): Promise<void>;
  /** Undoes everything made, in reverse; the steps that failed, named (empty: all clean). */
  down(): Promise<string[]>;
}

/** Whether the process has exited (a zombie not yet reaped counts: PID 1 here does not reap). */
export function zombieOrGone(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** A /24 of the test range that no root-namespace address or route mentions. */
export function freeSubnet(): string {
  const used = `${ip('-4', '-o', 'addr', 'show')}\n${ip('-4', 'route', 'show', 'table', 'all')}`;
  for (let k = 0; k < 200; k++) {
    const subnet = `10.213.${randomInt(1, 255)}`;
    if (!used.includes(`${subnet}.`)) return subnet;
  }
  throw new Error('no free /24 left in 10.213.0.0/16');
}

/** Every pid in the namespace. */
export function netnsPids(ns: string): number[] {
  return ip('netns', 'pids', ns).split(/\s+/).filter(Boolean).map(Number).filter((p) => Number.isInteger(p) && p > 0);
}

/** SIGTERM then SIGKILL to every process `ip netns pids` names in the namespace (all started by the test); throws naming survivors. */
export async function killAllIn(ns: string): Promise<void> {
  let left = netnsPids(ns).filter((p) => !zombieOrGone(p));
  for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
    for (const pid of left) {
      try {
        process.kill(pid, sig);
      } catch {
        // gone already
      }
    }
    const end = Date.now() + 5000;
    while (left.some((p) => !zombieOrGone(p)) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    left = left.filter((p) => !zombieOrGone(p));
    if (!left.length) return;
  }
  throw new Error(`processes still alive in ${ns}: ${left.join(', ')}`);
}

/**
 * Adds a blackhole route for TEST_RANGE in the root namespace with a metric of this run's own
 * (so another run's is neither hit nor removed) and returns the undo step that deletes it.
 */
export function addBlackhole(): { what: string; run: () => void } {
  let metric = 0;
  for (let k = 0; k < 20 && !metric; k++) {
    const m = randomInt(3000, 60_000);
    try {
      ip('route', 'add', 'blackhole', TEST_RANGE, 'metric', String(m));
      metric = m;
    } catch (err) {
      if (!/File exists/.test((err as Error).message)) throw err;
    }
  }
  if (!metric) throw new Error(`could not add a blackhole route for ${TEST_RANGE}`);
  return { what: `blackhole ${TEST_RANGE} metric ${metric}`, run: () => void ip('route', 'del', 'blackhole', TEST_RANGE, 'metric', String(metric)) };
}

export function netnsLab(count: number): NetnsLab {
  const suffix = `${process.pid.toString(36).slice(-3)}${randomBytes(2).toString('hex')}`.slice(-5);
  const undo: UndoStep[] = [];
  let subnet = '';
  const hosts: NetnsHost[] = [];
  const bridge = `fd-br0-${suffix}`;

  const lab: NetnsLab = {
    suffix,
    get subnet() {
      return subnet;
    },
    bridge,
    get gateway() {
      return `${subnet}.1`;
    },
    hosts,
    execArgv: (ns, argv) => [ipBin(), 'netns', 'exec', ns, ...argv],
    pids: netnsPids,
    async up() {
      try {
        subnet = freeSubnet();
        // The blackhole first: from here on nothing for the test range leaves the machine.
        undo.push(addBlackhole());

        ip('link', 'add', bridge, 'type', 'bridge');
        undo.push({ what: `bridge ${bridge}`, run: () => void ip('link', 'del', bridge) });
        ip('addr', 'add', `${subnet}.1/24`, 'dev', bridge);
        ip('link', 'set', bridge, 'up');

        for (let n = 1; n <= count; n++) {
          const ns = `fd-ag-${n}-${suffix}`;
          const veth = `fd-v${n}-${suffix}`;
          ip('netns', 'add', ns);
          undo.push({
            what: `namespace ${ns}`,
            run: async () => {
              await killAllIn(ns);
              ip('netns', 'del', ns);
            },
          });
          ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
          // Deleting the namespace deletes its end and with it the pair; this covers a namespace that would not go.
          undo.push({ what: `veth ${veth}`, run: () => void (ip('-o', 'link', 'show').includes(`${veth}@`) && ip('link', 'del', veth)) });
          ip('link', 'set', veth, 'master', bridge);
          ip('link', 'set', veth, 'up');
          ip('-n', ns, 'link', 'set', 'lo', 'up');
          ip('-n', ns, 'addr', 'add', `${subnet}.${10 + n}/24`, 'dev', 'eth0');
          ip('-n', ns, 'link', 'set', 'eth0', 'up');
          hosts.push({ n, ns, address: `${subnet}.${10 + n}`, veth });
        }
      } catch (err) {
        const failed = await lab.down();
        throw new Error(`${(err as Error).message}${failed.length ? `; cleaning up also failed: ${failed.join('; ')}` : ''}`);
      }
    },
    async down() {
      return undoAll(undo);
    },
  };
  return lab;
}
