// The workflow engine's factory: an engine on the core's store with the built-in tools
// (http.callback, wf.approval, wf.callback) beside the ones given, started (open runs
// resumed). The capability around it (API, progress events, shipped templates) is
// workflows-capability.ts.
import type { Db } from '../store/database';
import type { Clock } from './clock';
import { WorkflowEngine, type EngineDeps } from './engine';
import type { OutboxOptions } from './outbox';
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
}

export const BUILTIN_TOOLS: readonly Tool[] = [httpCallbackTool, approvalTool, waitCallbackTool] as unknown as readonly Tool[];

export function startWorkflows(deps: WorkflowsDeps): WorkflowEngine {
  const given = deps.tools ?? [];
  const names = new Set(given.map((t) => t.name));
  const engine = new WorkflowEngine({ ...deps, tools: [...BUILTIN_TOOLS.filter((t) => !names.has(t.name)), ...given] });
  engine.start();
  return engine;
}

export { WorkflowEngine };
