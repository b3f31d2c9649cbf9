// system.check and ssh.acceptNewHostKey against OpenSSH's sshd on this machine (a real Linux:
// its own /etc/os-release, uname, lsblk and ip, compared with what the same programs print
// here), and a real host-key change: the peer regenerates its host key (a reinstall), the
// check is refused naming both fingerprints, ssh.acceptNewHostKey pins the new one (the
// fingerprints ssh-keygen prints, audited) and the host is read again. sshd on 127.47.2.1:17249.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../src-shared/domain';
import { createCredentialResolver } from '../../../src-main/core/credentials/credential-resolver';
import { provisioningTools, type ProvisioningAuditEntry, type ProvisioningDeps } from '../../../src-main/core/provisioning';
import { parseIpLink, parseLsblk, parseOsRelease } from '../../../src-main/core/provisioning/system-facts';
import { createSshPool, type SshPool } from '../../../src-main/core/protocols/ssh';
import { BindingRepository } from '../../../src-main/core/store/binding-repository';
import { CredentialRepository } from '../../../src-main/core/store/credential-repository';
import { openStore, type Db } from '../../../src-main/core/store/database';
import { HostKeyRepository } from '../../../src-main/core/store/host-key-repository';
import { InventoryRepository } from '../../../src-main/core/store/inventory-repository';
import { SecretBox } from '../../../src-main/core/security/secret-box';
import type { Tool, ToolContext } from '../../../src-main/core/workflows/tool';
import { oneCabinet } from '../../support/one-cabinet';
import { sshdCheck, startSshd, type SshdPeer } from '../ssh/sshd-peer';

const check = sshdCheck();
const AT = { address: '127.47.2.1', port: 17249 };

let sshd: SshdPeer;
let db: Db;
let pool: SshPool;
let hostKeys: HostKeyRepository;
let tools: Tool[];
const audits: ProvisioningAuditEntry[] = [];
let device: Device;

const ctx: ToolContext = { runId: 'sshd', stepId: 'step', host: null, attempt: 1, signal: new AbortController().signal, log: () => {}, callbackUrl: null, pollState: null, check: 0, actor: 'ops-sshd' };
async function run(name: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const t = tools.find((x) => x.name === name)!;
  const r = await t.run(ctx, t.input.parse(input) as never);
  if (r.status !== 'done') throw new Error(`${name} did not finish`);
  return t.output.parse(r.output) as Record<string, unknown>;
}
const here = (cmd: string, ...args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' });

describe.skipIf(check.skip)(`system.check against sshd on this Linux${check.skip ? ` (skipped: ${check.reason})` : ''}`, () => {
  beforeAll(async () => {
    if (check.missing.length) throw new Error(`CI needs sshd: ${check.reason}`);
    sshd = await startSshd(AT);
    device = {
      id: 'real-1', cabinetId: 'c', kind: 'server', hostname: 'real-1', sn: 'REAL-1', uPosition: 1, uHeight: 1, mgmtIp: AT.address, snmpPort: 161,
      bmcAddress: null, bmcPort: 623, sshPort: AT.port, snmpCredential: null, sshCredential: 'real-ssh', ipmiCredential: null, serviceTree: null,
    };
    db = openStore(':memory:');
    const credentials = new CredentialRepository(db, new SecretBox(randomBytes(32)));
    credentials.put('real-ssh', 'ssh-key', 'sshd peer key', JSON.stringify({ username: sshd.username, privateKey: sshd.clientKey.privateKey }));
    const inventory = new InventoryRepository(db);
    inventory.upsert(oneCabinet([device]));
    const resolver = createCredentialResolver(credentials, new BindingRepository(db));
    hostKeys = new HostKeyRepository(db);
    pool = createSshPool({ hostKeys, credentials: (id) => resolver.login(id), connectTimeoutMs: 5000 });
    const deps = {
      device: (id: string) => inventory.device(id), ssh: { pool }, hostKeys, credentials: resolver, audit: (e: ProvisioningAuditEntry) => void audits.push(e),
    } as Partial<ProvisioningDeps> as ProvisioningDeps;
    tools = provisioningTools(deps);
  }, 30_000);

  afterAll(async () => {
    await pool?.dispose();
    db?.close();
    await sshd?.stop();
  });

  it('reads what this machine says of itself: release, kernel, hostname, disks and NICs', async () => {
    const r = await run('system.check', { deviceId: device.id, expect: 'installed' });
    const os = parseOsRelease(readFileSync('/etc/os-release', 'utf8'))!;
    expect(r).toMatchObject({ reachable: true, osId: os.id, osVersion: os.versionId, os: os.prettyName, kernel: here('uname', '-r').trim(), hostname: here('hostname').trim(), missing: [] });
    expect(r.hostKeyFingerprint).toBe(sshd.hostFingerprint);
    const disks = parseLsblk(here('lsblk', '-J', '-b', '-d', '-o', 'NAME,SIZE,TYPE,MODEL,ROTA'))!;
    expect((r.diskList as { name: string }[]).map((d) => d.name)).toEqual(disks.map((d) => d.name));
    const nics = parseIpLink(here('ip', '-j', 'link', 'show'))!;
    expect((r.nicList as { name: string }[]).map((n) => n.name)).toEqual(nics.map((n) => n.name));
    expect(r.nics).toBe(nics.filter((n) => !n.loopback).length);
  });

  it('after a new host key: system.check refuses naming both, ssh.acceptNewHostKey pins the new one, audited', async () => {
    const old = sshd.hostFingerprint;
    expect(hostKeys.get(AT.address, AT.port)).toBe(old);
    await sshd.regenerateHostKey();
    await pool.closeHost(AT.address, AT.port);
    const fresh = sshd.hostFingerprint;
    expect(fresh).not.toBe(old);
    await expect(run('system.check', { deviceId: device.id })).rejects.toThrow(`presents another SSH host key than the one pinned (pinned ${old}, offered ${fresh})`);
    const k = await run('ssh.acceptNewHostKey', { deviceId: device.id, expectHostname: here('hostname').trim(), requireChange: true });
    expect(k).toMatchObject({ changed: true, oldFingerprint: old, newFingerprint: fresh });
    expect(hostKeys.get(AT.address, AT.port)).toBe(fresh);
    expect(audits.at(-1)).toMatchObject({ actor: 'ops-sshd', action: 'ssh.acceptNewHostKey', outcome: 'succeeded', detail: expect.stringContaining(`old ${old}, new ${fresh}`) });
    expect(await run('system.check', { deviceId: device.id })).toMatchObject({ reachable: true, hostKeyFingerprint: fresh });
  });
});
