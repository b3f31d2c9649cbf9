// Shared by the workflow engine's unit tests: a virtual clock (timers fire when the test lets
// time jump, never by waiting), fake tools with recorded calls, hosts, and an engine on an
// in-memory store. settle() flushes pending promise work, then jumps to the next timer, until
// a condition holds.
import { z } from 'zod';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import type { Clock } from '../../../../src-main/core/workflows/clock';
import { WorkflowEngine } from '../../../../src-main/core/workflows/engine';
import { tool, type Tool, type ToolContext, type ToolHost, type ToolResult } from '../../../../src-main/core/workflows/tool';
import { BUILTIN_TOOLS } from '../../../../src-main/core/workflows/workflows-module';

export class VirtualClock implements Clock {
  t = 1_000_000;
  #seq = 0;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.#seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers.delete(h as number);
  };
  /** Fires the earliest timer (time jumps to it); false when there is none. */
  fireNext(): boolean {
    let best: [number, { at: number; fn: () => void }] | null = null;
    for (const e of this.timers) if (!best || e[1].at < best[1].at || (e[1].at === best[1].at && e[0] < best[0])) best = e;
    if (!best) return false;
    this.timers.delete(best[0]);
    this.t = Math.max(this.t, best[1].at);
    best[1].fn();
    return true;
  }
  /** Moves time forward by ms, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      const next = [...this.timers.values()].reduce((m, e) => Math.min(m, e.at), Infinity);
      if (next > end) break;
      this.fireNext();
    }
    this.t = end;
    await flush();
  }
}

/** Lets every pending promise chain and I/O callback run. */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** Flushes, and jumps to the next timer, until cond() holds (refused after many rounds, naming what it waited for). */
export async function settle(clock: VirtualClock, cond: () => boolean, what = 'the condition'): Promise<void> {
  for (let i = 0; i < 5000; i++) {
    await flush();
    if (cond()) return;
    if (!clock.fireNext()) {
      await flush();
      if (cond()) return;
      throw new Error(`settle: nothing left to run and ${what} does not hold`);
    }
  }
  throw new Error(`settle: ${what} did not hold after 5000 rounds`);
}

export const HOSTS: ToolHost[] = Array.from({ length: 20 }, (_, i) => ({ id: `d${i + 1}`, hostname: `srv-${i + 1}`, sn: `SN${1000 + i + 1}` }));
export const hostIds = (n: number) => HOSTS.slice(0, n).map((h) => h.id);

export interface Call {
  readonly tool: string;
  readonly host: string | null;
  readonly attempt: number;
  readonly check: number;
  readonly input: unknown;
  readonly ctx: ToolContext;
}

/** A fake tool whose behaviour is a function of the call; every call is recorded in `calls`. */
export function fakeTool(
  name: string,
  opts: { kind?: Tool['kind']; idempotent?: boolean; input?: z.ZodObject; output?: z.ZodObject; onCallback?: Tool['onCallback'] },
  calls: Call[],
  behave: (ctx: ToolContext, input: Record<string, unknown>) => Promise<ToolResult<Record<string, unknown>>> | ToolResult<Record<string, unknown>>,
): Tool {
  return tool({
    name,
    title: name,
    kind: opts.kind ?? 'sync',
    idempotent: opts.idempotent ?? true,
    input: opts.input ?? z.object({}),
    output: opts.output ?? z.object({}),
    run: async (ctx, input) => {
      calls.push({ tool: name, host: ctx.host?.id ?? null, attempt: ctx.attempt, check: ctx.check, input, ctx });
      return (await behave(ctx, input as Record<string, unknown>)) as never;
    },
    ...(opts.onCallback ? { onCallback: opts.onCallback as never } : {}),
  }) as unknown as Tool;
}

export const done = (output: Record<string, unknown> = {}) => ({ status: 'done' as const, output });
export const pending = (state?: unknown) => ({ status: 'pending' as const, state });

export interface Rig {
  readonly db: Db;
  readonly clock: VirtualClock;
  readonly engine: WorkflowEngine;
  readonly calls: Call[];
  readonly logs: string[];
}

/** opts.hosts: the inventory's device lookup (default: HOSTS, unchanging). */
export function rig(tools: (calls: Call[]) => Tool[], opts: { db?: Db; clock?: VirtualClock; maxConcurrent?: number; fetch?: typeof fetch; baseUrl?: string; hosts?: (id: string) => ToolHost | undefined } = {}): Rig {
  const db = opts.db ?? openStore(':memory:');
  const clock = opts.clock ?? new VirtualClock();
  const calls: Call[] = [];
  const logs: string[] = [];
  const engine = new WorkflowEngine({
    db,
    tools: [...BUILTIN_TOOLS, ...tools(calls)],
    baseUrl: opts.baseUrl ?? 'https://deck.example/',
    hosts: opts.hosts ?? ((id) => HOSTS.find((h) => h.id === id)),
    clock,
    log: (l) => logs.push(l),
    maxConcurrent: opts.maxConcurrent,
    outbox: opts.fetch ? { fetch: opts.fetch } : undefined,
  });
  engine.start();
  return { db, clock, engine, calls, logs };
}

/** A run's state and each task's state as "step@host=state", for compact assertions. */
export function states(engine: WorkflowEngine, runId: string): Record<string, string> {
  return Object.fromEntries(engine.run(runId).tasks.map((t) => [`${t.stepId}@${t.host}`, t.state]));
}

export const runState = (engine: WorkflowEngine, runId: string) => engine.summary(runId).state;
export const isOver = (engine: WorkflowEngine, runId: string) => ['succeeded', 'failed', 'revoked'].includes(runState(engine, runId));
