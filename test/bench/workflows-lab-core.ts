// Support for test/bench/workflows-lab.ts: the workflow part of a core over a lab fleet, wired
// as create-core.ts wires it (the store, events, credentials, audit, the BMC service with no
// sensor sweep, the SSH pool, the provisioning tools, the workflows capability, the api) but
// with every tool's run() timed, which createCore's closed tool list does not allow. The SNMP
// poller, trap receiver, search and the lab link itself are left out: the lab runs in the
// benchmark's own process (a fleet that outlives the console), its logins and inventory
// written to the store as the lab module writes them (seedLabStore). Also the 7-step read-only
// template the benchmark runs, and the tools-only baseline (the same tool calls, no engine).
import type { Handlers } from '../../src-shared/api';
import type { Device } from '../../src-shared/domain';
import type { WfTemplate } from '../../src-shared/domain/workflow';
import { LAB_IPMI_CREDENTIAL, LAB_SNMP_CREDENTIAL, LAB_SSH_CREDENTIAL } from '../../src-shared/lab-protocol';
import { DisposableStore } from '../../src-shared/lifecycle';
import { createCoreApi, type CoreApi } from '../../src-main/core/api/core-api';
import { startAudit } from '../../src-main/core/audit/audit-module';
import { startCredentials } from '../../src-main/core/credentials/credentials-module';
import { startDeviceControl } from '../../src-main/core/device-control/device-control-module';
import { startEvents } from '../../src-main/core/events/events-module';
import type { LabLink } from '../../src-main/core/lab-link/lab-link';
import { provisioningTools, storeCmdb } from '../../src-main/core/provisioning';
import { startRun } from '../../src-main/core/run/run-module';
import { openCoreStore, type CoreStore } from '../../src-main/core/store/core-store';
import type { WorkflowEngine } from '../../src-main/core/workflows/engine';
import type { Tool, ToolContext } from '../../src-main/core/workflows/tool';
import { startWorkflowsCapability } from '../../src-main/core/workflows/workflows-capability';
import { BUILTIN_TOOLS } from '../../src-main/core/workflows/workflows-module';

const HOST = '${host.id}';
const ALL_STATES = ['racked', 'provisioning', 'online', 'offline', 'maintenance', 'retired'];

/**
 * Seven read-only steps over real tools that succeed on every lab server with a BMC. host.ping
 * probes the SSH port by TCP (loopback): the lab's SSH hosts (every tenth server) answer it
 * ('up'), the rest refuse it ('down'); the launch says which by the `ping` param.
 */
export const LAB_FLOW: WfTemplate = {
  id: 'bench-lab-inspect', name: 'Bench: lab inspection (read-only)',
  params: [{ name: 'url', type: 'string', required: true }, { name: 'ping', type: 'string', required: true }],
  steps: [
    { id: 'cmdb_check', tool: 'cmdb.check', scope: 'host', inputs: { deviceId: HOST, expect: ALL_STATES, expectSn: '${host.sn}' } },
    { id: 'bmc_status', tool: 'bmc.status', scope: 'host', inputs: { deviceId: HOST } },
    { id: 'check_system', tool: 'system.check', scope: 'host', inputs: { deviceId: HOST, expect: 'any', timeoutMs: 20_000 } },
    { id: 'bmc_sel', tool: 'bmc.status', scope: 'host', inputs: { deviceId: HOST, expectPower: '${steps.bmc_status.outputs.power}', allowUnreachable: true } },
    { id: 'host_ping', tool: 'host.ping', scope: 'host', inputs: { deviceId: HOST, method: 'tcp', expect: '${params.ping}', count: 1 }, poll: { intervalMs: 500, deadlineMs: 60_000 } },
    { id: 'cmdb_recheck', tool: 'cmdb.check', scope: 'host', inputs: { deviceId: HOST, expect: ['${steps.cmdb_check.outputs.lifecycle}'] } },
    { id: 'callback', tool: 'http.callback', scope: 'host', inputs: { method: 'POST', url: '${params.url}', body: { sn: '${host.sn}', power: '${steps.bmc_status.outputs.power}', os: '${steps.check_system.outputs.os}' } } },
  ],
};
export const LAB_FLOW_STEPS = LAB_FLOW.steps.length;
/** The ping param of a lab server: its SSH port answers only on the lab's SSH hosts. */
export const pingOf = (d: Pick<Device, 'sshCredential'>): 'up' | 'down' => (d.sshCredential ? 'up' : 'down');

/** Writes the lab's logins and inventory to a store file, as the lab module does at start. */
export function seedLabStore(storePath: string, secretKey: Buffer, lab: LabLink): void {
  const store = openCoreStore({ storePath, secretKey });
  try {
    store.credentials.put(LAB_SNMP_CREDENTIAL, 'snmp-community', 'Lab fleet SNMP v2c community', lab.community);
    store.credentials.put(LAB_SSH_CREDENTIAL, 'ssh-password', 'Lab fleet SSH login', JSON.stringify(lab.credentials.ssh));
    store.credentials.put(LAB_IPMI_CREDENTIAL, 'ipmi', 'Lab fleet BMC login', JSON.stringify(lab.credentials.ipmi));
    store.inventory.upsert(lab.inventory);
  } finally {
    store.db.close();
  }
}

/** Sum of tool run() wall times, by tool (a call's time runs from run() to its settling). */
export class ToolClock {
  ms = 0;
  calls = 0;
  readonly byTool = new Map<string, { ms: number; calls: number }>();
  wrap(t: Tool): Tool {
    const run = async (ctx: ToolContext, input: never) => {
      const t0 = performance.now();
      try {
        return await t.run(ctx, input);
      } finally {
        const ms = performance.now() - t0;
        this.ms += ms;
        this.calls++;
        const b = this.byTool.get(t.name) ?? { ms: 0, calls: 0 };
        b.ms += ms;
        b.calls++;
        this.byTool.set(t.name, b);
      }
    };
    return { ...t, run } as Tool;
  }
  reset(): void {
    this.ms = 0;
    this.calls = 0;
    this.byTool.clear();
  }
}

export interface BenchCore {
  readonly api: CoreApi;
  readonly engine: WorkflowEngine;
  readonly store: CoreStore;
  /** Every tool the engine runs (provisioning's and the built-ins), timed. */
  readonly tools: readonly Tool[];
  /** ms spent in startWorkflowsCapability (the engine's start(): the journal read and resumed runs). */
  readonly engineStartMs: number;
  dispose(): Promise<void>;
}

export function startBenchCore(opts: { storePath: string; secretKey: Buffer; clock: ToolClock; maxConcurrent?: number }): BenchCore {
  const owned = new DisposableStore();
  const store = owned.add(openCoreStore({ storePath: opts.storePath, secretKey: opts.secretKey }));
  const events = owned.add(startEvents({ store }));
  const credentials = owned.add(startCredentials({ store }));
  const audit = owned.add(startAudit({ store }));
  const control = owned.add(startDeviceControl({ store, credentials: credentials.resolver, record: events.record, bmcSensors: false }));
  const run = owned.add(startRun({ store, credentials: credentials.resolver, hub: events.hub, record: events.record }));
  const given = provisioningTools({
    device: (id) => store.inventory.device(id),
    bmc: control.bmc,
    ssh: run.ssh,
    hostKeys: store.hostKeys,
    credentials: credentials.resolver,
    cmdb: storeCmdb({ db: store.db, inventory: store.inventory, onRenamed: () => {} }),
    audit: (e) => store.audit.record({ ...e, role: 'operator' }),
    pxe: null,
  });
  // The built-ins (http.callback...) are timed too: tools given by the same name replace them.
  const tools = [...given, ...BUILTIN_TOOLS].map((t) => opts.clock.wrap(t));
  const t0 = performance.now();
  const workflows = owned.add(startWorkflowsCapability({ store, hub: events.hub, tools, templates: [], callbackBaseUrl: null, maxConcurrent: opts.maxConcurrent }));
  const engineStartMs = performance.now() - t0;
  const handlers = { ...credentials.api, ...audit.api, ...control.api, ...run.api, ...workflows.api } as unknown as Handlers;
  const api = createCoreApi(handlers, events.hub, store.audit);
  return { api, engine: workflows.engine, store, tools, engineStartMs, dispose: () => owned.dispose() };
}

/** The tools-only baseline's calls: LAB_FLOW's steps for one host, bound by hand. */
type Step = { tool: string; inputs: (out: Record<string, Record<string, unknown>>) => Record<string, unknown>; pollMs?: number };
const baselineSteps = (d: Device, url: string): Step[] => [
  { tool: 'cmdb.check', inputs: () => ({ deviceId: d.id, expect: ALL_STATES, expectSn: d.sn }) },
  { tool: 'bmc.status', inputs: () => ({ deviceId: d.id }) },
  { tool: 'system.check', inputs: () => ({ deviceId: d.id, expect: 'any', timeoutMs: 20_000 }) },
  { tool: 'bmc.status', inputs: (o) => ({ deviceId: d.id, expectPower: o['bmc.status'].power, allowUnreachable: true }) },
  { tool: 'host.ping', inputs: () => ({ deviceId: d.id, method: 'tcp', expect: pingOf(d), count: 1 }), pollMs: 500 },
  { tool: 'cmdb.check', inputs: (o) => ({ deviceId: d.id, expect: [o['cmdb.check'].lifecycle] }) },
  { tool: 'http.callback', inputs: (o) => ({ method: 'POST', url, body: { sn: d.sn, power: o['bmc.status'].power, os: o['system.check'].os } }) },
];

/**
 * The same tool calls as LAB_FLOW's runs, with no engine: one chain of seven calls per host,
 * all hosts at once, at most `concurrency` calls in flight (the engine's maxConcurrent); each
 * input parsed by the tool's schema, a poll step called again after its interval, and the
 * callback's outbox message POSTed at once (what the engine's outbox sends). Nothing is
 * journaled. Returns the hosts that failed (with the first error).
 */
export async function toolsOnly(tools: readonly Tool[], hosts: readonly Device[], url: string, concurrency: number): Promise<{ failed: number; firstError: string | null }> {
  const byName = new Map(tools.map((t) => [t.name, t]));
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<void> => {
    if (inFlight < concurrency) {
      inFlight++;
      return;
    }
    await new Promise<void>((r) => waiting.push(r));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  };
  const signal = new AbortController().signal;
  let failed = 0;
  let firstError: string | null = null;
  await Promise.all(hosts.map(async (d) => {
    const out: Record<string, Record<string, unknown>> = {};
    try {
      for (const [i, s] of baselineSteps(d, url).entries()) {
        const t = byName.get(s.tool)!;
        const input = t.input.parse(s.inputs(out)) as never;
        for (let check = 0; ; check++) {
          const ctx: ToolContext = {
            runId: 'baseline', stepId: `s${i}`, host: { id: d.id, hostname: d.hostname, sn: d.sn }, attempt: 1, signal, log: () => {},
            callbackUrl: null, pollState: null, check, actor: 'bench',
          };
          await slot();
          let r;
          try {
            r = await t.run(ctx, input);
          } finally {
            release();
          }
          if (r.status === 'done') {
            out[s.tool] = r.output as Record<string, unknown>;
            if (r.outbox) {
              const res = await fetch(r.outbox.url, { method: r.outbox.method, headers: { 'content-type': 'application/json', 'idempotency-key': `baseline/${d.id}` }, body: JSON.stringify(r.outbox.body) });
              await res.arrayBuffer();
            }
            break;
          }
          await new Promise((res) => setTimeout(res, s.pollMs ?? 500));
        }
      }
    } catch (err) {
      failed++;
      firstError ??= `${d.id}: ${(err as Error).message}`;
    }
  }));
  return { failed, firstError };
}
