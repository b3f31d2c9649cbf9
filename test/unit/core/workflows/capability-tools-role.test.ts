// The workflows capability on a real store: workflows.tools lists every registered tool (the
// built-ins and the given ones, by name) with its kind, idempotency and its input and output
// fields from the zod schemas (type, optional or defaulted, description, choices, default),
// one by name, NOT_FOUND for an unknown name. And the launcher's role: a launch records the
// caller's role on the run (migration 11's wf_runs.launched_role) in its own transaction, and
// provisioning's cmdb.set audits with it (admin when an admin launched, operator when an
// operator did), also for a run resumed after a restart; a run from before migration 11 (no
// role recorded) audits as operator, the least role that could launch it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CallContext } from '../../../../src-shared/api';
import type { Device } from '../../../../src-shared/domain';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import type { WfToolInfo } from '../../../../src-shared/domain/workflow-tools';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { storeCmdb } from '../../../../src-main/core/provisioning';
import { cmdbSetTool } from '../../../../src-main/core/provisioning/cmdb-tools';
import type { ProvisioningDeps } from '../../../../src-main/core/provisioning/deps';
import { AuditRepository } from '../../../../src-main/core/store/audit-repository';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';
import { tool, type Tool } from '../../../../src-main/core/workflows/tool';
import { startWorkflowsCapability, type WorkflowsCapability } from '../../../../src-main/core/workflows/workflows-capability';
import { oneCabinet } from '../../../support/one-cabinet';
import { flush } from './helpers';

const admin: CallContext = { actor: 'ada', role: 'admin' };
const operator: CallContext = { actor: 'oscar', role: 'operator' };
const viewer: CallContext = { actor: 'vera', role: 'viewer' };

const device = (id: string, u: number): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: `${id}.dc`, sn: `SN-${id}`, uPosition: u, uHeight: 1, mgmtIp: `127.0.0.${u}`, snmpPort: 161,
  bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null, lifecycle: 'racked',
});

/** A tool whose schemas exercise each kind of field the catalogue words. */
const probe = tool({
  name: 'test.probe',
  title: 'Probe',
  kind: 'poll',
  idempotent: false,
  input: z.object({
    target: z.string().describe('the host to look at'),
    mode: z.enum(['fast', 'slow']).default('fast'),
    tries: z.number().int().optional(),
    tags: z.array(z.string()),
    note: z.string().nullable(),
  }),
  output: z.object({ up: z.boolean(), seen: z.array(z.number()), reason: z.string().optional() }),
  run: () => Promise.resolve({ status: 'pending' as const }),
}) as unknown as Tool;

interface Rig {
  readonly db: Db;
  readonly audit: AuditRepository;
  readonly inventory: InventoryRepository;
  cap: WorkflowsCapability;
  start(): WorkflowsCapability;
}

const dirs: string[] = [];
const caps: WorkflowsCapability[] = [];
afterEach(async () => {
  await Promise.all(caps.splice(0).map((c) => c.dispose()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function rig(path = ':memory:'): Rig {
  const db = openStore(path);
  const inventory = new InventoryRepository(db);
  if (!inventory.device('srv-1')) inventory.upsert(oneCabinet([device('srv-1', 1), device('srv-2', 2)]));
  const audit = new AuditRepository(db);
  // create-core's audit for the provisioning tools, as it should read: the entry's role (the launcher's), else operator.
  const deps = {
    device: (id: string) => inventory.device(id),
    cmdb: storeCmdb({ db, inventory, onRenamed: () => {} }),
    audit: (e) => audit.record({ ...e, role: e.role ?? 'operator' }),
  } as Partial<ProvisioningDeps> as ProvisioningDeps;
  const r: Rig = {
    db, audit, inventory, cap: null as never,
    start() {
      r.cap = startWorkflowsCapability({ store: { db, inventory }, hub: new EventHub(), tools: [cmdbSetTool(deps) as unknown as Tool, probe], templates: [], callbackBaseUrl: null });
      caps.push(r.cap);
      return r.cap;
    },
  };
  r.start();
  return r;
}

/** Per host: wait for an approval, then move the host to provisioning in the CMDB. */
const MOVE: WfTemplate = {
  id: 'move', name: 'Move to provisioning', params: [],
  steps: [
    { id: 'gate', tool: 'wf.approval', scope: 'run', inputs: { message: 'go?' } },
    { id: 'set', tool: 'cmdb.set', scope: 'host', inputs: { deviceId: '${host.id}', to: 'provisioning' } },
  ],
};

async function runToEnd(cap: WorkflowsCapability, runId: string): Promise<void> {
  const gate = () => cap.engine.task(runId, 'gate', '').state;
  for (let i = 0; i < 50 && gate() !== 'awaiting-approval'; i++) await flush();
  cap.api['workflows.approve']({ runId, stepId: 'gate' }, operator);
  for (let i = 0; i < 50 && cap.engine.summary(runId).state === 'running'; i++) await flush();
  expect(cap.engine.summary(runId).state).toBe('succeeded');
}

const cmdbRoles = (r: Rig) => r.audit.list({ action: 'cmdb.set' }).map((e) => `${e.actor}/${e.role}/${e.target}`).sort();

describe('workflows.tools', () => {
  it('lists every registered tool with its input and output fields from the schemas', () => {
    const { cap } = rig();
    const list = cap.api['workflows.tools']({}, viewer) as WfToolInfo[];
    expect(list.map((t) => t.name)).toEqual(['cmdb.set', 'http.callback', 'test.probe', 'wf.approval', 'wf.callback']);
    const byName = new Map(list.map((t) => [t.name, t]));
    expect(byName.get('test.probe')).toEqual({
      name: 'test.probe', title: 'Probe', kind: 'poll', idempotent: false,
      inputs: [
        { name: 'target', type: 'string', optional: false, description: 'the host to look at' },
        { name: 'mode', type: 'string', optional: true, choices: ['fast', 'slow'], default: 'fast' },
        { name: 'tries', type: 'integer', optional: true },
        { name: 'tags', type: 'string[]', optional: false },
        { name: 'note', type: 'string | null', optional: false },
      ],
      outputs: [
        { name: 'up', type: 'boolean', optional: false },
        { name: 'seen', type: 'number[]', optional: false },
        { name: 'reason', type: 'string', optional: true },
      ],
    });
    expect(byName.get('http.callback')).toMatchObject({
      kind: 'sync', idempotent: true,
      inputs: [
        { name: 'method', type: 'string', optional: false },
        { name: 'url', type: 'string', optional: false },
        { name: 'body', type: 'object', optional: true, default: {} },
        { name: 'headers', type: 'object', optional: true },
      ],
      outputs: [{ name: 'idempotencyKey', type: 'string' }, { name: 'method', type: 'string' }, { name: 'url', type: 'string' }],
    });
    const set = byName.get('cmdb.set')!;
    expect(set.inputs.find((f) => f.name === 'to')).toEqual({ name: 'to', type: 'string', optional: false, choices: ['racked', 'provisioning', 'online', 'offline', 'maintenance', 'retired'] });
    expect(set.inputs.find((f) => f.name === 'expectedFrom')?.optional).toBe(true);
    expect(byName.get('wf.approval')?.kind).toBe('approval');
  });

  it('answers one tool by name, and NOT_FOUND for a tool no one registered', () => {
    const { cap } = rig();
    expect((cap.api['workflows.tools']({ name: 'wf.callback' }, viewer) as WfToolInfo[]).map((t) => t.name)).toEqual(['wf.callback']);
    expect(() => cap.api['workflows.tools']({ name: 'bmc.nothing' }, viewer)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('the launcher role', () => {
  it('records the role on the run at launch, and the tools audit with it', async () => {
    const r = rig();
    r.cap.engine.saveTemplate(MOVE, 'ada');
    const byAdmin = (r.cap.api['workflows.launch']({ templateId: 'move', params: {}, deviceIds: ['srv-1'] }, admin) as { id: string }).id;
    const byOperator = (r.cap.api['workflows.launch']({ templateId: 'move', params: {}, deviceIds: ['srv-2'] }, operator) as { id: string }).id;
    const role = (id: string) => (r.db.prepare('SELECT launched_role AS role FROM wf_runs WHERE id = ?').get(id) as { role: string | null }).role;
    expect([role(byAdmin), role(byOperator)]).toEqual(['admin', 'operator']);
    await runToEnd(r.cap, byAdmin);
    await runToEnd(r.cap, byOperator);
    expect(cmdbRoles(r)).toEqual(['ada/admin/srv-1.dc (srv-1)', 'oscar/operator/srv-2.dc (srv-2)']);
  });

  it('writes nothing when the launch is refused', () => {
    const r = rig();
    r.cap.engine.saveTemplate(MOVE, 'ada');
    expect(() => r.cap.api['workflows.launch']({ templateId: 'move', params: {}, deviceIds: ['srv-9'] }, admin)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(r.db.prepare('SELECT COUNT(*) AS n FROM wf_runs').get()).toEqual({ n: 0 });
  });

  it('keeps it across a restart, and reads a run from before migration 11 as operator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-wf-role-'));
    dirs.push(dir);
    const first = rig(join(dir, 'store.db'));
    first.cap.engine.saveTemplate(MOVE, 'ada');
    const resumed = (first.cap.api['workflows.launch']({ templateId: 'move', params: {}, deviceIds: ['srv-1'] }, admin) as { id: string }).id;
    const older = (first.cap.api['workflows.launch']({ templateId: 'move', params: {}, deviceIds: ['srv-2'] }, admin) as { id: string }).id;
    await flush();
    await first.cap.dispose();
    first.db.prepare('UPDATE wf_runs SET launched_role = NULL WHERE id = ?').run(older);
    first.db.close();

    const second = rig(join(dir, 'store.db'));
    await runToEnd(second.cap, resumed);
    await runToEnd(second.cap, older);
    expect(cmdbRoles(second)).toEqual(['ada/admin/srv-1.dc (srv-1)', 'ada/operator/srv-2.dc (srv-2)']);
    second.db.close();
  });
});
