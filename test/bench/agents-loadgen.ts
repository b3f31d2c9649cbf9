// The ingest benchmark's load generator (test/bench/agents.ts runs it as a child, so that the
// console's process measures only itself): N agent identities, each the REAL agent link
// (src-daemons/agent/link.ts startLink: TLS 1.3 with the console's certificate pinned, the
// Ed25519 proof bound to the session, windowed uploads acknowledged after the console's
// commit), each with its own key (enrolled in the console's store by the parent) and an
// in-memory buffer holding `perAgent` results from the start (status, metrics or probe results,
// the shapes the agent's collectors produce; made as the link reads them, not kept). The buffers
// offer nothing until every identity is live (or 60 s passed), then every link is kicked: the
// figures are those of a connected fleet uploading, not of a reconnect storm (a console busy
// with ingest accepts new sessions slowly: see agents.ts).
// Prints one JSON line a second on stdout: {"live", "acked": results acknowledged, "open", "downs"}.
// Stops (every link says bye) on SIGTERM.
// Usage (by agents.ts): node --import tsx test/bench/agents-loadgen.ts --spec FILE
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AgentResult, AgentResultData } from '../../src-shared/agent-protocol';
import { startLink, type Link, type LinkBuffer } from '../../src-daemons/agent/link';

export interface LoadSpec {
  readonly host: string;
  readonly port: number;
  readonly fingerprint256: string;
  readonly kind: 'status' | 'metrics' | 'probe';
  readonly perAgent: number;
  /** Probe results: each agent's plan id and its number of targets (one result is a round over all of them). */
  readonly agents: readonly { readonly id: string; readonly keyPem: string; readonly plan?: string; readonly targets?: number }[];
}

const metrics = (i: number): AgentResultData => ({
  kind: 'metrics', cpuIdlePct: 87.5 + (i % 10) / 10, load: [0.42, 0.38, 0.35], memTotalBytes: 67_430_617_088, memFreeBytes: 41_000_000_000 + i,
  disks: ['/', '/boot', '/var', '/data'].map((mount, k) => ({ mount, totalBytes: 1_000_000_000_000 * (k + 1), usedBytes: 400_000_000_000 + i * 4096 })),
  nets: ['lo', 'eth0', 'eth1'].map((iface) => ({ iface, rxBytes: 9_000_000_000 + i * 1500, txBytes: 7_000_000_000 + i * 900, rxPackets: 6_000_000 + i, txPackets: 5_000_000 + i, rxErrors: 0, txErrors: 0 })),
});
const status = (i: number): AgentResultData => ({ kind: 'status', state: 'ok', cpuPct: 0.4 + (i % 7) / 10, rssBytes: 41_000_000 + i, bufferDepth: i, bufferBytes: i * 300, dropped: 0 });

/** A round of probe samples over every target of a plan, as the agent's scheduler uploads it (made once per identity, sent again and again). */
const probeRound = (plan: string, targets: number, samples = 2000): ((i: number) => AgentResultData) => {
  const target: number[] = [];
  const offsetMs: number[] = [];
  const rttUs: number[] = [];
  const err: number[] = [];
  const srcPort: number[] = [];
  for (let k = 0; k < samples; k++) {
    target.push(k % Math.max(1, targets));
    offsetMs.push(Math.floor((k * 10_000) / samples));
    // Mostly a few hundred us; one in 500 took a SYN retransmission (1 s more); one in 1,000 failed.
    rttUs.push(k % 500 === 7 ? 1_000_000 + 180 + (k % 97) : k % 1000 === 3 ? -1 : 120 + ((k * 7919) % 400));
    err.push(k % 1000 === 3 ? 1 : 0);
    srcPort.push(32768 + ((k * 31) % 28000));
  }
  const data: AgentResultData = { kind: 'probe', plan, target, offsetMs, rttUs, err, srcPort };
  return () => data;
};

/** What a buffer of `total` results offers the link: results made as they are read, acks counted. */
class PrefilledBuffer implements LinkBuffer {
  acked = 0;
  readonly #bytesEach: number;
  constructor(readonly lastSeq: number, readonly make: (i: number) => AgentResultData, readonly counter: { acked: number }, readonly gate: { open: boolean }) {
    this.#bytesEach = JSON.stringify({ seq: lastSeq, at: Date.now(), data: make(lastSeq) }).length + 1;
  }
  read(afterSeq: number, maxCount: number, maxBytes: number): AgentResult[] {
    if (!this.gate.open) return [];
    const n = Math.max(0, Math.min(maxCount, Math.max(1, Math.floor(maxBytes / this.#bytesEach)), this.lastSeq - afterSeq));
    const at = Date.now();
    const out: AgentResult[] = new Array(n);
    for (let k = 0; k < n; k++) out[k] = { seq: afterSeq + k + 1, at, data: this.make(afterSeq + k + 1) };
    return out;
  }
  ack(upTo: number): void {
    if (upTo > this.acked) {
      this.counter.acked += upTo - this.acked;
      this.acked = upTo;
    }
  }
}

async function main(spec: LoadSpec): Promise<void> {
  const makeFor = (a: LoadSpec['agents'][number]): ((i: number) => AgentResultData) =>
    spec.kind === 'metrics' ? metrics : spec.kind === 'probe' ? probeRound(a.plan ?? 'none', a.targets ?? 2000) : status;
  const counter = { acked: 0 };
  const live = new Set<string>();
  const downs = new Map<string, number>();
  const gate = { open: false };
  const t0 = Date.now();
  const links: Link[] = [];
  let stopping = false;
  for (let i = 0; i < spec.agents.length; i++) {
    const a = spec.agents[i];
    links.push(startLink({
      host: spec.host, port: spec.port, pinnedFingerprint256: spec.fingerprint256, agentId: a.id, agentVersion: 'bench', hostname: a.id,
      key: createPrivateKey(a.keyPem), buffer: new PrefilledBuffer(spec.perAgent, makeFor(a), counter, gate),
      backoffMs: { min: 500, max: 4000, refused: 4000 },
      onState: (s) => {
        if (s.kind === 'live') live.add(a.id);
        else live.delete(a.id);
        if (s.kind === 'down' && !stopping) downs.set(s.error, (downs.get(s.error) ?? 0) + 1);
      },
      log: (line) => !stopping && line.includes('refused') && process.stderr.write(`loadgen ${a.id}: ${line}\n`),
    }));
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
  }
  const report = setInterval(() => {
    if (!gate.open && (live.size === spec.agents.length || Date.now() - t0 > 60_000)) {
      gate.open = true;
      for (const l of links) l.kick();
    }
    process.stdout.write(`${JSON.stringify({ live: live.size, acked: counter.acked, open: gate.open, downs: Object.fromEntries(downs) })}\n`);
  }, 250);
  process.once('SIGTERM', () => {
    stopping = true;
    clearInterval(report);
    const done = Promise.all(links.map((l) => l.close()));
    void Promise.race([done, new Promise((r) => setTimeout(r, 5000))]).then(() => process.exit(0));
  });
}

const { values } = parseArgs({ options: { spec: { type: 'string' } } });
if (!values.spec) throw new Error('usage: agents-loadgen.ts --spec FILE');
await main(JSON.parse(readFileSync(values.spec, 'utf8')) as LoadSpec);
