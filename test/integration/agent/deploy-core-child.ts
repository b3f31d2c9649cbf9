// A console in its own process for the deploy kill -9 test (deploy-kill9.test.ts): createCore on
// the test's store and agent port, with the test's releases; with a `launch` it starts an
// agents.upgrade as an operator and prints {"launched": runId}; it prints {"ready": true} once
// started (open runs resumed) and stays up until SIGTERM (core disposed, exit 0) or SIGKILL.
// Usage: node --import tsx test/integration/agent/deploy-core-child.ts '<json config>'
import { createCore } from '../../../src-main/core/create-core';

interface ChildConfig {
  readonly storePath: string;
  readonly secretKeyHex: string;
  readonly agentsPort: number;
  readonly bundleDir: string;
  readonly releasesDir: string;
  readonly collect: Record<string, unknown>;
  readonly launch?: { agentIds: string[]; version: string; installDirs: Record<string, string>; healthWindowMs: number };
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const say = (o: unknown): void => void process.stdout.write(`${JSON.stringify(o)}\n`);

const core = await createCore({
  storePath: cfg.storePath, secretKey: Buffer.from(cfg.secretKeyHex, 'hex'), lab: false, bmcSensors: false, poller: { intervalMs: 600_000 },
  agents: { listen: { host: '127.0.0.1', port: cfg.agentsPort }, collect: cfg.collect, bundleDir: cfg.bundleDir, releasesDir: cfg.releasesDir, runtimePath: process.execPath },
});
if (cfg.launch) {
  const r = await core.api.call({ actor: 'oli', role: 'operator' }, 'agents.upgrade', cfg.launch);
  say({ launched: r.runId });
}
say({ ready: true });
process.once('SIGTERM', () => {
  void core.dispose().then(() => process.exit(0));
});
