// A workflow tool: one step's implementation, with declared input and output schemas (zod,
// the contract's schema library), its kind, and whether re-running an interrupted attempt is
// safe. The engine (engine.ts) resolves a step's bindings, parses them with `input`, runs the
// tool, parses what it returns with `output`, and journals both. A callback tool may judge the
// body posted to its one-time URL (onCallback) instead of having it taken as its output. Tools
// are registered by name in a ToolRegistry; templates name them; toolInfo describes one for
// workflows.tools (its fields from the schemas, as bindings are checked against them).
import type { z } from 'zod';
import type { Role } from '../../../src-shared/domain/roles';
import type { WfStepKind } from '../../../src-shared/domain/workflow';
import type { WfToolInfo } from '../../../src-shared/domain/workflow-tools';
import { fieldsOf } from './schema-types';

export interface ToolHost {
  readonly id: string;
  readonly hostname: string;
  readonly sn: string;
}

export interface ToolContext {
  readonly runId: string;
  readonly stepId: string;
  /** The host of a per-host step; null for a run-scope step. */
  readonly host: ToolHost | null;
  readonly attempt: number;
  /** Aborted when the run is revoked, the task times out or the engine stops. */
  readonly signal: AbortSignal;
  /** A timestamped log line in the run's journal (shown in the run view). */
  log(line: string, level?: 'info' | 'warn' | 'error'): void;
  /**
   * callback steps: the one-time URL the outside world calls to finish this step; null on a
   * core that takes no inbound HTTP (the desktop), where only the step's poll check can finish it.
   */
  readonly callbackUrl: string | null;
  /** poll and callback steps: what the previous check of this attempt kept (null at first). */
  readonly pollState: unknown;
  /** 0 for an attempt's first call; 1, 2, ... for the poll checks after it (poll and callback steps). */
  readonly check: number;
  /** The actor that launched the run (tools that act on devices audit under it). */
  readonly actor: string;
  /**
   * The role that actor launched the run with, as the journal recorded it at launch (tools
   * audit with it). Set by the workflows capability; absent on an engine used without it.
   */
  readonly role?: Role;
}

/**
 * A side effect that must leave exactly once: the engine writes it to its outbox in the same
 * transaction that completes the step, then sends it with an Idempotency-Key header
 * (`<runId>/<stepId>/<host>`) until the receiver answers 2xx.
 */
export interface OutboxMessage {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON; absent: no body. */
  readonly body?: unknown;
}

/** What a tool's run returns. */
export type ToolResult<O> =
  | { readonly status: 'done'; readonly output: O; readonly outbox?: OutboxMessage }
  /** poll / callback: not finished; check again after the step's interval (state is kept for the next check). */
  | { readonly status: 'pending'; readonly state?: unknown };

/**
 * What a callback tool's onCallback makes of a body posted to its one-time URL: done (the
 * output is parsed by the tool's output schema; a misfit refuses the body, the step waits on)
 * or pending (the report is taken and the URL answered, the attempt waits on as it was: its
 * poll state unchanged, the URL still valid). To fail the task, onCallback throws.
 */
export type CallbackVerdict<O> =
  | { readonly status: 'done'; readonly output: O; readonly outbox?: OutboxMessage }
  | { readonly status: 'pending' };

export interface Tool<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly title: string;
  readonly kind: WfStepKind;
  readonly input: I;
  readonly output: O;
  /** True when running an attempt twice does no harm (a read, a set-to-value); an interrupted non-idempotent attempt fails as 'interrupted'. */
  readonly idempotent: boolean;
  /** Throws a FleetDeckError (or any Error) to fail the attempt; its message is the task's error. */
  run(ctx: ToolContext, input: z.output<I>): Promise<ToolResult<z.output<O>>>;
  /**
   * callback tools: judges the body posted to the attempt's URL (without it, the body is the
   * output, parsed by the output schema). Synchronous: its verdict is journaled in the same
   * transaction as the callback's acceptance. A throw fails the attempt with its message (as
   * a throw from run does: an automatic retry when the step has one left), and the caller of
   * the URL is answered as heard (its report was received). ctx.pollState is what the
   * attempt's last check kept; ctx.log lines land in that transaction too.
   */
  onCallback?(ctx: ToolContext, body: unknown, input: z.output<I>): CallbackVerdict<z.output<O>>;
}

export interface ToolRegistry {
  get(name: string): Tool | undefined;
  list(): readonly Tool[];
}

export function toolRegistry(tools: readonly Tool[]): ToolRegistry {
  const byName = new Map<string, Tool>();
  for (const t of tools) {
    if (byName.has(t.name)) throw new Error(`Tool ${t.name} is registered twice`);
    byName.set(t.name, t);
  }
  return { get: (n) => byName.get(n), list: () => [...byName.values()] };
}

/** Declares a tool; the schemas' types flow into run's input and output. */
export function tool<I extends z.ZodObject, O extends z.ZodObject>(t: Tool<I, O>): Tool<I, O> {
  return t;
}

/** A tool as workflows.tools lists it: what it is, and its input and output fields. */
export function toolInfo(t: Tool): WfToolInfo {
  return { name: t.name, title: t.title, kind: t.kind, idempotent: t.idempotent, inputs: fieldsOf(t.input, 'input'), outputs: fieldsOf(t.output, 'output') };
}
