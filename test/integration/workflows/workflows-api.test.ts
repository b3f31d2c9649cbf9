// The workflows capability through core.api on a real core (createCore, in-memory store, no
// lab, two devices): roles (viewers read, operators launch and steer, admins save templates;
// refusals audited), the audit targets of launch, retry with edited inputs, skip, approve,
// reject and revoke; a launch -> progress events -> run detail round trip of wf.approval then
// http.callback delivered to a real local HTTP server with its Idempotency-Key; wf.callback
// completed through core.workflowCallback; a core with no callback URL (the desktop) refusing
// a callback-only step at launch; shipped templates saved once as version 1.
import { AGENT_TEMPLATES } from '../../../src-main/core/agents/deploy/templates';
import { PROVISIONING_TEMPLATES } from '../../../src-main/core/provisioning';
import { FLEET_RUN_TEMPLATE } from '../../../src-main/core/run/fleet-run-template';
import { REPORTS_DAILY_TEMPLATE } from '../../../src-main/core/reports/reports-tool';
import { GATEWAY_TEMPLATES } from '../../../src-main/core/gateways/deploy';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Device } from '../../../src-shared/domain';
import type { WfProgress, WfTemplate } from '../../../src-shared/domain/workflow';
import { createCore, type Core, type CoreConfig } from '../../../src-main/core/create-core';
import { until } from '../../support/handles';
import { oneCabinet } from '../../support/one-cabinet';

/** The templates this test saved or shipped: the provisioning flows (server-online ...), fleet-run, the agent's and reports-daily ship with every core. */
const SHIPPED_IDS = new Set([...PROVISIONING_TEMPLATES, FLEET_RUN_TEMPLATE, ...AGENT_TEMPLATES, REPORTS_DAILY_TEMPLATE, ...GATEWAY_TEMPLATES].map((t) => t.id));
const ownTemplates = <T extends { id: string }>(list: readonly T[]): T[] => list.filter((t) => !SHIPPED_IDS.has(t.id));

const viewer: CallContext = { actor: 'vera', role: 'viewer' };
const operator: CallContext = { actor: 'oscar', role: 'operator' };
const admin: CallContext = { actor: 'ada', role: 'admin' };
const dir = mkdtempSync(join(tmpdir(), 'fd-wf-api-'));

const dev = (n: number): Device => ({
  id: `dev-${n}`, cabinetId: 'c', kind: 'server', hostname: `srv-${n}`, sn: `SN-${n}`, uPosition: n, uHeight: 1, mgmtIp: `127.0.0.${n}`,
  snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
});

interface Received { readonly url: string; readonly headers: IncomingHttpHeaders; readonly body: unknown }

/** A real HTTP receiver on 127.0.0.1 that records every request and answers 200. */
async function receiver(): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      got.push({ url: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : null });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, server };
}

const servers: Server[] = [];
let cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.map((c) => c.dispose()));
  cores = [];
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

async function core(over: Partial<CoreConfig> = {}): Promise<{ core: Core; progress: WfProgress[] }> {
  const c = await createCore({ storePath: ':memory:', secretKey: Buffer.alloc(32, 7), lab: false, workflows: { callbackBaseUrl: 'http://deck.test:8420/' }, ...over });
  cores.push(c);
  await c.api.call(operator, 'inventory.import', { format: 'json', text: JSON.stringify(oneCabinet([dev(1), dev(2)])) });
  const progress: WfProgress[] = [];
  c.api.on(viewer, 'onDidProgressWorkflow', (p) => progress.push(p));
  return { core: c, progress };
}

/** Approve once for the run, then tell the receiver about each host. */
const approveThenNotify: WfTemplate = {
  id: 'approve-notify',
  name: 'Approve, then notify',
  params: [{ name: 'receiver', type: 'string', required: true }],
  steps: [
    { id: 'approve', tool: 'wf.approval', scope: 'run', inputs: { message: 'go?' } },
    { id: 'notify', tool: 'http.callback', scope: 'host', inputs: { method: 'POST', url: '${params.receiver}', body: { host: '${host.hostname}', sn: '${host.sn}' } } },
  ],
};

const trail = (c: Core, action: string) => c.api.call(admin, 'audit.list', { action });
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { code: string; message: string; params?: Record<string, unknown> });
const taskState = async (c: Core, runId: string, stepId: string, host: string) => (await c.api.call(viewer, 'workflows.run', { runId })).tasks.find((t) => t.stepId === stepId && t.host === host)?.state;

describe('workflows API: roles and audit', () => {
  it('lets viewers read, operators launch and steer, admins save; refusals are audited and name the role', async () => {
    const { core: c } = await core();
    for (const who of [viewer, operator]) {
      const err = await refusal(c.api.call(who, 'workflows.saveTemplate', { template: { ...approveThenNotify } }));
      expect(err).toMatchObject({ code: 'FORBIDDEN', params: { method: 'workflows.saveTemplate', required: 'admin', actual: who.role } });
    }
    const saved = await c.api.call(admin, 'workflows.saveTemplate', { template: { ...approveThenNotify } });
    expect(saved).toMatchObject({ id: 'approve-notify', version: 1, savedBy: 'ada' });
    expect(ownTemplates(await c.api.call(viewer, 'workflows.templates', undefined))).toEqual([saved]);
    expect(await c.api.call(viewer, 'workflows.template', { id: 'approve-notify' })).toEqual(saved);
    expect((await trail(c, 'workflows.saveTemplate')).map((e) => [e.actor, e.outcome, e.target])).toEqual([
      ['ada', 'succeeded', 'template approve-notify'],
      ['oscar', 'refused', 'template approve-notify'],
      ['vera', 'refused', 'template approve-notify'],
    ]);

    const launch = { templateId: 'approve-notify', params: { receiver: 'http://127.0.0.1:9/x' }, deviceIds: ['dev-1'] };
    for (const [method, args] of [
      ['workflows.launch', launch], ['workflows.retry', { runId: 'r', stepId: 's', host: 'dev-1' }], ['workflows.skip', { runId: 'r', stepId: 's', host: 'dev-1' }],
      ['workflows.approve', { runId: 'r', stepId: 's' }], ['workflows.reject', { runId: 'r', stepId: 's' }], ['workflows.pause', { runId: 'r' }],
      ['workflows.resume', { runId: 'r' }], ['workflows.revoke', { runId: 'r' }],
    ] as const) {
      expect(await refusal(c.api.call(viewer, method, args as never)), method).toMatchObject({ code: 'FORBIDDEN', params: { method, required: 'operator' } });
    }
    expect(await c.api.call(viewer, 'workflows.runs', undefined)).toEqual([]);
    const run = await c.api.call(operator, 'workflows.launch', launch);
    expect(run).toMatchObject({ templateId: 'approve-notify', templateVersion: 1, state: 'running', createdBy: 'oscar', hosts: ['dev-1'], total: 2 });
    expect((await trail(c, 'workflows.launch')).map((e) => [e.actor, e.outcome, e.target])).toEqual([
      ['oscar', 'succeeded', 'approve-notify on 1 host (dev-1); params {"receiver":"http://127.0.0.1:9/x"}'],
      ['vera', 'refused', 'approve-notify on 1 host (dev-1); params {"receiver":"http://127.0.0.1:9/x"}'],
    ]);
    // Unknown runs are NOT_FOUND, not empty lists.
    expect(await refusal(c.api.call(viewer, 'workflows.logs', { runId: 'nope' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(c.api.call(viewer, 'workflows.attempts', { runId: 'nope' }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a template whose binding names an unknown step, naming the step and field; the audit row says failed and why', async () => {
    const { core: c } = await core();
    const bad = { ...approveThenNotify, steps: [approveThenNotify.steps[0], { ...approveThenNotify.steps[1], inputs: { method: 'POST', url: '${steps.bmc.outputs.url}' } }] };
    const err = await refusal(c.api.call(admin, 'workflows.saveTemplate', { template: bad }));
    expect(err).toMatchObject({ code: 'VALIDATION', params: { step: 'notify', field: 'url' } });
    expect(err!.message).toContain('bmc');
    const [row] = await trail(c, 'workflows.saveTemplate');
    expect(row).toMatchObject({ outcome: 'failed', target: 'template approve-notify' });
    expect(row.detail).toContain('notify');
    expect(ownTemplates(await c.api.call(viewer, 'workflows.templates', undefined))).toEqual([]);
  });

  it('audits retry with the edited inputs, skip, reject and revoke, naming run, step and host', async () => {
    const rx = await receiver();
    servers.push(rx.server);
    const { core: c } = await core();
    await c.api.call(admin, 'workflows.saveTemplate', { template: { ...approveThenNotify, steps: [approveThenNotify.steps[1]] } });
    // 'not a url' fails both hosts' notify step at its input check (a refusal: no automatic retry).
    const run = await c.api.call(operator, 'workflows.launch', { templateId: 'approve-notify', params: { receiver: 'not a url' }, deviceIds: ['dev-1', 'dev-2'] });
    await until('both hosts fail', async () => (await c.api.call(viewer, 'workflows.run', { runId: run.id })).state === 'failed');
    const fixed = `${rx.url}/fixed`;
    const retried = await c.api.call(operator, 'workflows.retry', { runId: run.id, stepId: 'notify', host: 'dev-1', inputs: { url: fixed } });
    expect(retried).toMatchObject({ stepId: 'notify', host: 'dev-1', attempt: 1 });
    await c.api.call(operator, 'workflows.skip', { runId: run.id, stepId: 'notify', host: 'dev-2' });
    await until('the run succeeds', async () => (await c.api.call(viewer, 'workflows.run', { runId: run.id })).state === 'succeeded');
    const attempts = await c.api.call(viewer, 'workflows.attempts', { runId: run.id, stepId: 'notify', host: 'dev-1' });
    expect(attempts.map((a) => [a.attempt, a.state, a.by, a.edited])).toEqual([[1, 'failed', 'engine', null], [2, 'succeeded', 'oscar', { url: fixed }]]);
    await until('the receiver got the retried call', () => rx.got.length === 1);
    expect(rx.got[0]).toMatchObject({ url: '/fixed', headers: { 'idempotency-key': `${run.id}/notify/dev-1` }, body: { host: 'srv-1', sn: 'SN-1' } });
    expect((await trail(c, 'workflows.retry')).map((e) => [e.outcome, e.target])).toEqual([['succeeded', `run ${run.id} step notify host dev-1; edited inputs {"url":"${fixed}"}`]]);
    expect((await trail(c, 'workflows.skip')).map((e) => [e.outcome, e.target])).toEqual([['succeeded', `run ${run.id} step notify host dev-2`]]);
    const logs = await c.api.call(viewer, 'workflows.logs', { runId: run.id, host: 'dev-1' });
    expect(logs.map((l) => l.line).join('\n')).toContain(`POST ${fixed} queued`);

    await c.api.call(admin, 'workflows.saveTemplate', { template: { ...approveThenNotify, id: 'gate', steps: [approveThenNotify.steps[0]] } });
    const rejected = await c.api.call(operator, 'workflows.launch', { templateId: 'gate', params: { receiver: rx.url }, deviceIds: [] });
    const revoked = await c.api.call(operator, 'workflows.launch', { templateId: 'gate', params: { receiver: rx.url }, deviceIds: [] });
    await until('both wait for approval', async () => (await taskState(c, rejected.id, 'approve', '')) === 'awaiting-approval' && (await taskState(c, revoked.id, 'approve', '')) === 'awaiting-approval');
    expect(await c.api.call(operator, 'workflows.reject', { runId: rejected.id, stepId: 'approve', reason: 'no change window' })).toMatchObject({ state: 'failed', failure: 'rejected' });
    expect(await c.api.call(operator, 'workflows.revoke', { runId: revoked.id })).toMatchObject({ state: 'revoked' });
    expect((await trail(c, 'workflows.reject'))[0]).toMatchObject({ outcome: 'succeeded', target: `run ${rejected.id} step approve (run scope); reason "no change window"` });
    expect((await trail(c, 'workflows.revoke'))[0]).toMatchObject({ outcome: 'succeeded', target: `run ${revoked.id}` });
    // A second revoke is refused by state, and the audit row says so.
    expect(await refusal(c.api.call(operator, 'workflows.revoke', { runId: revoked.id }))).toMatchObject({ code: 'CONFLICT' });
    expect((await trail(c, 'workflows.revoke'))[0]).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('revoked') });
  });
});

describe('workflows API: a run end to end', () => {
  it('launch -> awaiting approval -> approve -> http.callback delivered once per host; progress events and the run detail agree', async () => {
    const rx = await receiver();
    servers.push(rx.server);
    const { core: c, progress } = await core();
    await c.api.call(admin, 'workflows.saveTemplate', { template: { ...approveThenNotify } });
    const run = await c.api.call(operator, 'workflows.launch', { templateId: 'approve-notify', params: { receiver: `${rx.url}/hook` }, deviceIds: ['dev-1', 'dev-2'] });
    expect(run).toMatchObject({ state: 'running', done: 0, total: 3 });
    await until('a progress event shows the approval waiting', () => progress.some((p) => p.runId === run.id && p.tasks.some((t) => t.stepId === 'approve' && t.state === 'awaiting-approval')));
    expect(rx.got).toEqual([]);
    const approved = await c.api.call(operator, 'workflows.approve', { runId: run.id, stepId: 'approve', note: 'ok' });
    expect(approved).toMatchObject({ state: 'succeeded', outputs: { approvedBy: 'oscar', note: 'ok' } });
    await until('a progress event says the run succeeded', () => progress.some((p) => p.runId === run.id && p.state === 'succeeded'));
    await until('both hosts delivered', () => rx.got.length === 2);
    expect(rx.got.map((g) => [g.headers['idempotency-key'], g.body]).sort()).toEqual([
      [`${run.id}/notify/dev-1`, { host: 'srv-1', sn: 'SN-1' }],
      [`${run.id}/notify/dev-2`, { host: 'srv-2', sn: 'SN-2' }],
    ]);

    const detail = await c.api.call(viewer, 'workflows.run', { runId: run.id });
    expect(detail).toMatchObject({ state: 'succeeded', done: 3, total: 3, failed: 0, template: { id: 'approve-notify' } });
    expect(detail.tasks.map((t) => [t.stepId, t.host, t.state])).toEqual([['approve', '', 'succeeded'], ['notify', 'dev-1', 'succeeded'], ['notify', 'dev-2', 'succeeded']]);
    const last = progress.filter((p) => p.runId === run.id).at(-1)!;
    expect(last).toMatchObject({ state: 'succeeded', done: 3, total: 3, failed: 0 });
    // Every task's last state in the stream is its state in the detail.
    const streamed = new Map(progress.flatMap((p) => p.tasks).map((t) => [`${t.stepId}@${t.host}`, t.state]));
    expect(Object.fromEntries(streamed)).toEqual(Object.fromEntries(detail.tasks.map((t) => [`${t.stepId}@${t.host}`, t.state])));
    expect((await c.api.call(viewer, 'workflows.runs', { state: 'succeeded' })).map((r) => r.id)).toEqual([run.id]);
    const [stats] = await c.api.call(viewer, 'workflows.stats', { templateId: 'approve-notify', from: 0, to: Date.now() + 1000 });
    expect(stats).toMatchObject({ templateId: 'approve-notify', total: 1, succeeded: 1, failed: 0, running: 0, successRate: 1 });
    expect((await trail(c, 'workflows.approve'))[0]).toMatchObject({ outcome: 'succeeded', target: `run ${run.id} step approve (run scope); note "ok"` });
  });

  it('wf.callback: notifies the receiver of a one-time URL under the configured base; core.workflowCallback completes it once', async () => {
    const rx = await receiver();
    servers.push(rx.server);
    const { core: c } = await core();
    const template = { id: 'wait', name: 'Wait', params: [], steps: [{ id: 'install', tool: 'wf.callback', scope: 'host', inputs: { notifyUrl: `${rx.url}/tell` } }] };
    await c.api.call(admin, 'workflows.saveTemplate', { template });
    const run = await c.api.call(operator, 'workflows.launch', { templateId: 'wait', params: {}, deviceIds: ['dev-1'] });
    await until('the receiver is told where to call back', () => rx.got.length === 1);
    const told = rx.got[0].body as { callbackUrl: string; runId: string; stepId: string; host: string };
    expect(told).toMatchObject({ runId: run.id, stepId: 'install', host: 'dev-1', callbackUrl: expect.stringMatching(/^http:\/\/deck\.test:8420\/wf\/callback\/[A-Za-z0-9_-]{32}$/) });
    const token = told.callbackUrl.split('/').pop()!;
    // The URL is a secret: the run's log lines never show it.
    expect((await c.api.call(viewer, 'workflows.logs', { runId: run.id })).some((l) => l.line.includes(token))).toBe(false);
    expect(() => c.workflowCallback(token, { status: 7 })).toThrow(expect.objectContaining({ code: 'VALIDATION', params: expect.objectContaining({ field: 'status' }) }));
    expect(c.workflowCallback(token, { status: 'installed', data: { release: 'c7.9' } })).toMatchObject({ state: 'succeeded', outputs: { status: 'installed', data: { release: 'c7.9' } } });
    expect(() => c.workflowCallback(token, {})).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => c.workflowCallback('x'.repeat(32), {})).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('on a core with no callback URL (the desktop) refuses a launch whose callback step has no poll check, naming the step', async () => {
    const { core: c } = await core({ workflows: {} });
    const template = { id: 'wait', name: 'Wait', params: [], steps: [{ id: 'install', tool: 'wf.callback', scope: 'host', inputs: {} }] };
    await c.api.call(admin, 'workflows.saveTemplate', { template });
    const err = await refusal(c.api.call(operator, 'workflows.launch', { templateId: 'wait', params: {}, deviceIds: ['dev-1'] }));
    expect(err).toMatchObject({ code: 'UNAVAILABLE', params: { template: 'wait', step: 'install' } });
    expect(err!.message).toMatch(/^Step install of template wait waits for a call to its callback URL, and this FleetDeck takes no inbound HTTP/);
    expect(await c.api.call(viewer, 'workflows.runs', undefined)).toEqual([]);
    // With a poll check that can finish it, the launch goes ahead.
    await c.api.call(admin, 'workflows.saveTemplate', { template: { ...template, steps: [{ ...template.steps[0], poll: { intervalMs: 60_000, deadlineMs: 3_600_000 } }] } });
    expect(await c.api.call(operator, 'workflows.launch', { templateId: 'wait', params: {}, deviceIds: ['dev-1'] })).toMatchObject({ state: 'running' });
  });
});

describe('workflows: shipped templates', () => {
  it('saves a shipped template as version 1 by fleetdeck when absent, and leaves a stored one alone at the next start', async () => {
    const storePath = join(dir, 'shipped.db');
    const shipped: WfTemplate = { ...approveThenNotify, id: 'shipped-flow' };
    const first = await core({ storePath, workflows: { templates: [shipped] } });
    expect(ownTemplates(await first.core.api.call(viewer, 'workflows.templates', undefined))).toEqual([expect.objectContaining({ id: 'shipped-flow', version: 1, savedBy: 'fleetdeck', template: shipped })]);
    await first.core.api.call(admin, 'workflows.saveTemplate', { template: { ...shipped, name: 'Edited by an admin' } });
    await first.core.dispose();
    cores = [];
    const second = await core({ storePath, workflows: { templates: [{ ...shipped, name: 'Shipped again' }] } });
    expect(ownTemplates(await second.core.api.call(viewer, 'workflows.templates', undefined))).toEqual([expect.objectContaining({ id: 'shipped-flow', version: 2, name: 'Edited by an admin', savedBy: 'ada' })]);
  });

  it('refuses to start with a shipped template the engine refuses, naming it', async () => {
    const broken = { ...approveThenNotify, id: 'broken', steps: [{ ...approveThenNotify.steps[0], tool: 'no.such.tool' }] };
    await expect(createCore({ storePath: ':memory:', secretKey: Buffer.alloc(32, 7), lab: false, workflows: { templates: [broken] } })).rejects.toThrow(/^The shipped workflow template broken is refused: .*no\.such\.tool/);
  });
});
