// The workflow engine's factory: an engine on the core's store with the built-in tools
// (http.callback, wf.approval, wf.callback) beside the ones given, started (open runs
// resumed), and the journal's retention (prune.ts: finished runs past the retention period
// deleted once at start and hourly) stopped with it. The capability around it (API, progress
// events, shipped templates, the launcher's role) is workflows-capability.ts.
import type { Db } from '../store/database';
import { systemClock, type Clock } from './clock';
import { WorkflowEngine, type EngineDeps } from './engine';
import type { OutboxOptions } from './outbox';
import { JournalPruner, type PruneOptions } from './prune';
import type { Tool, ToolHost } from './tool';
import { approvalTool } from './tools/approval';
import { httpCallbackTool } from './tools/http-callback';
import { waitCallbackTool } from './tools/wait-callback';

export interface WorkflowsDeps {
  readonly db: Db;
  readonly tools?: readonly Tool[];
  readonly baseUrl: EngineDeps['baseUrl'];
  readonly hosts: (id: string) => ToolHost | undefined;
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
  readonly maxConcurrent?: number;
  readonly outbox?: OutboxOptions;
  /** The journal's retention (default: finished runs kept 180 days, pruned hourly); false: none. */
  readonly prune?: PruneOptions | false;
}

export const BUILTIN_TOOLS: readonly Tool[] = [httpCallbackTool, approvalTool, waitCallbackTool] as unknown as readonly Tool[];

/** Every tool the engine registers: the built-ins, unless one given has the same name, then the given ones. */
export function registeredTools(given: readonly Tool[] = []): Tool[] {
  const names = new Set(given.map((t) => t.name));
  return [...BUILTIN_TOOLS.filter((t) => !names.has(t.name)), ...given];
}

/** The engine with its journal retention, which stops when the engine does. */
class RetainedEngine extends WorkflowEngine {
  pruner: JournalPruner | null = null;

  override async dispose(): Promise<void> {
    this.pruner?.dispose();
    await super.dispose();
  }
}

export function startWorkflows(deps: WorkflowsDeps): WorkflowEngine {
  // Made first: a retention it refuses (not a positive number) stops the start before any run resumes.
  const pruner = deps.prune === false ? null : new JournalPruner(deps.db, deps.clock ?? systemClock, deps.log ?? (() => {}), deps.prune);
  const engine = new RetainedEngine({ ...deps, tools: registeredTools(deps.tools) });
  engine.pruner = pruner;
  engine.start();
  pruner?.start();
  return engine;
}

export { WorkflowEngine };
