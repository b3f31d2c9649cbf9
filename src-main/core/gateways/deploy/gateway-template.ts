// The shipped `gateway-deploy` workflow template: deploys (or redeploys) an MGW gateway cluster
// onto the fleet hosts that run its nodes. gateway.check once (the cluster config against its
// schema, the node -> device mapping, the run's hosts = the mapped devices), then per host
// gateway.upload (runtime only when missing, the bundle, the nodes' run configs) and
// gateway.activate (restart what changed under agent-supervise.js, wait for /health 200).
// Launch it over the mapped devices with params cluster (an MgwCluster), nodes (node id ->
// device id), and optionally installDir / installDirs (as agent-deploy's), bindVips (default
// true; false where a router in front owns the VIPs) and readyWindowMs (default 60 s).
// Uploads go to every host at once (nothing running is touched; one retry of a dropped SSH
// connection). Activation takes the hosts one at a time and the run pauses at the first that
// fails: a rolling restart, so with R >= 2 the peers of a restarting node hold its synced
// sessions, and a bad config or build stops at its first node. workflows.launch is operator+
// and audited by the api, as agent-deploy's launch is.
import type { WfParamSpec, WfRetry, WfTemplate } from '../../../../src-shared/domain/workflow';
import { DEFAULT_INSTALL_DIR } from '../../agents/deploy/deploy-deps';
import { DEFAULT_READY_WINDOW_MS } from './gateway-activate';

export const GATEWAY_DEPLOY_TEMPLATE_ID = 'gateway-deploy';

const HOST = '${host.id}';
const ONE_RETRY: WfRetry = { max: 1, backoffMs: 5000, factor: 1, maxBackoffMs: 5000 };
const PLAN = { cluster: '${params.cluster}', nodes: '${params.nodes}' };
const WHERE = { installDir: '${params.installDir}', installDirs: '${params.installDirs}' };
const UPLOAD_FAN = { concurrency: 50, batchSize: 1000, maxFailPct: 100 };
/** One host at a time; pause on any failure. */
const ROLLING = { concurrency: 1, batchSize: 1, maxFailPct: 0 };

const PARAMS: readonly WfParamSpec[] = [
  { name: 'cluster', type: 'object', required: true, title: 'The cluster config (MgwCluster: cluster, r, nodes, vips, backends, controlTokenSha256, ...)' },
  { name: 'nodes', type: 'object', required: true, title: 'The fleet host of each node (node id -> device id)' },
  { name: 'installDir', type: 'string', required: false, default: DEFAULT_INSTALL_DIR, title: 'Install folder on the hosts' },
  { name: 'installDirs', type: 'object', required: false, title: 'Install folder per host (device id or SN -> folder), where hosts differ' },
  { name: 'bindVips', type: 'boolean', required: false, default: true, title: 'Nodes bind the VIPs (false where a router in front owns them)' },
  { name: 'readyWindowMs', type: 'number', required: false, default: DEFAULT_READY_WINDOW_MS, title: 'Time a started node has to answer /health 200 (ms)' },
];

export const GATEWAY_DEPLOY_TEMPLATE: WfTemplate = {
  id: GATEWAY_DEPLOY_TEMPLATE_ID,
  name: 'Deploy a gateway cluster',
  description:
    'Deploys an MGW gateway cluster over SSH onto the hosts its nodes are mapped to: checks the cluster config and the mapping, uploads the Node runtime ' +
    '(only where the host lacks it), the gateway bundle and each node\'s run config, then, one host at a time, restarts each node whose build or config changed under its ' +
    'supervisor and waits for its /health to answer 200 (resynced from its peers); a node that is not ready in time fails its step with the end of its log and the run pauses.',
  params: [...PARAMS],
  steps: [
    { id: 'check', title: 'Check the cluster', tool: 'gateway.check', scope: 'run', inputs: { ...PLAN } },
    {
      id: 'upload', title: 'Upload', tool: 'gateway.upload', scope: 'host', inputs: { deviceId: HOST, ...PLAN, ...WHERE, bindVips: '${params.bindVips}' },
      fanOut: UPLOAD_FAN, retry: ONE_RETRY, timeoutMs: 30 * 60_000, onTimeout: 'fail',
    },
    {
      id: 'activate', title: 'Start and wait for ready', tool: 'gateway.activate', scope: 'host',
      inputs: {
        deviceId: HOST, ...PLAN, ...WHERE, runtimeSha256: '${steps.upload.outputs.runtimeSha256}', bundleKey: '${steps.upload.outputs.bundleKey}',
        sums: '${steps.upload.outputs.sums}', readyWindowMs: '${params.readyWindowMs}',
      },
      fanOut: ROLLING, poll: { intervalMs: 1000, deadlineMs: 30 * 60_000 }, onTimeout: 'fail',
    },
  ],
};

export const GATEWAY_TEMPLATES: readonly WfTemplate[] = [GATEWAY_DEPLOY_TEMPLATE];
