// os.install's callback through the workflow engine, on fake PXE and BMC (the lab's real ones
// are in test/integration/provisioning): the installer's 'failed' report is taken at the URL
// and fails the step at once, naming the report (its reason too when it gives one), and the
// failure is still there after the engine restarts on the same journal; an 'installed' report
// is the output; a body that fits neither is refused naming the field and the step waits on.
import { describe, expect, it } from 'vitest';
import type { Device } from '../../../../src-shared/domain';
import type { ProvisioningDeps } from '../../../../src-main/core/provisioning/deps';
import { osInstallTool } from '../../../../src-main/core/provisioning/os-install';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { WorkflowEngine } from '../../../../src-main/core/workflows/engine';
import { flush, settle, VirtualClock } from '../workflows/helpers';

const DEV: Device = {
  id: 'dev-7', cabinetId: 'c', kind: 'server', hostname: 'old-07', sn: 'SN-7', uPosition: 7, uHeight: 1, mgmtIp: '127.0.0.7', snmpPort: 161,
  bmcAddress: '127.0.1.7', bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: 'ipmi-1', serviceTree: null,
};

/** Deps enough for os.install without SSH: a PXE server that records what it staged, a BMC that answers. */
function fakeDeps(staged: { callbackUrl: string | null; hostname: string }[]): ProvisioningDeps {
  return {
    device: (id) => (id === DEV.id ? DEV : null),
    bmc: {
      info: async () => ({ power: 'on' }) as never,
      power: async () => ({ power: 'on' }),
      bootDevice: async () => ({ ok: true }),
    },
    pxe: { stage: async (req) => void staged.push({ callbackUrl: req.callbackUrl, hostname: req.hostname }) },
    ssh: null as never, hostKeys: null as never, credentials: null as never, cmdb: null as never, audit: () => {},
  };
}

const TEMPLATE = { id: 'install', name: 'Install', params: [], steps: [{ id: 'os_install', tool: 'os.install', scope: 'host' as const, inputs: { deviceId: '${host.id}', os: 'ubuntu-24.04', hostname: 'web-07', sshCheck: false }, poll: { intervalMs: 1000, deadlineMs: 3_600_000 } }] };

function engineOn(db: Db, clock: VirtualClock, staged: { callbackUrl: string | null; hostname: string }[]): WorkflowEngine {
  const engine = new WorkflowEngine({ db, tools: [osInstallTool(fakeDeps(staged))], baseUrl: 'https://deck.example', hosts: (id) => (id === DEV.id ? DEV : undefined), clock });
  engine.start();
  return engine;
}

async function staged() {
  const db = openStore(':memory:');
  const clock = new VirtualClock();
  const stages: { callbackUrl: string | null; hostname: string }[] = [];
  const engine = engineOn(db, clock, stages);
  engine.saveTemplate(TEMPLATE, 'alice');
  const run = engine.launch('install', {}, [DEV.id], 'alice');
  await settle(clock, () => stages.length === 1 && engine.task(run.id, 'os_install', DEV.id).state === 'awaiting-callback', 'the install is staged');
  expect(stages[0].hostname).toBe('web-07');
  return { db, clock, engine, run, token: stages[0].callbackUrl!.split('/').pop()!, stages };
}

describe('os.install: the installer reports to the step URL', () => {
  it("a 'failed' report fails the step at once, named, and the failure survives a restart", async () => {
    const s = await staged();
    const error = `the installer reports the install of ubuntu-24.04 on old-07 (dev-7) (SN SN-7) failed (hostname web-07): no disk found`;
    expect(s.engine.callback(s.token, { sn: 'SN-7', hostname: 'web-07', os: 'ubuntu-24.04', status: 'failed', reason: 'no disk found' })).toMatchObject({ state: 'failed', failure: 'error', error });
    await s.engine.dispose();
    const again = engineOn(s.db, s.clock, s.stages);
    await flush();
    expect(again.task(s.run.id, 'os_install', DEV.id)).toMatchObject({ state: 'failed', failure: 'error', error });
    expect(again.summary(s.run.id).state).toBe('failed');
    expect(() => again.callback(s.token, { sn: 'SN-7', hostname: 'web-07', os: 'ubuntu-24.04', status: 'installed' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    await s.clock.advance(5000);
    expect(s.stages, 'nothing staged again').toHaveLength(1);
    await again.dispose();
  });

  it("a 'failed' report with fields missing still fails the step, with the names the step knows", async () => {
    const s = await staged();
    expect(s.engine.callback(s.token, { status: 'failed' })).toMatchObject({ state: 'failed', error: 'the installer reports the install of ubuntu-24.04 on old-07 (dev-7) (SN SN-7) failed (hostname web-07)' });
    await s.engine.dispose();
  });

  it("an 'installed' report is the output; a body that fits neither is refused naming the field, the step waits on", async () => {
    const s = await staged();
    expect(() => s.engine.callback(s.token, { sn: 'SN-7', hostname: 'web-07', os: 'ubuntu-24.04', status: 'done' })).toThrow(expect.objectContaining({ code: 'VALIDATION', params: expect.objectContaining({ field: 'status' }) }));
    expect(s.engine.task(s.run.id, 'os_install', DEV.id).state).toBe('awaiting-callback');
    expect(s.engine.callback(s.token, { sn: 'SN-7', hostname: 'web-07', os: 'ubuntu-24.04', status: 'installed' })).toMatchObject({ state: 'succeeded', outputs: { sn: 'SN-7', hostname: 'web-07', os: 'ubuntu-24.04', status: 'installed' } });
    await s.engine.dispose();
  });
});
