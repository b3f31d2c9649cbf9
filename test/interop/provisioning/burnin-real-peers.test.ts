// burnin.run on real peers: the host is OpenSSH's sshd on this machine (a real sh starts and
// stops the load), its BMC OpenIPMI's ipmi_sim (its sensor readings and SEL). The load here is
// a harmless stand-in (sleep, in its own session, by the same setsid/pid/kill-by-group path the
// default uses): this is a shared 2-core machine, so the default's busy loops are only parsed
// by sh -n. A temperature over its limit fails the run and stops the load; so does a critical
// event entering the SEL during the run (added with ipmitool raw Add SEL Entry: Upper Critical going high).
// sshd on 127.47.2.2:17250, ipmi_sim on 127.47.1.1:17148.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../src-shared/domain';
import { createCredentialResolver } from '../../../src-main/core/credentials/credential-resolver';
import { createBmcService, type BmcService } from '../../../src-main/core/device-control/bmc-service';
import { provisioningTools, type ProvisioningDeps } from '../../../src-main/core/provisioning';
import { loadCommand } from '../../../src-main/core/provisioning/burnin';
import { createSshPool, type SshPool } from '../../../src-main/core/protocols/ssh';
import { BindingRepository } from '../../../src-main/core/store/binding-repository';
import { CredentialRepository } from '../../../src-main/core/store/credential-repository';
import { openStore, type Db } from '../../../src-main/core/store/database';
import { HostKeyRepository } from '../../../src-main/core/store/host-key-repository';
import { InventoryRepository } from '../../../src-main/core/store/inventory-repository';
import { SecretBox } from '../../../src-main/core/security/secret-box';
import type { Tool, ToolContext } from '../../../src-main/core/workflows/tool';
import { alive, until } from '../../support/handles';
import { oneCabinet } from '../../support/one-cabinet';
import { callTool } from '../../integration/provisioning/support';
import { ipmitool, IPMI_SIM, IPMITOOL, peerCheck } from '../ipmi/peers';
import { sshdCheck, startSshd, type SshdPeer } from '../ssh/sshd-peer';
import { startSim, type Sim } from './sim-peer';

const ipmi = peerCheck([IPMI_SIM, IPMITOOL]);
const ssh = sshdCheck();
const skip = ipmi.skip || ssh.skip;
const BMC = { address: '127.47.1.1', port: 17148 };
const HOST = { address: '127.47.2.2', port: 17250 };
const LOGIN = { username: 'admin', password: 'secret' };
const SLEEP = 'setsid sleep {seconds} >/dev/null 2>&1 </dev/null & echo $!';

let sim: Sim;
let sshd: SshdPeer;
let db: Db;
let bmc: BmcService;
let pool: SshPool;
let burnin: Tool;
let device: Device;
const logs: string[] = [];
const ctx = (check: number, pollState: unknown): ToolContext => ({
  runId: 'burn', stepId: 'burnin', host: null, attempt: 1, signal: new AbortController().signal, log: (l, level = 'info') => void logs.push(`${level}: ${l}`),
  callbackUrl: null, pollState, check, actor: 'ops',
});

describe.skipIf(skip)(`burnin.run on sshd and ipmi_sim${skip ? ` (skipped: ${ipmi.reason || ssh.reason})` : ''}`, () => {
  beforeAll(async () => {
    if (ipmi.missing.length || ssh.missing.length) throw new Error(`CI needs sshd and the IPMI peers: ${ipmi.reason} ${ssh.reason}`);
    sim = await startSim(BMC);
    sshd = await startSshd(HOST);
    device = {
      id: 'burn-1', cabinetId: 'c', kind: 'server', hostname: 'burn-1', sn: 'BURN-1', uPosition: 1, uHeight: 1, mgmtIp: HOST.address, snmpPort: 161,
      bmcAddress: BMC.address, bmcPort: BMC.port, sshPort: HOST.port, snmpCredential: null, sshCredential: 'burn-ssh', ipmiCredential: 'burn-bmc', serviceTree: null,
    };
    db = openStore(':memory:');
    const credentials = new CredentialRepository(db, new SecretBox(randomBytes(32)));
    credentials.put('burn-ssh', 'ssh-key', 'sshd peer key', JSON.stringify({ username: sshd.username, privateKey: sshd.clientKey.privateKey }));
    credentials.put('burn-bmc', 'ipmi', 'ipmi_sim admin', JSON.stringify(LOGIN));
    const inventory = new InventoryRepository(db);
    inventory.upsert(oneCabinet([device]));
    const resolver = createCredentialResolver(credentials, new BindingRepository(db));
    bmc = createBmcService({ device: (id) => inventory.device(id), credentials: resolver, record: () => {} });
    pool = createSshPool({ hostKeys: new HostKeyRepository(db), credentials: (id) => resolver.login(id), connectTimeoutMs: 5000 });
    const deps = { device: (id: string) => inventory.device(id), bmc, ssh: { pool }, credentials: resolver } as Partial<ProvisioningDeps> as ProvisioningDeps;
    burnin = provisioningTools(deps).find((t) => t.name === 'burnin.run')!;
  }, 30_000);

  afterAll(async () => {
    await pool?.dispose();
    await bmc?.dispose();
    db?.close();
    await sshd?.stop();
    await sim?.stop();
  });

  it('starts the load by its process group, watches the BMC for the time asked, then stops it', async () => {
    const r = await callTool(burnin, { deviceId: device.id, minutes: 0.04, requireLoad: true, loadCommand: SLEEP }, { intervalMs: 400 });
    expect(r.result).toMatchObject({ status: 'done', output: { loadStarted: true, newSelCritical: 0, peakTempC: 83.5, peakInletTempC: 24 } });
    const pid = Number(/process group (\d+)/.exec(r.logs.find((l) => l.includes('CPU load started')) ?? '')?.[1]);
    expect(pid).toBeGreaterThan(1);
    expect(r.logs.some((l) => l.includes(`load stopped (process group ${pid})`))).toBe(true);
    await until('the load gone', () => !alive(pid) || undefined, 5000);
  });

  it('fails past a temperature limit, stopping the load', async () => {
    const input = burnin.input.parse({ deviceId: device.id, minutes: 5, maxTempC: 80, loadCommand: SLEEP });
    const first = await burnin.run(ctx(0, null), input as never);
    const state = (first as { state: { loadPid: number } }).state;
    expect(alive(state.loadPid)).toBe(true);
    const err = await burnin.run(ctx(1, state), input as never).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/burn-1 failed the burn-in after \d+ s: CPU Temp 83\.5 C \(limit 80 C\)/);
    expect(logs.at(-1)).toBe(`info: burn-1: load stopped (process group ${state.loadPid})`);
    await until('the load stopped', () => !alive(state.loadPid) || undefined, 5000);
  });

  it('fails when a critical event enters the SEL during the run', async () => {
    const input = burnin.input.parse({ deviceId: device.id, minutes: 5, loadCommand: SLEEP });
    // The first call notes the SEL's newest record and starts the load; then the event arrives.
    const first = await burnin.run(ctx(0, null), input as never);
    expect(first.status).toBe('pending');
    const state = (first as { state: { loadPid: number } }).state;
    // Add SEL Entry (ipmi_sim has no Platform Event Message): Inlet Temp (temperature #1), threshold, Upper Critical going high.
    await ipmitool({ ...BMC, ...LOGIN, cipherSuite: 3 }, ['raw', '0x0a', '0x44', '0x00', '0x00', '0x02', '0x00', '0x00', '0x00', '0x00', '0x20', '0x00', '0x04', '0x01', '0x01', '0x01', '0x59', '0x30', '0x2a']);
    const err = await burnin.run(ctx(1, state), input as never).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/failed the burn-in after \d+ s: 1 new critical SEL entry \(#\d+ .*: Upper Critical going high\)/);
    await until('the load stopped', () => !alive(state.loadPid) || undefined, 5000);
  });

  it('ships a default load sh accepts', () => {
    expect(() => execFileSync('sh', ['-n', '-c', loadCommand(60)])).not.toThrow();
    expect(loadCommand(90)).toMatch(/^setsid sh -c '.*stress-ng --cpu 0 --timeout 90s.*timeout 90 sh -c "while :; do :; done".*' >\/dev\/null 2>&1 <\/dev\/null & echo \$!$/);
  });
});
