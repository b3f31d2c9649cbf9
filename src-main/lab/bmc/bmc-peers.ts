// The BMC peer kind: every lab server has a BMC on the BMC network, answering IPMI over
// RMCP+ on standby power, and its chassis power commands turn the server's host off and on
// (and boot it from the device its boot flags name).
// Its SDR has a power sensor per PSU of the server (lab-device.ts); a PSU whose feed the lab
// has tripped reads 0 W, and the BMC goes dark only when none of its PSUs has power.
// A BMC is found by its device (never by address), so BMCs sharing 127.0.0.1 drive the right host.
// Each BMC's chassis state (power, boot flags, a power cycle's pending power-on) is kept in the
// lab's state file: a BMC powered off stays off over a restart, a boot override stays set, and
// a cycle the lab stopped in finishes when it is due (booting from the flags, PXE included).
import { BOOT_DEVICES, type BootDevice, type BootFlags } from '../../core/protocols/ipmi/codec/chassis-commands';
import { LAB_IPMI_CREDENTIAL } from '../../../src-shared/lab-protocol';
import { hashString } from '../../../src-shared/random';
import type { SavedBmc } from '../memory/state-file';
import type { LabContext, LabPeerKind, LabPeers } from '../peer-kind';
import { createBmcFleet } from './bmc-fleet';
import type { BmcSimulator, BmcSimulatorOptions } from './bmc-simulator';
import { NO_BOOT_OVERRIDE } from './bmc-state';

/** Saved boot flags as the BMC takes them (a device it does not know: no override). */
function bootFlags(saved: SavedBmc['boot']): BootFlags {
  return Object.hasOwn(BOOT_DEVICES, saved.device) ? { ...saved, device: saved.device as BootDevice } : { ...NO_BOOT_OVERRIDE };
}

/** What the state file keeps of a BMC; null when it is as the lab made it. */
function savedOf(bmc: BmcSimulator): SavedBmc | null {
  const { power, boot, powerOnAt } = bmc.state;
  const factoryBoot = !boot.valid && !boot.persistent && !boot.efi && boot.device === 'none';
  if (power === 'on' && factoryBoot && powerOnAt === null) return null;
  return { power, boot: { valid: boot.valid, persistent: boot.persistent, efi: boot.efi, device: boot.device }, powerOnAt };
}

/** A server's BMC sits on the BMC network: the management address with 100 added to its second octet. */
export function labBmcAddress(mgmtIp: string): string {
  const [a, b, c, d] = mgmtIp.split('.').map(Number);
  return `${a}.${(b + 100) % 256}.${c}.${d}`;
}

export const bmcPeerKind: LabPeerKind = {
  kind: 'bmc',
  async start(ctx: LabContext): Promise<LabPeers> {
    const { username, password } = ctx.credentials.ipmi;
    const specs: Omit<BmcSimulatorOptions, 'tickMs'>[] = [];
    const servers = ctx.devices.filter((d) => d.device.kind === 'server');
    const saved = ctx.memory.saved.bmc;
    for (const { device, watts, psus } of servers) {
      const kept = saved[device.id];
      // A host whose BMC had it off stays off (its SNMP and SSH quiet from the start).
      if (kept?.power === 'off') ctx.state.poweredOff.add(device.id);
      // Single mode: the BMC shares 127.0.0.1 with its host, on the BMC port the inventory gives it.
      device.bmcAddress = ctx.loopback === 'single' ? device.mgmtIp : labBmcAddress(device.mgmtIp);
      device.ipmiCredential = LAB_IPMI_CREDENTIAL;
      specs.push({
        address: device.bmcAddress,
        port: device.bmcPort,
        username,
        password,
        seed: hashString(device.id) ^ ctx.options.seed,
        nominalWatts: watts,
        psus,
        psuRatedWatts: device.uHeight >= 4 ? 2000 : device.uHeight >= 2 ? 1100 : 750,
        ...(kept ? { poweredOn: kept.power === 'on', boot: bootFlags(kept.boot), powerOnAt: kept.powerOnAt } : {}),
      });
    }
    const fleet = createBmcFleet({ bmcs: specs });
    const bmcs = new Map<string, BmcSimulator>();
    for (const { device } of servers) {
      const bmc = fleet.get(device.bmcAddress!, device.bmcPort);
      if (!bmc) continue;
      bmcs.set(device.id, bmc);
      // The BMC drives its host: chassis power off silences the host's SNMP and SSH; a power on
      // or reset boots it from what the boot flags say (PXE: the lab's installer, install/).
      bmc.onPowerChange((on, _cause, boot) => ctx.setHostPower(device.id, on, boot));
      bmc.onReset((boot) => ctx.resetHost(device.id, boot));
      bmc.onStateChange(() => ctx.memory.changed());
    }
    ctx.memory.source('bmc', () => {
      const out: Record<string, SavedBmc> = {};
      for (const [id, bmc] of bmcs) {
        const s = savedOf(bmc);
        if (s) out[id] = s;
      }
      return out;
    });
    const started = await fleet.start();
    if (started.failed.length) {
      await fleet.stop();
      const first = started.failed[0];
      throw new Error(`lab: ${started.failed.length} of ${fleet.size} BMCs failed to start; first: ${first.address}:${first.port}: ${first.error}`);
    }
    return {
      async reconcile(d) {
        const bmc = bmcs.get(d.device.id);
        if (!bmc) return;
        const inputs = ctx.state.psuInputs(d.device);
        if (inputs.length === d.psus) bmc.setPsuInputs(inputs);
        await (ctx.state.bmcUp(d.device) ? bmc.start() : bmc.stop());
      },
      resume() {
        for (const bmc of bmcs.values()) bmc.resumeCycle();
      },
      dispose: () => fleet.stop(),
    };
  },
};
