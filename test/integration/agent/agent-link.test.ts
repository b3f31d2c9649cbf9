// The agent protocol end to end on loopback TLS 1.3: the console's agent server
// (src-main/core/protocols/agent) and the agent's link (src-daemons/agent/link.ts), real
// sockets, real certificates and Ed25519 keys. An enrolled agent uploads and every result
// is acknowledged after the (test's) store took it; the console stopped and restarted on the
// same port and identity while the agent keeps producing loses nothing and duplicates
// nothing; after a batch the store could not take, the session's later batches are not stored
// (no gap); unknown, revoked and wrongly keyed agents are refused and reported; an agent
// pinned to another certificate refuses the console before it sends its hello.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentConfig, AgentResult, AgentResultData } from '../../../src-shared/agent-protocol';
import { startAgentServer, type AgentServer, type AgentServerEvent, type EnrolledAgent } from '../../../src-main/core/protocols/agent/agent-server';
import { createConsoleIdentity, type ConsoleTlsIdentity } from '../../../src-main/core/protocols/agent/tls-identity';
import { startLink, type Link, type LinkBuffer, type LinkState } from '../../../src-daemons/agent/link';

const CONFIG: AgentConfig = { intervalMs: 10_000, inventoryIntervalMs: 600_000, processes: [], files: [], maxCpuPct: 10, maxRssBytes: 64 * 1024 * 1024 };
const status = (n: number): AgentResultData => ({ kind: 'status', state: 'ok', cpuPct: 0.1, rssBytes: n, bufferDepth: 0, bufferBytes: 0, dropped: 0 });

/** The agent's buffer, in memory: what the link reads and acknowledges. */
class MemBuffer implements LinkBuffer {
  items: AgentResult[] = [];
  lastSeq = 0;
  append(data: AgentResultData): void {
    this.items.push({ seq: ++this.lastSeq, at: Date.now(), data });
  }
  read(after: number, max: number): AgentResult[] {
    return this.items.filter((r) => r.seq > after).slice(0, max);
  }
  ack(upTo: number): void {
    this.items = this.items.filter((r) => r.seq > upTo);
  }
}

/** The console's side: enrolled keys, and a store that counts every sequence number it is given. */
class Console {
  agents = new Map<string, EnrolledAgent>();
  stored = new Map<string, Map<number, number>>();
  events: AgentServerEvent[] = [];
  server: AgentServer | null = null;
  /** Batches to fail (by ingest call number, from 1), as a store that could not commit. */
  failCalls = new Set<number>();
  calls = 0;
  /** Ingest calls whose batch did not start right after the highest number stored: a gap the store's dedupe could not fill. */
  gaps: string[] = [];
  constructor(readonly identity: ConsoleTlsIdentity) {}
  enrol(id: string, key: KeyObject): void {
    this.agents.set(id, { publicKey: key.export({ format: 'der', type: 'spki' }), revoked: false });
  }
  async start(port = 0): Promise<number> {
    this.server = await startAgentServer({
      host: '127.0.0.1', port, identity: this.identity,
      directory: {
        lookup: (id) => this.agents.get(id) ?? null,
        lastSeq: (id) => Math.max(0, ...(this.stored.get(id)?.keys() ?? [])),
        config: () => CONFIG,
      },
      ingest: async (id, results) => {
        await new Promise((r) => setTimeout(r, 2)); // a commit takes a while: batches queue behind it
        if (this.failCalls.has(++this.calls)) throw new Error('disk I/O error');
        const m = this.stored.get(id) ?? new Map<number, number>();
        this.stored.set(id, m);
        const top = Math.max(0, ...m.keys());
        if (results[0].seq > top + 1) this.gaps.push(`${id}: ${results[0].seq} after ${top}`);
        for (const r of results) m.set(r.seq, (m.get(r.seq) ?? 0) + 1);
      },
      onEvent: (e) => this.events.push(e),
    });
    return this.server.port;
  }
  async stop(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }
}

const until = async (what: string, ok: () => boolean, ms = 15_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const links: Link[] = [];
const consoles: Console[] = [];
afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.close()));
  await Promise.all(consoles.splice(0).map((c) => c.stop()));
});

async function rig(): Promise<{ c: Console; port: number; key: KeyObject; pub: KeyObject }> {
  const c = new Console(await createConsoleIdentity());
  consoles.push(c);
  const port = await c.start();
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { c, port, key: privateKey, pub: publicKey };
}

function link(c: Console, port: number, agentId: string, key: KeyObject, buffer: LinkBuffer, pin = c.identity.fingerprint256): { l: Link; states: LinkState[] } {
  const states: LinkState[] = [];
  const l = startLink({
    host: '127.0.0.1', port, pinnedFingerprint256: pin, agentId, agentVersion: '1.0.0', hostname: `${agentId}.lab`, key, buffer,
    onState: (s) => states.push(s), backoffMs: { min: 50, max: 400, refused: 200 }, batchMax: 50,
  });
  links.push(l);
  return { l, states };
}

describe('agent protocol over TLS 1.3 on loopback', () => {
  it('an enrolled agent uploads; each result is stored once and dropped from its buffer after the ack', async () => {
    const { c, port, key, pub } = await rig();
    c.enrol('srv-1', pub);
    const buf = new MemBuffer();
    for (let i = 0; i < 120; i++) buf.append(status(i));
    const { l } = link(c, port, 'srv-1', key, buf);
    await until('all 120 acked', () => buf.items.length === 0 && buf.lastSeq === 120);
    expect([...c.stored.get('srv-1')!.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(c.stored.get('srv-1')!.size).toBe(120);
    expect(c.server!.sessions().map((s) => [s.agentId, s.hostname, s.agentVersion])).toEqual([['srv-1', 'srv-1.lab', '1.0.0']]);
    expect(l.connected).toBe(true);
  });

  it('a result the protocol refuses is left out and logged; the upload goes on past it', async () => {
    const { c, port, key, pub } = await rig();
    c.enrol('srv-poison', pub);
    const buf = new MemBuffer();
    for (let i = 0; i < 30; i++) buf.append(i === 10 ? ({ ...status(i), cpuPct: -1 } as AgentResultData) : status(i));
    buf.append({ kind: 'inventory', osRelease: 'x', kernel: 'y', packages: Array.from({ length: 20_000 }, (_, i) => ({ name: `pkg-${i}-${'n'.repeat(40)}`, version: 'v'.repeat(40) })), files: [] });
    for (let i = 0; i < 5; i++) buf.append(status(100 + i));
    const logs: string[] = [];
    links.push(startLink({
      host: '127.0.0.1', port, pinnedFingerprint256: c.identity.fingerprint256, agentId: 'srv-poison', agentVersion: '1.0.0', hostname: 'p', key, buffer: buf,
      backoffMs: { min: 50, max: 400, refused: 200 }, batchMax: 50, log: (l) => logs.push(l),
    }));
    await until('everything after the refused ones acked', () => buf.items.length === 0);
    expect([...c.stored.get('srv-poison')!.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1).filter((n) => n !== 11 && n !== 31));
    expect(logs.filter((l) => l.includes('cannot be sent'))).toEqual([
      expect.stringMatching(/^link: result 11 \(status\) cannot be sent and is left out: .*cpuPct/),
      expect.stringMatching(/^link: result 31 \(inventory\) cannot be sent and is left out: .*over the 1048576-byte limit/),
    ]);
  });

  it('after a batch the store could not take, no later batch of that session is stored: the agent sends them all again, in order', async () => {
    const { c, port, key, pub } = await rig();
    c.enrol('srv-fail', pub);
    c.failCalls = new Set([3, 9]);
    const buf = new MemBuffer();
    for (let i = 0; i < 600; i++) buf.append(status(i));
    const { states } = link(c, port, 'srv-fail', key, buf);
    await until('all 600 acked', () => buf.items.length === 0 && (c.stored.get('srv-fail')?.size ?? 0) === 600);
    expect(c.gaps, 'no batch stored past one that failed').toEqual([]);
    expect([...c.stored.get('srv-fail')!.values()].filter((n) => n !== 1)).toEqual([]);
    expect(states.filter((s) => s.kind === 'down').length, 'the console ended the session after each failed commit').toBeGreaterThanOrEqual(2);
  });

  it('a console stopped while the agent keeps producing: every sequence number arrives exactly once after its restart', async () => {
    const { c, port, key, pub } = await rig();
    c.enrol('srv-2', pub);
    const buf = new MemBuffer();
    const { l, states } = link(c, port, 'srv-2', key, buf);
    const produce = setInterval(() => {
      buf.append(status(buf.lastSeq));
      l.kick();
    }, 5);
    try {
      await until('some results stored', () => (c.stored.get('srv-2')?.size ?? 0) > 50);
      await c.stop();
      const storedAtStop = c.stored.get('srv-2')!.size;
      await until('the agent sees the console gone', () => states.at(-1)?.kind === 'down');
      await new Promise((r) => setTimeout(r, 600));
      expect(buf.items.length, 'results produced while the console is away wait in the buffer').toBeGreaterThan(20);
      await c.start(port);
      await until('uploads resume', () => c.stored.get('srv-2')!.size > storedAtStop + 50);
    } finally {
      clearInterval(produce);
    }
    const last = buf.lastSeq;
    await until('the tail acked', () => buf.items.length === 0 && c.stored.get('srv-2')!.size === last);
    const seen = c.stored.get('srv-2')!;
    const missing = Array.from({ length: last }, (_, i) => i + 1).filter((s) => !seen.has(s));
    expect(missing).toEqual([]);
    expect([...seen.values()].filter((n) => n !== 1).length, 'no sequence number stored twice').toBe(0);
  });

  it('unknown, revoked and wrongly keyed agents are refused, each reported with its reason', async () => {
    const { c, port, key, pub } = await rig();
    const other = generateKeyPairSync('ed25519');
    c.enrol('srv-revoked', pub);
    c.agents.set('srv-revoked', { ...c.agents.get('srv-revoked')!, revoked: true });
    c.enrol('srv-wrongkey', other.publicKey);
    const a = link(c, port, 'srv-unknown', key, new MemBuffer());
    const b = link(c, port, 'srv-revoked', key, new MemBuffer());
    const d = link(c, port, 'srv-wrongkey', key, new MemBuffer());
    await until('three refusals', () => [a, b, d].every((x) => x.states.some((s) => s.kind === 'refused')));
    const reasons = (x: { states: LinkState[] }) => x.states.find((s) => s.kind === 'refused') as Extract<LinkState, { kind: 'refused' }>;
    expect([reasons(a).reason, reasons(b).reason, reasons(d).reason]).toEqual(['unknown-agent', 'revoked', 'bad-proof']);
    const refused = c.events.filter((e) => e.kind === 'refused') as Extract<AgentServerEvent, { kind: 'refused' }>[];
    expect(new Set(refused.map((e) => `${e.agentId}:${e.reason}`))).toEqual(new Set(['srv-unknown:unknown-agent', 'srv-revoked:revoked', 'srv-wrongkey:bad-proof']));
    expect(refused.every((e) => e.remote.startsWith('127.0.0.1:'))).toBe(true);
    expect(c.server!.sessions()).toEqual([]);
  });

  it('an agent pinned to another console certificate refuses the console and says hello to nobody', async () => {
    const { c, port, key, pub } = await rig();
    c.enrol('srv-3', pub);
    const impostorPin = (await createConsoleIdentity('someone else')).fingerprint256;
    const buf = new MemBuffer();
    buf.append(status(1));
    const { states } = link(c, port, 'srv-3', key, buf, impostorPin);
    await until('the agent refuses', () => states.some((s) => s.kind === 'refused'));
    const r = states.find((s) => s.kind === 'refused') as Extract<LinkState, { kind: 'refused' }>;
    expect(r.reason).toBe('pin-mismatch');
    expect(r.message).toContain(c.identity.fingerprint256);
    await new Promise((res) => setTimeout(res, 200));
    expect(c.stored.size, 'nothing was uploaded').toBe(0);
    expect(c.events.filter((e) => e.kind !== 'refused' || e.agentId !== null), 'the console never heard a hello').toEqual([]);
    // The agent hangs up in the handshake: what the console reports of it names where it came from.
    const hangUps = c.events.filter((e) => e.kind === 'refused');
    expect(hangUps.length).toBeGreaterThan(0);
    for (const e of hangUps) expect(e).toMatchObject({ agentId: null, reason: 'protocol', remote: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    expect(buf.items.length).toBe(1);
  });
});
