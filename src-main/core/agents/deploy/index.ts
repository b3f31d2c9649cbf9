// The agent's deploy, upgrade and rollback as workflow tools and templates (issue 13), for the
// agents capability to hand to the workflows capability: deployTools(deps) (agent.upload,
// agent.enrol, agent.activate), AGENT_TEMPLATES (agent-deploy, agent-rollback) and the
// rollouts behind agents.upgrade / agents.rollback. deploy-deps.ts says what each dependency is.
import type { Tool } from '../../workflows/tool';
import { agentActivateTool } from './activate-tool';
import type { DeployDeps } from './deploy-deps';
import { agentEnrolTool } from './enrol-tool';
import { agentUploadTool } from './upload-tool';

export type { DeployDeps, DeployHost, DeployAgents, DeployAuditEntry, UnitOptions } from './deploy-deps';
export { sshDeployHost } from './deploy-deps';
export { releaseCatalogue, type ReleaseCatalogue, type AgentRelease } from './releases';
export { AGENT_TEMPLATES, DEPLOY_TEMPLATE_ID, ROLLBACK_TEMPLATE_ID, agentDeployTemplate, agentRollbackTemplate } from './templates';
export { createRollouts, type Rollouts, type RolloutWorkflows } from './rollouts';
export * from './errors';

/** agent.upload, agent.enrol, agent.activate. */
export function deployTools(deps: DeployDeps): Tool[] {
  return [agentUploadTool(deps), agentEnrolTool(deps), agentActivateTool(deps)] as unknown as Tool[];
}
