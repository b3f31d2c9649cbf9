// The agent's run configuration: the JSON file the deploy workflow writes beside the agent on
// a host (agent run --config FILE), shared so the console writes exactly what the agent reads.
import { z } from 'zod';
import { agentConfig } from './messages';

/** The file the deploy workflow writes beside the agent. */
export const agentRunConfig = z.object({
  agentId: z.string().min(1).max(128),
  console: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535), fingerprint256: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/i) }),
  stateDir: z.string().min(1),
  hostname: z.string().min(1).max(255).optional(),
  config: agentConfig,
  buffer: z.object({ maxBytes: z.number().int().positive().optional(), maxAgeMs: z.number().int().positive().optional() }).optional(),
  hooks: z.record(z.string(), z.string()).optional(),
});
export type AgentRunConfig = z.infer<typeof agentRunConfig>;
