// Shared pieces of the probe engine's tests: a target and context with defaults, a free port on
// a loopback address, a child process that listens on TCP and never accepts (its backlog fills,
// so further SYNs are dropped: a real timeout inside 127.0.0.0/8), and a poll-until helper.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import type { ProbeTarget } from '../../../../src-shared/agent-protocol/probe';
import type { ProbeContext } from '../../../../src-daemons/agent/probe/types';

export const target = (t: Partial<ProbeTarget> & Pick<ProbeTarget, 'kind'>): ProbeTarget => ({ id: `t-${t.addr ?? '127.0.0.1'}-${t.port ?? 0}`, addr: '127.0.0.1', level: 'intra-tor', intervalMs: 10_000, ...t });

export const ctx = (c: Partial<ProbeContext> = {}): ProbeContext => ({ timeoutMs: 1500, tcpPort: 1, udpPort: 1, ...c });

export const freePort = (host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer().listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

export const until = async (what: string, ok: () => boolean, ms = 15_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** A TCP listener on 127.0.0.1 with backlog 0 that never accepts; returns its port and the child (end it by pid). */
export async function startBlackholeListener(): Promise<{ port: number; child: ChildProcess; stop: () => void }> {
  const py = 'import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(600)\n';
  const child = spawn('python3', ['-c', py], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('error', reject);
  });
  return { port: Number(line), child, stop: () => process.kill(child.pid!, 'SIGKILL') };
}
