// What the provisioning integration tests share: a lab fleet in this process (its real SNMP,
// SSH and BMC peers on loopback aliases) stored as the core stores it (inventory, the lab's
// logins and their bindings, in SQLite), with the console's own BMC service, SSH pool
// (pinning host keys in the store's repository) and credential resolver behind the
// provisioning tools; an audit trail; a way to call a tool as the engine would (polls
// included); and an HTTP receiver for the engine's one-time callback URLs.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEntry, Device } from '../../../src-shared/domain';
import { LAB_IPMI_CREDENTIAL, LAB_SNMP_CREDENTIAL, LAB_SSH_CREDENTIAL } from '../../../src-shared/lab-protocol';
import { createCredentialResolver, type CredentialResolver } from '../../../src-main/core/credentials/credential-resolver';
import { createBmcService, type BmcService } from '../../../src-main/core/device-control/bmc-service';
import { labPxe, provisioningTools, storeCmdb, type ProvisioningDeps } from '../../../src-main/core/provisioning';
import { createSshPool, type SshPool } from '../../../src-main/core/protocols/ssh';
import { AuditRepository } from '../../../src-main/core/store/audit-repository';
import { BindingRepository } from '../../../src-main/core/store/binding-repository';
import { CredentialRepository } from '../../../src-main/core/store/credential-repository';
import { openStore, type Db } from '../../../src-main/core/store/database';
import { HostKeyRepository } from '../../../src-main/core/store/host-key-repository';
import { InventoryRepository } from '../../../src-main/core/store/inventory-repository';
import { SecretBox } from '../../../src-main/core/security/secret-box';
import type { Tool, ToolContext, ToolHost, ToolResult } from '../../../src-main/core/workflows/tool';
import type { WorkflowEngine } from '../../../src-main/core/workflows/engine';
import { startLabFleet, type LabFleet } from '../../../src-main/lab/lab-fleet';
import type { LabStartOptions } from '../../../src-shared/lab-protocol';

export interface Rig {
  readonly fleet: LabFleet;
  readonly db: Db;
  readonly inventory: InventoryRepository;
  readonly hostKeys: HostKeyRepository;
  readonly audit: AuditRepository;
  readonly resolver: CredentialResolver;
  readonly bmc: BmcService;
  readonly pool: SshPool;
  readonly deps: ProvisioningDeps;
  readonly tools: Tool[];
  tool(name: string): Tool;
  /** Lab servers with a BMC and an SSH login (the lab gives every tenth server SSH), in inventory order. */
  servers(): Device[];
  auditOf(action: string): AuditEntry[];
  close(): Promise<void>;
}

export async function startRig(o: Pick<LabStartOptions, 'seed' | 'addressPrefix' | 'snmpPort'> & { devices?: number; pxeTimeoutMs?: number }): Promise<Rig> {
  const fleet = await startLabFleet({
    seed: o.seed, size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 6, devices: o.devices ?? 100 },
    community: `provisioning-${o.seed}`, snmpPort: o.snmpPort, addressPrefix: o.addressPrefix,
  }, undefined, { pxeTimeoutMs: o.pxeTimeoutMs ?? 1500, callbackBackoffMs: [100, 200, 400] });
  const db = openStore(':memory:');
  const credentials = new CredentialRepository(db, new SecretBox(randomBytes(32)));
  // As the lab module stores them: the lab's logins, then its inventory (bound by the system).
  credentials.put(LAB_SNMP_CREDENTIAL, 'snmp-community', 'Lab fleet SNMP v2c community', `provisioning-${o.seed}`);
  credentials.put(LAB_SSH_CREDENTIAL, 'ssh-password', 'Lab fleet SSH login', JSON.stringify(fleet.credentials.ssh));
  credentials.put(LAB_IPMI_CREDENTIAL, 'ipmi', 'Lab fleet BMC login', JSON.stringify(fleet.credentials.ipmi));
  const inventory = new InventoryRepository(db);
  inventory.upsert(fleet.inventory);
  const bindings = new BindingRepository(db);
  const resolver = createCredentialResolver(credentials, bindings);
  const hostKeys = new HostKeyRepository(db);
  const audit = new AuditRepository(db);
  const bmc = createBmcService({ device: (id) => inventory.device(id), credentials: resolver, record: () => {} });
  const pool = createSshPool({ hostKeys, credentials: (id) => resolver.login(id), connectTimeoutMs: 5000, idleTimeoutMs: 5000 });
  const deps: ProvisioningDeps = {
    device: (id) => inventory.device(id),
    bmc,
    ssh: { pool },
    hostKeys,
    credentials: resolver,
    cmdb: storeCmdb({ db, inventory }),
    audit: (e) => audit.record({ ...e, role: 'operator' }),
    pxe: labPxe(fleet),
  };
  const tools = provisioningTools(deps);
  return {
    fleet, db, inventory, hostKeys, audit, resolver, bmc, pool, deps, tools,
    tool: (name) => tools.find((t) => t.name === name)!,
    servers: () => inventory.document().devices.filter((d) => d.kind === 'server' && d.bmcAddress && d.sshCredential),
    auditOf: (action) => audit.list({ action }),
    async close() {
      await pool.dispose();
      await bmc.dispose();
      await fleet.close();
      db.close();
    },
  };
}

export interface Called {
  readonly result: ToolResult<Record<string, unknown>>;
  readonly logs: string[];
  readonly checks: number;
}

/**
 * Calls a tool as the engine would: input parsed by its schema, then (poll and callback tools)
 * its check every intervalMs until done or until `checks` checks; its output parsed by its
 * output schema. Throws what the tool throws.
 */
export async function callTool(t: Tool, raw: Record<string, unknown>, o: { host?: ToolHost; intervalMs?: number; checks?: number; signal?: AbortSignal; actor?: string } = {}): Promise<Called> {
  const input = t.input.parse(raw);
  const logs: string[] = [];
  let state: unknown = null;
  for (let check = 0; ; check++) {
    const ctx: ToolContext = {
      runId: 'direct', stepId: t.name, host: o.host ?? null, attempt: 1, signal: o.signal ?? new AbortController().signal,
      log: (line, level = 'info') => logs.push(`${level}: ${line}`), callbackUrl: null, pollState: state, check, actor: o.actor ?? 'ops-test',
    };
    const r = await t.run(ctx, input as never);
    if (r.status === 'done') return { result: { ...r, output: t.output.parse(r.output) as Record<string, unknown> }, logs, checks: check };
    if (t.kind === 'sync') throw new Error(`${t.name} returned pending`);
    if (check >= (o.checks ?? 1000)) return { result: r, logs, checks: check };
    state = r.state ?? null;
    await new Promise((resolve) => setTimeout(resolve, o.intervalMs ?? 200));
  }
}

export interface CallbackServer {
  /** The engine's baseUrl. */
  readonly base: string;
  /** Each call: the token's step outcome as HTTP status. */
  readonly calls: { status: number; body: unknown }[];
  close(): Promise<void>;
}

const STATUS: Record<string, number> = { VALIDATION: 400, NOT_FOUND: 404, CONFLICT: 409 };

/** POST /wf/callback/<token> -> engine.callback(token, body), as serve mode's route does (JSON body; refusals 400/404/409). */
export async function startCallbackServer(engine: () => WorkflowEngine): Promise<CallbackServer> {
  const calls: { status: number; body: unknown }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const token = /^\/wf\/callback\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '')?.[1];
      let status = 200;
      let body: unknown = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        if (req.method !== 'POST' || !token) status = 404;
        else engine().callback(token, body);
      } catch (err) {
        status = STATUS[(err as { code?: string }).code ?? ''] ?? 500;
      }
      calls.push({ status, body });
      res.writeHead(status, { connection: 'close' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
