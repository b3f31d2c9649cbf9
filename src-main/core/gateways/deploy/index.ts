// The gateway cluster's deploy as workflow tools and a template (issue 16), for create-core to
// hand to the workflows capability beside the agent's: gatewayDeploy(wiring) gives the tools
// (gateway.check, gateway.upload, gateway.activate), the shipped gateway-deploy template, and
// useWorkflows (gateway.check reads the run's hosts from the engine, which starts after the
// tools exist). Hosts are reached as the agent deploy reaches them (sshDeployHost over the
// console's SSH pool); the runtime and the bundle folder are the agent's (agents.runtimePath,
// agents.bundleDir, default resources/daemons).
import type { Disposable } from '../../../../src-shared/lifecycle';
import { releaseCatalogue, sshDeployHost } from '../../agents/deploy';
import type { SshDeployDeps } from '../../agents/deploy/deploy-deps';
import type { Tool } from '../../workflows/tool';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import { nodeHttp } from '../gateway-http';
import { gatewayActivateTool } from './gateway-activate';
import { gatewayBundle } from './gateway-host';
import { GATEWAY_TEMPLATES } from './gateway-template';
import { gatewayCheckTool, gatewayUploadTool, type GatewayDeployDeps } from './gateway-tools';

export { GATEWAY_DEPLOY_TEMPLATE, GATEWAY_DEPLOY_TEMPLATE_ID, GATEWAY_TEMPLATES } from './gateway-template';
export { GatewayNodeNotReadyError } from './gateway-activate';
export type { GatewayDeployDeps } from './gateway-tools';

export interface GatewayDeployWiring extends SshDeployDeps {
  device: GatewayDeployDeps['device'];
  /** The agent's bundleDir and runtimePath (AgentsConfig). */
  bundleDir?: string;
  runtimePath?: string;
}

export interface GatewayDeploy {
  readonly tools: Tool[];
  readonly templates: readonly WfTemplate[];
  useWorkflows(w: { engine: { summary(runId: string): { hosts: readonly string[] } } }): Disposable;
}

/** The three tools over this core's SSH pool and the given deps (tests may override any). */
export function gatewayDeployTools(deps: GatewayDeployDeps): Tool[] {
  return [gatewayCheckTool(deps), gatewayUploadTool(deps), gatewayActivateTool(deps)] as unknown as Tool[];
}

export function gatewayDeploy(w: GatewayDeployWiring): GatewayDeploy {
  let engine: { summary(runId: string): { hosts: readonly string[] } } | null = null;
  const releases = releaseCatalogue({ bundleDir: w.bundleDir, runtimePath: w.runtimePath });
  const tools = gatewayDeployTools({
    device: w.device,
    host: sshDeployHost(w),
    runtime: () => releases.runtime(),
    bundle: gatewayBundle(w.bundleDir),
    runHosts: (runId) => engine?.summary(runId).hosts ?? null,
    health: (at) => nodeHttp(at, '/health', { timeoutMs: 3000 }).then(() => undefined),
  });
  return {
    tools,
    templates: GATEWAY_TEMPLATES,
    useWorkflows: (wf) => {
      engine = wf.engine;
      return { dispose: () => void (engine = null) };
    },
  };
}
