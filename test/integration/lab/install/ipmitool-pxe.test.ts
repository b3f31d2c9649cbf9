// The real ipmitool (-I lanplus -C 17) against a lab server's BMC: `chassis bootdev pxe` and
// `chassis bootparam get 5` read back what was set (PXE, disk, cdrom, bios, none; next boot
// or persistent), and `chassis power cycle` with the PXE override and an install profile runs
// the lab's install (its callback to a receiver on 127.0.0.1), which uses the override up.
// Addresses 127.78.x.y (BMCs 127.178.x.y), SNMP port 16593.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../../src-shared/domain';
import { startLabFleet, type LabFleet } from '../../../../src-main/lab/lab-fleet';
import { until } from '../../../support/handles';
import { ipmitool, IPMITOOL, peerCheck } from '../../../interop/ipmi/peers';
import { snmpGet, startReceiver, SYS_NAME, type CallbackReceiver } from './support';

const check = peerCheck([IPMITOOL]);
const COMMUNITY = 'ipmitool-pxe-test';

let fleet: LabFleet;
let receiver: CallbackReceiver;

/** ipmitool against the device's BMC with the lab's login. */
const tool = (d: Device, ...args: string[]): Promise<string> =>
  ipmitool({ address: d.bmcAddress!, port: d.bmcPort, ...fleet.credentials.ipmi, cipherSuite: 17 }, args);

/** `chassis bootparam get 5`, the lines that say what is set. */
async function bootFlags(d: Device): Promise<{ valid: boolean; persistent: boolean; selector: string }> {
  const out = await tool(d, 'chassis', 'bootparam', 'get', '5');
  const selector = /Boot Device Selector : (.+)/.exec(out)?.[1].trim();
  if (!selector) throw new Error(`no boot device selector in: ${out}`);
  return { valid: out.includes('- Boot Flag Valid'), persistent: out.includes('- Options apply to all future boots'), selector };
}

describe.skipIf(check.skip)(`ipmitool sets a lab BMC's boot device${check.skip ? ` (skipped: ${check.reason})` : ''}`, () => {
  beforeAll(async () => {
    if (check.missing.length) throw new Error(`CI needs ipmitool: ${check.reason}`);
    fleet = await startLabFleet({
      seed: 23,
      size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 2, devices: 20 },
      community: COMMUNITY,
      snmpPort: 16593,
      addressPrefix: '127.78',
    });
    receiver = await startReceiver();
  }, 60_000);

  afterAll(async () => {
    await fleet?.close();
    await receiver?.close();
  });

  it('bootdev pxe / disk / cdrom / bios / none, read back with bootparam get 5', async () => {
    const d = fleet.inventory.devices.filter((x) => x.kind === 'server')[1];
    expect(await bootFlags(d)).toEqual({ valid: false, persistent: false, selector: 'No override' });
    expect(await tool(d, 'chassis', 'bootdev', 'pxe')).toMatch(/Set Boot Device to pxe/);
    expect(await bootFlags(d)).toEqual({ valid: true, persistent: false, selector: 'Force PXE' });
    await tool(d, 'chassis', 'bootdev', 'disk', 'options=persistent');
    expect(await bootFlags(d)).toEqual({ valid: true, persistent: true, selector: 'Force Boot from default Hard-Drive' });
    await tool(d, 'chassis', 'bootdev', 'cdrom');
    expect(await bootFlags(d)).toEqual({ valid: true, persistent: false, selector: 'Force Boot from CD/DVD' });
    await tool(d, 'chassis', 'bootdev', 'bios');
    expect(await bootFlags(d)).toEqual({ valid: true, persistent: false, selector: 'Force Boot into BIOS Setup' });
    await tool(d, 'chassis', 'bootparam', 'set', 'bootflag', 'force_pxe');
    expect(await bootFlags(d)).toEqual({ valid: true, persistent: false, selector: 'Force PXE' });
    await tool(d, 'chassis', 'bootdev', 'none');
    expect(await bootFlags(d)).toMatchObject({ selector: 'No override' });
  });

  it('bootdev pxe + power cycle installs the profile and uses the one-time override up', async () => {
    const d = fleet.inventory.devices.filter((x) => x.kind === 'server')[0];
    await fleet.setInstallProfile(d.id, { os: 'rocky-9', hostname: 'ipmitool-01', durationMs: 1000, callback: { url: receiver.url('/done') } });
    await tool(d, 'chassis', 'bootdev', 'pxe');
    expect(await tool(d, 'chassis', 'power', 'cycle')).toMatch(/Chassis Power Control: Cycle/);
    await until('the install called back', () => fleet.status().installs?.find((i) => i.deviceId === d.id)?.last?.callback === 'delivered');
    expect(receiver.requests).toEqual([expect.objectContaining({ method: 'POST', path: '/done', body: { sn: d.sn, hostname: 'ipmitool-01', os: 'rocky-9', status: 'installed' } })]);
    expect(await bootFlags(d)).toEqual({ valid: false, persistent: false, selector: 'Force PXE' });
    expect(await tool(d, 'chassis', 'power', 'status')).toMatch(/Chassis Power is on/);
    expect(await snmpGet(d.mgmtIp, d.snmpPort, COMMUNITY, [SYS_NAME])).toEqual(['ipmitool-01']);
  });
});
