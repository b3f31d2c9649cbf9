// Shared fixtures of the workflows store tests: a two-step template (an approval once for the
// run, then a callback per host), a run of it over two hosts, and a fake client that answers
// each method from a table and records every call. dev-b was renamed by its reinstall since
// the launch; dev-c (when a test adds it to hosts) has left the inventory.
import { vi } from 'vitest';
import type { WfRunDetail, WfTask, WfTemplate } from '../../../../../src-shared/domain/workflow';
import { setClient } from '../../../../../src-renderer/stores/client';

export const TEMPLATE: WfTemplate = {
  id: 'notify',
  name: 'Approve, then notify',
  params: [
    { name: 'baseUrl', type: 'string', required: true },
    { name: 'count', type: 'number', required: false, default: 3 },
    { name: 'dry', type: 'boolean', required: false },
    { name: 'tags', type: 'string[]', required: false },
    { name: 'extra', type: 'object', required: false },
  ],
  steps: [
    { id: 'approve', tool: 'wf.approval', scope: 'run', inputs: { message: 'go?' } },
    { id: 'notify', tool: 'wf.callback', scope: 'host', inputs: { notifyUrl: '${params.baseUrl}/${host.hostname}' } },
  ],
};

export function task(stepId: string, host: string, state: WfTask['state'], extra: Partial<WfTask> = {}): WfTask {
  return { runId: 'run-1', stepId, host, state, attempt: 1, inputs: null, outputs: null, failure: null, error: null, startedAt: null, finishedAt: null, ...extra };
}

export function detail(extra: Partial<WfRunDetail> = {}): WfRunDetail {
  return {
    id: 'run-1', templateId: 'notify', templateVersion: 1, name: TEMPLATE.name, state: 'running', params: { baseUrl: 'http://127.0.0.1:9' },
    hosts: ['dev-a', 'dev-b'],
    hostLabels: {
      'dev-a': { hostname: 'bj1-srv-a', sn: 'SN-A', inInventory: true },
      'dev-b': { hostname: 'bj1-web-b', sn: 'SN-B', inInventory: true, launchHostname: 'bj1-srv-b' },
      'dev-c': { hostname: 'bj1-srv-c', sn: 'SN-C', inInventory: false },
    },
    createdBy: 'operator@x', createdAt: 1_000, finishedAt: null, done: 1, total: 3, failed: 0, template: TEMPLATE,
    tasks: [task('approve', '', 'succeeded'), task('notify', 'dev-a', 'running'), task('notify', 'dev-b', 'running')],
    ...extra,
  };
}

export type Answer = (args: Record<string, unknown>) => unknown;

/** A client answering from `answers` by method (a function gets the args); anything else throws. */
export function fakeClient(answers: Record<string, Answer>) {
  const call = vi.fn(async (method: string, args: Record<string, unknown>) => {
    const a = answers[method];
    if (!a) throw new Error(`unexpected ${method}`);
    return a(args ?? {});
  });
  const listeners = new Map<string, (p: unknown) => void>();
  setClient({ call, on: (event: string, l: (p: unknown) => void) => (listeners.set(event, l), { dispose: () => listeners.delete(event) }) } as never);
  return { call, calls: (method: string) => call.mock.calls.filter((c) => c[0] === method).map((c) => c[1]), listeners };
}
