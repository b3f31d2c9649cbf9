// The provisioning tools' IPMI side against OpenIPMI's ipmi_sim (a BMC simulator no one here
// wrote), checked against what ipmitool prints for it: bmc.status's power, SEL counts and
// sensor states through the console's BMC service and credential binding; bmc.power; and
// os.install's first call (one-time PXE boot override, then power on) with a recording PXE
// server. The simulator runs test/interop/ipmi's fixtures with its own address (127.47.0.1,
// port 17147) and one more SEL entry, a critical one (memory: uncorrectable ECC). Started
// and stopped by pid (sim-peer.ts).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../src-shared/domain';
import { createCredentialResolver } from '../../../src-main/core/credentials/credential-resolver';
import { createBmcService, type BmcService } from '../../../src-main/core/device-control/bmc-service';
import { provisioningTools, type InstallRequest, type ProvisioningDeps } from '../../../src-main/core/provisioning';
import { BindingRepository } from '../../../src-main/core/store/binding-repository';
import { CredentialRepository } from '../../../src-main/core/store/credential-repository';
import { openStore, type Db } from '../../../src-main/core/store/database';
import { InventoryRepository } from '../../../src-main/core/store/inventory-repository';
import { SecretBox } from '../../../src-main/core/security/secret-box';
import type { Tool, ToolContext } from '../../../src-main/core/workflows/tool';
import { oneCabinet } from '../../support/one-cabinet';
import { fields, ipmitool, IPMI_SIM, IPMITOOL, peerCheck, rows } from '../ipmi/peers';
import { startSim, type Sim } from './sim-peer';

const check = peerCheck([IPMI_SIM, IPMITOOL]);
const AT = { address: '127.47.0.1', port: 17147 };
const LOGIN = { username: 'admin', password: 'secret' };
const TARGET = { ...AT, ...LOGIN, cipherSuite: 3 as const };
// Memory (0x0c) sensor 0x09, sensor-specific (0x6f), offset 1: Uncorrectable ECC, asserted.
const ECC = 'sel_add 0x20 0x02 0x00 0x00 0x00 0x00 0x20 0x00 0x04 0x0c 0x09 0x6f 0x01 0xff 0xff';

const device: Device = {
  id: 'sim-1', cabinetId: 'c', kind: 'server', hostname: 'sim-1.lab', sn: 'SIM-0001', uPosition: 1, uHeight: 1, mgmtIp: '127.47.0.2', snmpPort: 161,
  bmcAddress: AT.address, bmcPort: AT.port, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: 'sim-bmc', serviceTree: null,
};

let sim: Sim;
let db: Db;
let bmc: BmcService;
let tools: Tool[];
const staged: InstallRequest[] = [];
const tool = (name: string): Tool => tools.find((t) => t.name === name)!;
const state = (name: string): string | null => sim.state(name);
const ctx = (over: Partial<ToolContext> = {}): ToolContext => ({
  runId: 'sim', stepId: 'step', host: null, attempt: 1, signal: new AbortController().signal, log: () => {}, callbackUrl: null, pollState: null, check: 0, actor: 'ops-sim', ...over,
});
async function run(name: string, input: Record<string, unknown>, c?: Partial<ToolContext>): Promise<Record<string, unknown>> {
  const t = tool(name);
  const r = await t.run(ctx(c), t.input.parse(input) as never);
  return r.status === 'done' ? (t.output.parse(r.output) as Record<string, unknown>) : { pending: true };
}

describe.skipIf(check.skip)(`provisioning tools against ipmi_sim${check.skip ? ` (skipped: ${check.reason})` : ''}`, () => {
  beforeAll(async () => {
    if (check.missing.length) throw new Error(`CI needs the IPMI peers: ${check.reason}`);
    sim = await startSim(AT, [ECC]);

    db = openStore(':memory:');
    const credentials = new CredentialRepository(db, new SecretBox(randomBytes(32)));
    credentials.put('sim-bmc', 'ipmi', 'ipmi_sim admin', JSON.stringify(LOGIN));
    const inventory = new InventoryRepository(db);
    inventory.upsert(oneCabinet([device])); // bound where it is, by the system
    const resolver = createCredentialResolver(credentials, new BindingRepository(db));
    bmc = createBmcService({ device: (id) => inventory.device(id), credentials: resolver, record: () => {} });
    const deps = {
      device: (id: string) => inventory.device(id), bmc, credentials: resolver, audit: () => {}, fpingPath: null,
      pxe: {
        stage: (r: InstallRequest) => {
          staged.push(r);
          return Promise.resolve();
        },
      },
    } as Partial<ProvisioningDeps> as ProvisioningDeps;
    tools = provisioningTools(deps);
  }, 30_000);

  afterAll(async () => {
    await bmc?.dispose();
    db?.close();
    await sim?.stop();
  });

  it('bmc.status reads the power, SEL and sensor states ipmitool prints', async () => {
    const s = await run('bmc.status', { deviceId: device.id });
    expect(s.power).toBe(fields(await ipmitool(TARGET, ['chassis', 'status']))['System Power']);
    const sel = rows(await ipmitool(TARGET, ['sel', 'list']));
    expect(s.selEntries).toBe(sel.length);
    // Warnings or worse: CPU Temp's upper non-critical crossing and the ECC entry; critical: the ECC entry alone.
    const ecc = sel.find((r) => r[4] === 'Uncorrectable ECC')!;
    expect(ecc, JSON.stringify(sel)).toBeDefined();
    expect(sel.filter((r) => /Non-critical going high|Critical going high|Uncorrectable ECC/.test(r[4])).length).toBe(2);
    expect(s).toMatchObject({ reachable: true, selErrors: 2, selCritical: 1, bmc: `${AT.address}:${AT.port}` });
    // ipmi_sim's SEL clock is not set: ipmitool says Pre-Init, the console has no date for it;
    // with no SDR record for the sensor, ipmitool says "Memory #0x09", the console "Memory #9".
    expect(s.critical).toEqual([{ id: parseInt(ecc[0], 16), at: ecc[1] === 'Pre-Init' ? null : expect.any(Number), sensor: ecc[3].replace(/#0x([0-9a-f]+)/i, (_m, h: string) => `#${parseInt(h, 16)}`), event: 'Uncorrectable ECC' }]);
    const sensors = new Map(rows(await ipmitool(TARGET, ['sensor', 'list'])).map((r) => [r[0], r[3]]));
    expect(sensors.get('CPU Temp')).toBe('nc');
    expect(s.sensorsWarning).toEqual(expect.arrayContaining(['CPU Temp']));
    await expect(run('bmc.status', { deviceId: device.id, maxSelCritical: 0 })).rejects.toThrow(/the SEL holds 1 critical entry \(at most 0 allowed\), newest #\d+ .*: Uncorrectable ECC/);
  });

  it('bmc.power sets the power ipmitool then reports; bmc.status checks it', async () => {
    expect(await run('bmc.power', { deviceId: device.id, action: 'on' })).toEqual({ power: 'on' });
    expect(await ipmitool(TARGET, ['chassis', 'power', 'status'])).toMatch(/Chassis Power is on/);
    expect(await run('bmc.status', { deviceId: device.id, expectPower: 'on' })).toMatchObject({ power: 'on' });
    expect(await run('bmc.power', { deviceId: device.id, action: 'off' })).toEqual({ power: 'off' });
    expect(state('power')).toBe('0');
    await expect(run('bmc.status', { deviceId: device.id, expectPower: 'on' })).rejects.toThrow('sim-1.lab (sim-1) is powered off; this step expects it on');
  });

  it("os.install's first call stages the install, sets the one-time PXE boot and powers the server on", async () => {
    await ipmitool(TARGET, ['chassis', 'bootdev', 'disk']);
    expect(state('boot')).toBe('default');
    const r = await run('os.install', { deviceId: device.id, os: 'rocky-9', hostname: 'sim-installed', durationMs: 5 }, { callbackUrl: 'http://127.0.0.1:9/wf/callback/t' });
    expect(r).toEqual({ pending: true });
    expect(staged).toEqual([{ deviceId: device.id, sn: device.sn, os: 'rocky-9', hostname: 'sim-installed', durationMs: 5, callbackUrl: 'http://127.0.0.1:9/wf/callback/t' }]);
    expect(state('boot')).toBe('pxe');
    expect(await ipmitool(TARGET, ['chassis', 'bootparam', 'get', '5'])).toMatch(/Boot Device Selector : Force PXE/);
    expect(state('power')).toBe('1'); // it was off: powered on, not cycled
  });
});
