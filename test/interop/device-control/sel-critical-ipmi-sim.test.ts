// SEL critical events end to end against OpenIPMI's ipmi_sim (a BMC simulator no one here
// wrote; a child on 127.47.3.1:17347 running test/interop/ipmi's fixtures, stopped by pid):
// the BMC sensor poller (through startDeviceControl, 300 ms rounds, the SEL read on every one)
// takes the fixture SEL as its baseline (bmc.sel_critical 0: its pre-init entries have no date),
// then ipmitool adds a critical entry (Add SEL Entry, raw: memory uncorrectable ECC) and the
// series rises to 1 and a rule "bmc.sel_critical > 0" fires on the server; after `sel clear`
// and another critical entry the count is 2 (a cleared SEL is not missed). Polled with deadlines.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../src-shared/domain';
import { alarmRuleSchema } from '../../../src-shared/domain/alarm';
import { startAlarms, type AlarmsCapability } from '../../../src-main/core/alarms/alarms-capability';
import { createCredentialResolver } from '../../../src-main/core/credentials/credential-resolver';
import { startDeviceControl, type DeviceControlModule } from '../../../src-main/core/device-control/device-control-module';
import { BMC_METRICS } from '../../../src-main/core/device-control/sensor-poller';
import { EventHub } from '../../../src-main/core/events/event-hub';
import { openCoreStore, type CoreStore } from '../../../src-main/core/store/core-store';
import { oneCabinet } from '../../support/one-cabinet';
import { until } from '../../support/handles';
import { ipmitool, IPMI_SIM, IPMITOOL, peerCheck } from '../ipmi/peers';
import { startSim, type Sim } from '../provisioning/sim-peer';

const check = peerCheck([IPMI_SIM, IPMITOOL]);
const AT = { address: '127.47.3.1', port: 17347 };
const LOGIN = { username: 'admin', password: 'secret' };
const TARGET = { ...AT, ...LOGIN, cipherSuite: 3 as const };
// Add SEL Entry (storage 0x44): record id (BMC's), system event, stamp 0, generator 0x20, EvM 4,
// memory (0x0c) sensor 9, sensor-specific (0x6f), offset 1: Uncorrectable ECC, asserted.
const ADD_ECC = ['raw', '0x0a', '0x44', '0x00', '0x00', '0x02', '0x00', '0x00', '0x00', '0x00', '0x20', '0x00', '0x04', '0x0c', '0x09', '0x6f', '0x01', '0xff', '0xff'];

const device: Device = {
  id: 'sim-sel', cabinetId: 'c', kind: 'server', hostname: 'sim-sel.lab', sn: 'SIM-SEL', uPosition: 1, uHeight: 1, mgmtIp: '127.47.3.2', snmpPort: 161,
  bmcAddress: AT.address, bmcPort: AT.port, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: 'sim-bmc', serviceTree: null,
};

describe.skipIf(check.skip)(`bmc.sel_critical against ipmi_sim${check.skip ? ` (skipped: ${check.reason})` : ''}`, () => {
  let sim: Sim | undefined;
  let store: CoreStore | undefined;
  let control: DeviceControlModule | undefined;
  let alarms: AlarmsCapability | undefined;

  beforeAll(async () => {
    if (check.missing.length) throw new Error(`CI needs the IPMI peers: ${check.reason}`);
    sim = await startSim(AT);
    store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
    store.credentials.put('sim-bmc', 'ipmi', 'ipmi_sim admin', JSON.stringify(LOGIN));
    store.inventory.upsert(oneCabinet([device]));
    control = startDeviceControl({
      store, credentials: createCredentialResolver(store.credentials, store.bindings), record: () => {},
      bmcSensors: { intervalMs: 300, firstDelayMs: 0, selEvery: 1 },
    });
    alarms = startAlarms({ store, hub: new EventHub(), status: () => 'up', intervalMs: 0, staleMs: 60_000 });
    await alarms.api['alarms.setRule'](alarmRuleSchema.parse({
      id: 'sel', name: 'SEL critical events', severity: 'critical', forMs: 0, scope: {}, condition: { kind: 'metric', metric: BMC_METRICS.selCritical, op: '>', value: 0 },
    }), { actor: 'root', role: 'admin' });
  }, 30_000);

  afterAll(async () => {
    await alarms?.dispose();
    await control?.dispose();
    await store?.dispose();
    await sim?.stop();
  });

  /** The newest bmc.sel_critical sample's value, undefined before the first. */
  const latest = (): number | undefined => {
    const [s] = store!.metrics.seriesIds(BMC_METRICS.selCritical, [device.id]);
    return s ? store!.metrics.latest([s.id])[0]?.value : undefined;
  };
  const alarm = () => {
    alarms!.evaluateNow();
    return alarms!.alarms().find((a) => a.objectId === device.id);
  };

  it('baseline 0, a critical entry added: the series rises and the rule fires; after a clear a new one counts too', async () => {
    await until('the baseline sample', () => latest() !== undefined || undefined, 20_000);
    expect(latest()).toBe(0);
    expect(alarm()).toBeUndefined();

    await ipmitool(TARGET, ADD_ECC);
    await until('bmc.sel_critical 1', () => latest() === 1 || undefined, 20_000);
    const fired = await until('the rule firing', () => (alarm()?.state === 'firing' ? alarm() : undefined), 20_000);
    expect(fired).toMatchObject({ ruleId: 'sel', objectId: device.id, severity: 'critical', value: 1 });

    await ipmitool(TARGET, ['sel', 'clear']);
    await ipmitool(TARGET, ADD_ECC);
    await until('bmc.sel_critical 2', () => latest() === 2 || undefined, 20_000);
    expect(alarm()).toMatchObject({ state: 'firing', value: 2 });
  }, 90_000);
});
