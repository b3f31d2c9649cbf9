// The agent's shipped workflow templates. `agent-deploy` installs or upgrades the agent over a
// selection: agent.upload -> agent.enrol -> agent.activate per host. `agent-rollback` runs
// what each host's `previous` names (agent.activate with rollback). Both go in batches with a
// stop rule: every step takes the hosts in batches of batchSize and the run pauses when more
// than maxFailPct of a batch failed, so a bad version stops at the first batch's activation
// (hosts of later batches may already hold the new bundle, never run it).
// The engine takes fan-out sizes as literals, not bindings, so the batch settings are part of
// the template, not launch params: the shipped ids carry the defaults (batches of 10, pause
// over 20%), and a rollout with other settings runs a variant saved on first use under an id
// that names them (agent-deploy-b1-f0: batches of 1, pause on any failure), identical
// otherwise. Launch params: version ('' = the console's built-in bundle), installDir (default
// /opt/fleetdeck), installDirs (per device id or SN, for hosts that differ) and healthWindowMs.
import type { WfFanOut, WfParamSpec, WfRetry, WfTemplate } from '../../../../src-shared/domain/workflow';
import { DEFAULT_HEALTH_WINDOW_MS } from './activate-tool';
import { DEFAULT_INSTALL_DIR } from './deploy-deps';

export const DEPLOY_TEMPLATE_ID = 'agent-deploy';
export const ROLLBACK_TEMPLATE_ID = 'agent-rollback';
export const DEFAULT_BATCH = { batchSize: 10, maxFailPct: 20 } as const;

export interface BatchSettings {
  readonly batchSize: number;
  readonly maxFailPct: number;
}

const HOST = '${host.id}';
/** A dropped SSH connection is tried once more; upload and enrol are idempotent. */
const ONE_RETRY: WfRetry = { max: 1, backoffMs: 5000, factor: 1, maxBackoffMs: 5000 };
const WHERE = { installDir: '${params.installDir}', installDirs: '${params.installDirs}' };

const WHERE_PARAMS: readonly WfParamSpec[] = [
  { name: 'installDir', type: 'string', required: false, default: DEFAULT_INSTALL_DIR, title: 'Install folder on the hosts' },
  { name: 'installDirs', type: 'object', required: false, title: 'Install folder per host (device id or SN -> folder), where hosts differ' },
  { name: 'healthWindowMs', type: 'number', required: false, default: DEFAULT_HEALTH_WINDOW_MS, title: 'Time a started version has to report healthy (ms)' },
];

function fanOut(b: BatchSettings): WfFanOut {
  return { concurrency: Math.min(b.batchSize, 50), batchSize: b.batchSize, maxFailPct: b.maxFailPct };
}

const suffix = (b: BatchSettings): string =>
  b.batchSize === DEFAULT_BATCH.batchSize && b.maxFailPct === DEFAULT_BATCH.maxFailPct ? '' : `-b${b.batchSize}-f${String(b.maxFailPct).replace(/[^0-9.]/g, '')}`;

/** The install/upgrade template for these batch settings (the shipped one for the defaults). */
export function agentDeployTemplate(b: BatchSettings = DEFAULT_BATCH): WfTemplate {
  const fan = fanOut(b);
  return {
    id: `${DEPLOY_TEMPLATE_ID}${suffix(b)}`,
    name: suffix(b) ? `Deploy the agent (batches of ${b.batchSize}, pause over ${b.maxFailPct}%)` : 'Deploy the agent',
    description:
      'Installs or upgrades the FleetDeck agent over SSH: uploads the release (the Node runtime only when the host lacks it, kept by checksum), ' +
      'makes its key on the host and enrols it, writes its run config, then switches to it and waits for it to report healthy; ' +
      `a version that does not is rolled back to the one before, and the step fails saying why. Batches of ${b.batchSize}; the run pauses when more than ${b.maxFailPct}% of a batch fails.`,
    params: [{ name: 'version', type: 'string', required: false, default: '', title: "Agent version ('' = the console's built-in)" }, ...WHERE_PARAMS],
    steps: [
      {
        id: 'upload', title: 'Upload', tool: 'agent.upload', scope: 'host', inputs: { deviceId: HOST, version: '${params.version}', ...WHERE },
        fanOut: fan, retry: ONE_RETRY, timeoutMs: 30 * 60_000, onTimeout: 'fail',
      },
      {
        id: 'enrol', title: 'Enrol', tool: 'agent.enrol', scope: 'host',
        inputs: { deviceId: HOST, version: '${steps.upload.outputs.version}', runtimeSha256: '${steps.upload.outputs.runtimeSha256}', ...WHERE },
        fanOut: fan, retry: ONE_RETRY, timeoutMs: 5 * 60_000, onTimeout: 'fail',
      },
      {
        id: 'activate', title: 'Activate', tool: 'agent.activate', scope: 'host',
        inputs: { deviceId: HOST, version: '${steps.upload.outputs.version}', runtimeSha256: '${steps.upload.outputs.runtimeSha256}', healthWindowMs: '${params.healthWindowMs}', ...WHERE },
        fanOut: fan, poll: { intervalMs: 1000, deadlineMs: 30 * 60_000 }, onTimeout: 'fail',
      },
    ],
  };
}

/** The rollback template for these batch settings: each host runs what its `previous` names. */
export function agentRollbackTemplate(b: BatchSettings = DEFAULT_BATCH): WfTemplate {
  return {
    id: `${ROLLBACK_TEMPLATE_ID}${suffix(b)}`,
    name: suffix(b) ? `Roll the agent back (batches of ${b.batchSize}, pause over ${b.maxFailPct}%)` : 'Roll the agent back',
    description:
      "Runs the version each host kept as `previous` (the one before the last upgrade) and waits for it to report healthy; if it does not, the host goes back to the version it ran. " +
      `Batches of ${b.batchSize}; the run pauses when more than ${b.maxFailPct}% of a batch fails.`,
    params: [...WHERE_PARAMS],
    steps: [
      {
        id: 'activate', title: 'Activate the previous version', tool: 'agent.activate', scope: 'host',
        inputs: { deviceId: HOST, rollback: true, healthWindowMs: '${params.healthWindowMs}', ...WHERE },
        fanOut: fanOut(b), poll: { intervalMs: 1000, deadlineMs: 30 * 60_000 }, onTimeout: 'fail',
      },
    ],
  };
}

export const AGENT_TEMPLATES: readonly WfTemplate[] = [agentDeployTemplate(), agentRollbackTemplate()];
