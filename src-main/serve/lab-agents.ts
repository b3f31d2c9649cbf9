// serve --lab-agents N: the console on its lab fleet with the agent already on N lab hosts, so
// the agents view and the probe matrix have live data from the first minute. It is what an
// operator would do by hand: the agent-deploy workflow (SSH, upload, enrol, activate) launched
// on N of the lab's SSH hosts, as the operator "serve --lab-agents" (audited like any launch).
// The hosts are spread over the lab's rows (one per row in turn, lowest device id first), so
// each ToR has servers probing; hosts with an agent enrolled already are left as they are (a
// restart deploys nothing again). Lab hosts never run the shipped Node runtime (the lab runs the
// agent code itself), so unless --agent-runtime names one, a 1 MiB stand-in is shipped instead.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InventoryDocument } from '../../src-shared/domain';
import type { Core } from '../core/create-core';

const ACTOR = { actor: 'serve --lab-agents', role: 'operator' } as const;

/** Up to n servers with an SSH login, one row at a time (round robin), lowest id first in each row. */
export function spreadOverRows(doc: InventoryDocument, n: number, skip: ReadonlySet<string>): string[] {
  const rowOf = new Map(doc.cabinets.map((c) => [c.id, c.rowId]));
  const byRow = new Map<string, string[]>();
  for (const d of doc.devices) {
    if (d.kind !== 'server' || !d.sshCredential || skip.has(d.id)) continue;
    const row = rowOf.get(d.cabinetId ?? '') ?? '';
    const list = byRow.get(row) ?? [];
    list.push(d.id);
    byRow.set(row, list);
  }
  const rows = [...byRow.keys()].sort().map((r) => byRow.get(r)!.sort());
  const out: string[] = [];
  for (let k = 0; out.length < n && rows.some((r) => k < r.length); k++) for (const r of rows) if (k < r.length && out.length < n) out.push(r[k]);
  return out;
}

export async function deployLabAgents(core: Core, n: number, log: (line: string) => void): Promise<string | null> {
  const doc = JSON.parse((await core.api.call(ACTOR, 'inventory.export', { format: 'json' })).text) as InventoryDocument;
  const have = (await core.api.call(ACTOR, 'agents.list', undefined)).filter((a) => a.state !== 'revoked' && a.deviceId);
  const wanted = Math.max(0, n - have.length);
  const hosts = spreadOverRows(doc, wanted, new Set(have.map((a) => a.deviceId!)));
  if (!hosts.length) {
    log(`lab agents: ${have.length} already enrolled, none to deploy`);
    return null;
  }
  const run = await core.api.call(ACTOR, 'workflows.launch', { templateId: 'agent-deploy', deviceIds: hosts, params: {} });
  log(`lab agents: deploying the agent to ${hosts.length} lab hosts (workflow run ${run.id})`);
  return run.id;
}

/** A 1 MiB stand-in for the Node runtime the deploy ships once per host (lab hosts never run it), in the data dir. */
export function labRuntimeStandIn(dataDir: string): string {
  const file = join(dataDir, 'lab-node-stand-in');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, Buffer.alloc(1024 * 1024, 0x7f), { mode: 0o755 });
  }
  return file;
}
