// SSH exec on 200 lab hosts: wall time for `uptime` on every host, FleetDeck's pool and fleet
// run (cold: every host's handshake included; warm: pooled connections), beside OpenSSH's
// `ssh` client run as separate processes (BatchMode, host keys pinned in a temp known_hosts).
// The 200 hosts run in a child process (lab SSH hosts, one loopback address each).
// Usage: node --import tsx test/bench/ssh-exec.ts [--hosts 200] [--concurrency 32] [--ssh-concurrency 16] [--rounds 3]
import { execFile, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSshPool, ed25519KeyPair, fleetExec, MemoryHostKeyStore, type FleetHostResult } from '../../src-main/core/protocols/ssh';

const { values } = parseArgs({ options: {
  hosts: { type: 'string', default: '200' },
  concurrency: { type: 'string', default: '32' },
  'ssh-concurrency': { type: 'string', default: '16' },
  rounds: { type: 'string', default: '3' },
} });
const HOSTS = Number(values.hosts);
const CONCURRENCY = Number(values.concurrency);
const SSH_CONCURRENCY = Number(values['ssh-concurrency']);
const ROUNDS = Math.max(1, Number(values.rounds));
const PREFIX = '127.62';
const PORT = 19222;

interface LabHost {
  address: string;
  port: number;
  publicKey: string;
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function fleetdeck(hosts: LabHost[], pool: ReturnType<typeof createSshPool>, concurrency: number): Promise<{ wallMs: number; ok: number; per: number[] }> {
  const t0 = performance.now();
  const results: FleetHostResult[] = [];
  for await (const r of fleetExec(pool, hosts.map((h) => ({ host: h.address, port: h.port, credentialId: 'bench' })), 'uptime', { concurrency, timeoutMs: 30_000 })) results.push(r);
  const wallMs = performance.now() - t0;
  const bad = results.find((r) => r.error || r.exitCode !== 0);
  if (bad) console.error(`  first failure: ${bad.host}: ${bad.error?.message ?? `exit ${bad.exitCode}`}`);
  return { wallMs, ok: results.filter((r) => r.exitCode === 0 && / up /.test(r.stdout)).length, per: results.map((r) => r.ms) };
}

function sshOnce(dir: string, h: LabHost): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile('ssh', [
      '-F', '/dev/null', '-i', join(dir, 'id_ed25519'), '-p', String(h.port),
      '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=yes',
      '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'LogLevel=ERROR',
      `fleetdeck@${h.address}`, 'uptime',
    ], { timeout: 30_000 }, (err, stdout) => {
      if (err || !/ up /.test(stdout)) reject(new Error(`ssh ${h.address}: ${err?.message ?? stdout}`));
      else resolve(performance.now() - t0);
    });
  });
}

async function openssh(dir: string, hosts: LabHost[], concurrency: number): Promise<{ wallMs: number; ok: number; per: number[] }> {
  const t0 = performance.now();
  const per: number[] = [];
  let next = 0;
  let ok = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < hosts.length) {
      const h = hosts[next++];
      try {
        per.push(await sshOnce(dir, h));
        ok++;
      } catch (e) {
        if (ok === 0) console.error(`  ${(e as Error).message}`);
      }
    }
  }));
  return { wallMs: performance.now() - t0, ok, per };
}

function line(label: string, r: { wallMs: number; ok: number; per: number[] }): string {
  return `${label.padEnd(58)} ${(r.wallMs / 1000).toFixed(2).padStart(6)} s wall  ${String(r.ok).padStart(3)}/${HOSTS} ok  ` +
    `per host p50 ${pct(r.per, 50).toFixed(0)} ms, p95 ${pct(r.per, 95).toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-ssh-bench-'));
  const client = ed25519KeyPair(undefined, 'bench@fleetdeck');
  writeFileSync(join(dir, 'id_ed25519'), client.privateKey, { mode: 0o600 });
  const lab = fork(join(import.meta.dirname, 'ssh-lab-hosts.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const tStart = performance.now();
    const hosts = await new Promise<LabHost[]>((resolve, reject) => {
      lab.once('message', (m: { hosts: LabHost[] }) => resolve(m.hosts));
      lab.once('exit', (code) => reject(new Error(`lab hosts exited (${code}) before starting`)));
      lab.send({ count: HOSTS, prefix: PREFIX, port: PORT, authorizedKey: client.publicKey, password: 'bench' });
    });
    writeFileSync(join(dir, 'known_hosts'), hosts.map((h) => `[${h.address}]:${h.port} ${h.publicKey}\n`).join(''));
    console.log(`SSH exec benchmark: \`uptime\` on ${HOSTS} lab SSH hosts (ssh2 servers in one child process, ` +
      `${PREFIX}.x.y:${PORT}); hosts up in ${(performance.now() - tStart).toFixed(0)} ms; ${process.arch}, Node ${process.version}`);

    const newPool = (): ReturnType<typeof createSshPool> => createSshPool({
      hostKeys: new MemoryHostKeyStore(),
      credentials: () => ({ username: 'fleetdeck', privateKey: client.privateKey }),
      maxConnectionsPerHost: 1,
    });
    // Warm-up on a few hosts (both processes' JIT and ssh2's crypto paths), not counted: the
    // first handshakes of a fresh process cost several times the later ones.
    const warmup = newPool();
    await fleetdeck(hosts.slice(0, 20), warmup, 8);
    await warmup.dispose();

    // Every configuration once per round, rounds interleaved, so a busy moment on the
    // machine lands on all of them alike; the median round is printed with all rounds.
    const haveSsh = await new Promise<boolean>((r) => execFile('ssh', ['-V'], (err) => r(!err)));
    type Outcome = { wallMs: number; ok: number; per: number[] };
    const configs: Array<{ label: string; run: () => Promise<Outcome> }> = [
      { label: `FleetDeck fleetExec, ${CONCURRENCY} at a time, cold (handshakes)`, run: async () => {
        const pool = newPool();
        try {
          return await fleetdeck(hosts, pool, CONCURRENCY);
        } finally {
          await pool.dispose();
        }
      } },
      { label: `FleetDeck fleetExec, ${CONCURRENCY} at a time, warm (pooled)`, run: async () => {
        const pool = newPool();
        try {
          await fleetdeck(hosts, pool, CONCURRENCY);
          return await fleetdeck(hosts, pool, CONCURRENCY);
        } finally {
          await pool.dispose();
        }
      } },
      { label: `FleetDeck fleetExec, ${SSH_CONCURRENCY} at a time, cold (handshakes)`, run: async () => {
        const pool = newPool();
        try {
          return await fleetdeck(hosts, pool, SSH_CONCURRENCY);
        } finally {
          await pool.dispose();
        }
      } },
    ];
    if (haveSsh) {
      configs.push({ label: `reference: OpenSSH ssh processes, ${SSH_CONCURRENCY} at a time`, run: () => openssh(dir, hosts, SSH_CONCURRENCY) });
      configs.push({ label: `reference: OpenSSH ssh processes, ${CONCURRENCY} at a time`, run: () => openssh(dir, hosts, CONCURRENCY) });
    }
    const outcomes: Outcome[][] = configs.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, c] of configs.entries()) outcomes[i].push(await c.run());
    }
    for (const [i, c] of configs.entries()) {
      const byWall = [...outcomes[i]].sort((a, b) => a.wallMs - b.wallMs);
      const median = byWall[Math.floor(byWall.length / 2)];
      console.log(`${line(c.label, median)}  (rounds: ${outcomes[i].map((o) => (o.wallMs / 1000).toFixed(2)).join(', ')} s)`);
    }
    if (!haveSsh) console.log('reference: OpenSSH ssh client not installed (apt-get install openssh-client): no reference figures');
  } finally {
    if (lab.exitCode === null) {
      const exited = new Promise((r) => lab.once('exit', r));
      lab.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
