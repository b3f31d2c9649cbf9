// Server provisioning (issue 12): the workflow tools of seed 000's Sysflow flows and the flows
// themselves, for create-core to hand to the workflows capability: provisioningTools(deps)
// beside the engine's built-ins, PROVISIONING_TEMPLATES as shipped templates. deps.ts says
// what each dependency is and where create-core finds it.
import type { Tool } from '../workflows/tool';
import { bmcPowerTool, bmcStatusTool } from './bmc-tools';
import { burninTool } from './burnin';
import { cmdbCheckTool, cmdbSetTool } from './cmdb-tools';
import type { ProvisioningDeps } from './deps';
import { hostKeyTool } from './host-key-tool';
import { hostPingTool } from './host-ping';
import { osInstallTool } from './os-install';
import { systemCheckTool } from './system-check';

export type { CmdbState, InstallRequest, ProvisioningAuditEntry, ProvisioningCmdb, ProvisioningDeps, PxeServer } from './deps';
export { storeCmdb, type CmdbStoreDeps } from './cmdb-store';
export { labPxe, type LabInstallProfiles } from './lab-pxe';
export { httpPxe, type PxeHookConfig } from './http-pxe';
export { PROVISIONING_TEMPLATES } from './templates';

/**
 * system.check, bmc.status, bmc.power, cmdb.check, cmdb.set, os.install,
 * ssh.acceptNewHostKey, host.ping, burnin.run (http.callback is the engine's own).
 */
export function provisioningTools(deps: ProvisioningDeps): Tool[] {
  return [
    systemCheckTool(deps), bmcStatusTool(deps), bmcPowerTool(deps), cmdbCheckTool(deps), cmdbSetTool(deps),
    osInstallTool(deps), hostKeyTool(deps), hostPingTool(deps), burninTool(deps),
  ] as unknown as Tool[];
}
