// The lab capability: with a lab configured, starts it (lab-link), stores its logins and inventory as a
// configured fleet's would be, and serves lab.status, lab.fault and lab.setInstallProfile (the
// lab's PXE server; the provisioning tool calls setInstallProfile in-process); without one, says so.
// The lab's inventory goes in by mergeLabInventory: whole at the first start, and afterwards only
// what the store lacks plus the lab's own wiring of its devices, so what flows and operators
// changed on lab devices (a CMDB hostname, the service tree, credentials) survives a restart.
// After a fault is applied, tells its listeners which devices it touched (a cabinet fault:
// every device in the cabinet), so their status can be re-polled at once. Asked to (the lab
// config's gateways: serve mode), on a lab with aliases of its own it also runs the
// lab's MGW gateway cluster (lab-gateways.ts) and gives it to the gateways capability
// (gatewayClusters); it stops the cluster before the lab.
import { dirname } from 'node:path';
import type { Capability } from '../../../src-shared/api';
import { withHiddenCallbackUrls, type LabFault, type LabInstallProfile, type LabStatus } from '../../../src-shared/domain';
import { FleetDeckError } from '../../../src-shared/errors';
import { toDisposable, type Disposable } from '../../../src-shared/lifecycle';
import { LAB_IPMI_CREDENTIAL, LAB_SNMP_CREDENTIAL, LAB_SSH_CREDENTIAL } from '../../../src-shared/lab-protocol';
import type { GatewayClusterConfig } from '../gateways/gateways-capability';
import type { CoreStore } from '../store/core-store';
import { startLabGateways, type LabGateways, type LabGatewaysOptions } from './lab-gateways';
import { labBindsDevice, mergeLabInventory } from './lab-inventory-merge';
import { startLab, type LabLink, type LabLinkConfig } from './lab-link';

export interface LabModule extends Capability<'lab.status' | 'lab.fault' | 'lab.setInstallProfile'> {
  /** What the overview calls this fleet. */
  readonly fleetKind: 'lab' | 'configured';
  /** The lab's address prefix when its devices are on aliases of their own (null: no lab, or one address). */
  readonly addressPrefix: string | null;
  /** The lab's MGW cluster and its control token, for the gateways capability ([]: no lab, or none here). */
  readonly gatewayClusters: GatewayClusterConfig[];
  /** Its processes (null: none). */
  readonly gateways: LabGateways | null;
  /** Tells the lab's devices where to send traps (the core's receiver), as a real fleet is configured to. */
  setTrapTarget(target: { host: string; port: number } | null): void;
  /** What the lab's PXE server installs on the server's next PXE boot (null: nothing); UNAVAILABLE without a lab. */
  setInstallProfile(deviceId: string, profile: LabInstallProfile | null): Promise<LabStatus>;
  /** After each applied fault: every device it touched, with the fault kind ('lab kill-device') as the cause. */
  onDidAffect(listener: (deviceId: string, cause: string) => void): Disposable;
}

export interface LabModuleDeps {
  config: LabLinkConfig | false | undefined;
  store: Pick<CoreStore, 'credentials' | 'inventory'>;
  log: (line: string) => void;
  /** The lab gateways' options (tests: restart delay, how the daemons run). */
  gateways?: Partial<Pick<LabGatewaysOptions, 'daemons' | 'restartDelayMs' | 'bundleDir' | 'dataDir'>>;
}

const NOT_RUNNING = { running: false, devices: 0, deadDevices: [], trippedCabinets: [], linksDown: [] };

export async function startLabModule(d: LabModuleDeps): Promise<LabModule> {
  const lab: LabLink | null = d.config ? await startLab(d.config, d.log) : null;
  if (lab) {
    try {
      d.store.credentials.put(LAB_SNMP_CREDENTIAL, 'snmp-community', 'Lab fleet SNMP v2c community', lab.community);
      d.store.credentials.put(LAB_SSH_CREDENTIAL, 'ssh-password', 'Lab fleet SSH login', JSON.stringify(lab.credentials.ssh));
      d.store.credentials.put(LAB_IPMI_CREDENTIAL, 'ipmi', 'Lab fleet BMC login', JSON.stringify(lab.credentials.ipmi));
      const merged = mergeLabInventory(d.store.inventory.document(), lab.inventory);
      // The lab binds what it vouches for (its own credentials at its addresses); other references keep their bindings.
      d.store.inventory.upsert({ ...merged, devices: merged.devices.filter(labBindsDevice) });
      const theirs = merged.devices.filter((dev) => !labBindsDevice(dev));
      if (theirs.length) d.store.inventory.upsert({ ...merged, sites: [], rooms: [], rows: [], cabinets: [], devices: theirs }, null);
    } catch (err) {
      await lab.dispose();
      throw err;
    }
    d.log(`lab fleet up: ${lab.inventory.devices.length} devices in ${lab.startMs} ms (pid ${lab.pid})`);
  }
  const addressPrefix = lab && lab.inventory.devices.some((dev) => dev.mgmtIp !== '127.0.0.1') ? lab.options.addressPrefix : null;
  // Spawned, not waited for: the gateways view shows the nodes unreachable until they answer.
  let gateways: LabGateways | null = null;
  if (lab && addressPrefix && d.config && d.config.gateways) {
    try {
      gateways = startLabGateways({
        addressPrefix,
        dataDir: d.config.stateFile ? dirname(d.config.stateFile) : undefined,
        bundleDir: d.config.daemonsDir,
        log: d.log,
        ...d.gateways,
      });
    } catch (err) {
      d.log(`lab gateways: not started: ${(err as Error).message}`);
    }
  }
  const listeners = new Set<(deviceId: string, cause: string) => void>();
  const affected = (f: LabFault): string[] => ('deviceId' in f ? [f.deviceId] : 'cabinetId' in f ? d.store.inventory.devicesInCabinet(f.cabinetId).map((dev) => dev.id) : []);
  const fault = async (f: LabFault): Promise<LabStatus> => {
    const status = await requireLab().fault(f);
    for (const id of affected(f)) {
      for (const l of listeners) {
        try {
          l(id, `lab ${f.kind}`);
        } catch (err) {
          d.log(`lab: a fault listener threw: ${(err as Error).message}`);
        }
      }
    }
    return status;
  };
  const requireLab = (): LabLink => {
    if (!lab) throw new FleetDeckError('UNAVAILABLE', 'No lab fleet is running: this console is connected to a configured fleet', { reason: 'no-lab' });
    return lab;
  };
  return {
    fleetKind: lab ? 'lab' : 'configured',
    addressPrefix,
    gatewayClusters: gateways?.clusters ?? [],
    gateways,
    setTrapTarget: (target) => lab?.setTrapTarget(target),
    setInstallProfile: (deviceId, profile) => requireLab().setInstallProfile(deviceId, profile),
    onDidAffect: (listener) => {
      listeners.add(listener);
      return toDisposable(() => listeners.delete(listener));
    },
    api: {
      // Callback URLs are one-time credentials: the API shows none whole (a viewer reads lab.status).
      'lab.status': async () => withHiddenCallbackUrls(lab ? await lab.status() : NOT_RUNNING),
      'lab.fault': async (f) => withHiddenCallbackUrls(await fault(f)),
      'lab.setInstallProfile': async (a) => withHiddenCallbackUrls(await requireLab().setInstallProfile(a.deviceId, a.profile)),
    },
    dispose: async () => {
      await gateways?.stop();
      await lab?.dispose();
    },
  };
}
