// The deploy's other pieces on a fake host (fake-host.ts) and real files: the release
// catalogue (the built-in bundle's version from its banner, else its `version` command, else package.json;
// extra releases by folder; an unknown one refused naming the known ones), agent.upload (the
// runtime shipped only when the host's checksum differs; a non-Linux host refused naming what
// it is), agent.enrol (keygen with the running build when the new one is broken; agent.json
// 0600 as the run-config schema reads it; a revoked agent not re-enrolled), the log line that
// says why, the probe, and the shipped templates against the real tools.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentRunConfig } from '../../../../src-shared/agent-protocol/run-config';
import { lastMeaningfulLine } from '../../../../src-main/core/agents/deploy/agent-runner';
import { agentEnrolTool } from '../../../../src-main/core/agents/deploy/enrol-tool';
import { AGENT_TEMPLATES, agentDeployTemplate, deployTools } from '../../../../src-main/core/agents/deploy';
import { releaseCatalogue } from '../../../../src-main/core/agents/deploy/releases';
import { agentUploadTool, parseProbe } from '../../../../src-main/core/agents/deploy/upload-tool';
import { validateTemplate } from '../../../../src-main/core/workflows/template';
import { toolRegistry, type ToolContext } from '../../../../src-main/core/workflows/tool';
import { BUILTIN_TOOLS } from '../../../../src-main/core/workflows/workflows-module';
import { DEV, fakeHost, SUM } from './fake-host';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-deploy-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bundle(at: string, version: string, agentJs?: string): string {
  mkdirSync(at, { recursive: true });
  writeFileSync(path.join(at, 'agent.js'), agentJs ?? `if (process.argv[2] === 'version') console.log(${JSON.stringify(version)});\n`);
  writeFileSync(path.join(at, 'agent-supervise.js'), '// supervisor\n'.repeat(10));
  return at;
}
const bundleDir = bundle(path.join(dir, 'builtin'), '1.0.0');
const releasesDir = path.join(dir, 'releases');
bundle(path.join(releasesDir, '1.1.0'), '1.1.0');
bundle(path.join(releasesDir, '2.0.0-bad'), '2.0.0-bad', 'console.error("planted: bad build"); process.exit(3);\n');
mkdirSync(path.join(releasesDir, 'incomplete'));
const runtimePath = path.join(dir, 'node');
writeFileSync(runtimePath, 'not really node');
const releases = releaseCatalogue({ bundleDir, releasesDir, runtimePath: process.execPath });

const ctx = (over: Partial<ToolContext> = {}): ToolContext => ({
  runId: 'run-1', stepId: 'step', host: DEV, attempt: 1, signal: new AbortController().signal, log: () => {}, callbackUrl: null, pollState: null, check: 0, actor: 'oli', role: 'operator', ...over,
});

describe('releases', () => {
  it('the built-in version is what its bundle says; extra releases by folder; unknown ones named', async () => {
    expect(await releases.release('')).toMatchObject({ version: '1.0.0', builtIn: true, files: { 'agent.js': { path: path.join(bundleDir, 'agent.js') } } });
    expect(await releases.release('1.0.0')).toMatchObject({ builtIn: true });
    const r = await releases.release('1.1.0');
    expect(r).toMatchObject({ version: '1.1.0', builtIn: false });
    expect(r.files['agent.js'].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await releases.versions()).toEqual(['1.0.0', '1.1.0', '2.0.0-bad']);
    await expect(releases.release('9.9.9')).rejects.toMatchObject({ name: 'AgentReleaseNotFoundError', code: 'NOT_FOUND', message: 'There is no agent release 9.9.9; known: 1.0.0, 1.1.0, 2.0.0-bad' });
    await expect(releases.release('../etc')).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it("a bundle that cannot say its version takes package.json's, two folders up", async () => {
    const root = path.join(dir, 'app');
    bundle(path.join(root, 'resources', 'daemons'), '', 'process.exit(1);\n');
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ version: '0.4.2' }));
    expect((await releaseCatalogue({ bundleDir: path.join(root, 'resources', 'daemons'), runtimePath: process.execPath }).release('')).version).toBe('0.4.2');
  });

  it("reads the version from the bundle's banner without running it", async () => {
    const at = bundle(path.join(dir, 'bannered'), '', '/* fleetdeck-agent 3.0.1+lab */\nprocess.exit(1);\n');
    expect((await releaseCatalogue({ bundleDir: at, runtimePath: path.join(dir, 'no-such-node') }).release('')).version).toBe('3.0.1+lab');
  });

  it('no runtime configured where the default does not fit is refused naming the setting', async () => {
    await expect(releaseCatalogue({ bundleDir, runtimePath: path.join(dir, 'missing') }).runtime()).rejects.toMatchObject({ code: 'UNAVAILABLE', params: { field: 'agents.runtimePath' } });
  });
});

describe('agent.upload', () => {
  it('ships the runtime (0755) and the bundle (0644) into the layout, verified by sha256', async () => {
    const host = fakeHost({ good: new Set(['1.0.0']), now: Date.now });
    const runtime = { path: runtimePath, sha256: SUM, bytes: 15 };
    const uploads: { remotePath: string; sha256?: string }[] = [];
    const base = host.deps({ releases: { ...releases, runtime: async () => runtime } });
    const tool = agentUploadTool({ ...base, host: { ...base.host, upload: (dev, u) => (uploads.push(u), base.host.upload(dev, u)) } });
    const first = await tool.run(ctx(), tool.input.parse({ deviceId: DEV.id }));
    expect(first).toMatchObject({ status: 'done', output: { version: '1.0.0', runtimeShipped: true, systemd: false, root: true, runtimeSha256: SUM } });
    const rel = await releases.release('');
    expect(uploads.map((u) => [u.remotePath, u.sha256])).toEqual([
      [`/opt/fleetdeck/runtime/node-${SUM.slice(0, 12)}/node`, SUM],
      ['/opt/fleetdeck/agent/1.0.0/agent.js', rel.files['agent.js'].sha256],
      ['/opt/fleetdeck/agent/1.0.0/agent-supervise.js', rel.files['agent-supervise.js'].sha256],
    ]);
    expect(host.state.uploads.get(`/opt/fleetdeck/runtime/node-${SUM.slice(0, 12)}/node`)?.mode).toBe(0o755);
    expect(host.state.uploads.get('/opt/fleetdeck/agent/1.0.0/agent.js')?.mode).toBe(0o644);
  });

  it('a second upload finds the runtime by its checksum and ships only the bundle', async () => {
    const host = fakeHost({ good: new Set(['1.1.0']), now: Date.now });
    const tool = agentUploadTool(host.deps({ releases: { ...releases, runtime: async () => ({ path: runtimePath, sha256: SUM, bytes: 15 }) } }));
    const one = await tool.run(ctx(), tool.input.parse({ deviceId: DEV.id, version: '1.1.0' }));
    const two = await tool.run(ctx(), tool.input.parse({ deviceId: DEV.id, version: '1.1.0' }));
    expect(one).toMatchObject({ output: { runtimeShipped: true, bytesShipped: 3000 } });
    expect(two).toMatchObject({ output: { runtimeShipped: false, bytesShipped: 2000 } });
  });

  it('refuses a host that is not Linux x86_64, naming what it is', async () => {
    const host = fakeHost({ good: new Set(), now: Date.now, probe: 'Linux aarch64\nsystemd\n0\nbooted\n' });
    const tool = agentUploadTool(host.deps({ releases }));
    await expect(tool.run(ctx(), tool.input.parse({ deviceId: DEV.id }))).rejects.toMatchObject({
      name: 'UnsupportedHostError', code: 'BAD_REQUEST', message: 'web-01 runs Linux aarch64: the agent runs on Linux x86_64 only for now',
    });
    expect(host.state.uploads.size).toBe(0);
  });
});

describe('agent.enrol', () => {
  it('keygen with the running build when the new one is broken; enrolled by the actor; agent.json 0600 as the agent reads it', async () => {
    const host = fakeHost({ good: new Set(['1.1.0']), now: Date.now, current: '1.1.0' });
    const enrolled: unknown[] = [];
    const audit: unknown[] = [];
    const base = host.deps();
    const tool = agentEnrolTool({ ...base, agents: { ...base.agents, enrol: (...a) => (enrolled.push(a), base.agents.enrol(...a)) }, audit: (e) => audit.push(e) });
    const r = await tool.run(ctx(), tool.input.parse({ deviceId: DEV.id, version: '2.0.0-bad', runtimeSha256: SUM }));
    expect(r).toMatchObject({ status: 'done', output: { agentId: 'srv-1', console: '127.0.0.1:7000' } });
    expect(host.state.commands).toContain(host.cmd.keygen('1.1.0'));
    expect(host.state.commands).not.toContain(host.cmd.keygen('2.0.0-bad'));
    expect(enrolled).toEqual([['srv-1', Buffer.from(host.state.publicKey, 'base64'), 'srv-1', 'oli']]);
    expect(audit).toEqual([expect.objectContaining({ actor: 'oli', role: 'operator', action: 'agent.enrol', outcome: 'succeeded' })]);
    const file = host.state.uploads.get('/opt/fleetdeck/agent.json')!;
    expect(file.mode).toBe(0o600);
    const config = agentRunConfig.parse(JSON.parse(Buffer.from(file.bytes as Uint8Array).toString()));
    expect(config).toMatchObject({ agentId: 'srv-1', console: { host: '127.0.0.1', port: 7000, fingerprint256: base.agents.fingerprint256 }, stateDir: '/opt/fleetdeck/state', hostname: 'web-01' });
  });

  it('a fresh host uses the uploaded build; a revoked agent is not enrolled again', async () => {
    const host = fakeHost({ good: new Set(['1.0.0']), now: Date.now, base: '/srv/fd' });
    const tool = agentEnrolTool(host.deps());
    await tool.run(ctx(), tool.input.parse({ deviceId: DEV.id, version: '1.0.0', runtimeSha256: SUM, installDirs: { 'SN-1': '/srv/fd/' } }));
    expect(host.state.commands).toContain(host.cmd.keygen('1.0.0'));
    const base = host.deps();
    const revoked = agentEnrolTool({ ...base, agents: { ...base.agents, summary: (id) => ({ ...base.agents.summary(id)!, state: 'revoked', revokedBy: 'ada' }) } });
    await expect(revoked.run(ctx(), revoked.input.parse({ deviceId: DEV.id, version: '1.0.0', runtimeSha256: SUM }))).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('revoked by ada') });
  });
});

describe('why an agent did not come up', () => {
  const since = Date.parse('2026-01-01T10:00:00Z');
  it("takes the last line the agent wrote since the start, leaving out Node's stack, banner and the supervisor's records", () => {
    const tail = [
      '2026-01-01T09:59:00.000Z agent srv-1 1.1.0 started (pid 9)',
      '2026-01-01T10:00:01.000Z supervisor[5]: started child 10: node agent.js run',
      '/opt/fleetdeck/agent/2.0.0/agent.js:1',
      'throw new Error("boom")',
      '^',
      '',
      'Error: config is broken',
      '    at Object.<anonymous> (/opt/fleetdeck/agent/2.0.0/agent.js:1:7)',
      'Node.js v24.22.3',
      '2026-01-01T10:00:01.100Z supervisor[5]: child 10 exited with code 1 after 80 ms; restart 1 in 1000 ms',
    ].join('\n');
    expect(lastMeaningfulLine(tail, since)).toBe('Error: config is broken');
    expect(lastMeaningfulLine('planted: bad build\n2026-01-01T10:00:02.000Z supervisor[5]: child 11 exited with code 3\n', since)).toBe('planted: bad build');
    expect(lastMeaningfulLine('2026-01-01T10:00:02.000Z link: refused (revoked: agent srv-1 is revoked)\n', since)).toBe('link: refused (revoked: agent srv-1 is revoked)');
  });
  it("only the supervisor's records, or nothing since the start", () => {
    expect(lastMeaningfulLine('2026-01-01T10:00:01.000Z supervisor[5]: child - failed to start (spawn ENOENT)\n', since)).toBe('child - failed to start (spawn ENOENT)');
    expect(lastMeaningfulLine('2026-01-01T09:00:00.000Z agent: old news\n', since)).toBeNull();
  });
  it('reads the probe', () => {
    expect(parseProbe('Linux x86_64\nsystemd\n0\nbooted\n')).toEqual({ system: 'Linux x86_64', pid1: 'systemd', root: true, systemd: true });
    expect(parseProbe('Linux x86_64\nsystemd\n1000\nnot-booted\n')).toMatchObject({ root: false, systemd: false });
  });
});

describe('shipped templates', () => {
  const host = fakeHost({ good: new Set(), now: Date.now });
  const tools = toolRegistry([...BUILTIN_TOOLS, ...deployTools(host.deps())]);
  it.each(AGENT_TEMPLATES.map((t) => [t.id, t] as const))('%s passes the template check', (_id, t) => {
    expect(validateTemplate(t, tools).template.id).toBe(t.id);
  });
  it('batches in the template; other settings are a variant under an id that names them', () => {
    const shipped = agentDeployTemplate();
    expect(shipped.id).toBe('agent-deploy');
    expect(shipped.steps.map((s) => [s.tool, s.fanOut])).toEqual(['agent.upload', 'agent.enrol', 'agent.activate'].map((t) => [t, { concurrency: 10, batchSize: 10, maxFailPct: 20 }]));
    const one = agentDeployTemplate({ batchSize: 1, maxFailPct: 0 });
    expect(one.id).toBe('agent-deploy-b1-f0');
    expect(validateTemplate(one, tools).template.steps.every((s) => s.fanOut?.batchSize === 1 && s.fanOut.maxFailPct === 0)).toBe(true);
  });
  it('declares kinds and idempotence', () => {
    expect(Object.fromEntries(deployTools(host.deps()).map((t) => [t.name, `${t.kind}/${t.idempotent}`]))).toEqual({ 'agent.upload': 'sync/true', 'agent.enrol': 'sync/true', 'agent.activate': 'poll/true' });
  });
});
