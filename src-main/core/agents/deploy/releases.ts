// What the deploy workflow can ship: agent releases and the Node runtime. The built-in release
// is the console's own bundle (AgentsConfig.bundleDir, default resources/daemons under the
// working directory: agent.js and agent-supervise.js as scripts/build-daemons.mjs builds
// them); its version is the one its banner names (`/* fleetdeck-agent 1.2.3 */`, what its
// `version` command prints), else what that command prints when run with the runtime, else
// package.json's two folders above the bundle. Extra releases sit under
// AgentsConfig.releasesDir as <version>/agent.js and <version>/agent-supervise.js. The runtime
// is AgentsConfig.runtimePath, by default this process's own node when the console is plain
// Node on Linux x86_64 (under Electron, or on another system, it must be configured: the
// console's binary would not run on the hosts).
// Checksums are computed once per file and kept while its size and mtime stay the same (the
// runtime is 100+ MB; a deploy of 200 hosts must not hash it 200 times).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { FleetDeckError } from '../../../../src-shared/errors';
import { AgentReleaseNotFoundError } from './errors';
import { VERSION_PATTERN } from './host-commands';

const run = promisify(execFile);

export const RELEASE_FILES = ['agent.js', 'agent-supervise.js'] as const;
export type ReleaseFileName = (typeof RELEASE_FILES)[number];

export interface ShippedFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface AgentRelease {
  readonly version: string;
  /** The console's own bundle (bundleDir), not one from releasesDir. */
  readonly builtIn: boolean;
  readonly files: Readonly<Record<ReleaseFileName, ShippedFile>>;
}

export interface ReleaseCatalogue {
  /** A release by version; '' is the built-in one. AgentReleaseNotFoundError naming the known ones otherwise. */
  release(version: string): Promise<AgentRelease>;
  /** The versions on offer (the built-in one first, when its bundle is there). */
  versions(): Promise<string[]>;
  /** The Node runtime shipped to hosts (UNAVAILABLE when none is configured or it is missing). */
  runtime(): Promise<ShippedFile>;
}

export interface ReleaseConfig {
  readonly bundleDir?: string;
  readonly releasesDir?: string;
  readonly runtimePath?: string;
}

/** The runtime the console ships when none is configured: its own node, on Linux x86_64 under plain Node only. */
export function defaultRuntimePath(): string | null {
  if (process.versions.electron || process.platform !== 'linux' || process.arch !== 'x64') return null;
  return process.execPath;
}

/** A file to ship with its sha256, computed once per file and again only when its size or mtime changed. */
export function shippedFiles(): (file: string) => Promise<ShippedFile> {
  const sums = new Map<string, { size: number; mtimeMs: number; sha256: string }>();
  return async (file) => {
    const st = statSync(file);
    const kept = sums.get(file);
    if (kept && kept.size === st.size && kept.mtimeMs === st.mtimeMs) return { path: file, sha256: kept.sha256, bytes: st.size };
    const h = createHash('sha256');
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
    const sha256 = h.digest('hex');
    sums.set(file, { size: st.size, mtimeMs: st.mtimeMs, sha256 });
    return { path: file, sha256, bytes: st.size };
  };
}

export function releaseCatalogue(c: ReleaseConfig): ReleaseCatalogue {
  const bundleDir = path.resolve(c.bundleDir ?? path.join('resources', 'daemons'));
  const runtimePath = c.runtimePath ?? defaultRuntimePath();
  let builtIn: { key: string; version: string } | null = null;
  const shipped = shippedFiles();

  /** The version in the bundle's opening banner, or null. */
  const bannerVersion = (file: string): string | null => {
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(200);
      const n = readSync(fd, head, 0, head.length, 0);
      return /^\/\* fleetdeck-agent (\S+) \*\//.exec(head.subarray(0, n).toString('utf8'))?.[1] ?? null;
    } finally {
      closeSync(fd);
    }
  };

  const complete = (dir: string): boolean => RELEASE_FILES.every((f) => existsSync(path.join(dir, f)));

  async function builtInVersion(): Promise<string | null> {
    const agentJs = path.join(bundleDir, 'agent.js');
    if (!complete(bundleDir)) return null;
    const st = statSync(agentJs);
    const key = `${st.size}:${st.mtimeMs}`;
    if (builtIn?.key === key) return builtIn.version;
    let version: string | null = bannerVersion(agentJs);
    if (!version && runtimePath) {
      try {
        const out = await run(runtimePath, [agentJs, 'version'], { timeout: 15_000, maxBuffer: 4096 });
        version = out.stdout.trim();
      } catch {
        version = null;
      }
    }
    if (!version) {
      try {
        version = String((JSON.parse(readFileSync(path.join(bundleDir, '..', '..', 'package.json'), 'utf8')) as { version?: unknown }).version ?? '');
      } catch {
        version = null;
      }
    }
    if (!version || !VERSION_PATTERN.test(version)) {
      throw new FleetDeckError('UNAVAILABLE', `The built-in agent bundle in ${bundleDir} does not say its version (${runtimePath ? `\`agent.js version\` with ${runtimePath}` : 'no runtime to run it'}, nor package.json)`, { bundleDir });
    }
    builtIn = { key, version };
    return version;
  }

  const extraDir = (version: string): string | null => (c.releasesDir ? path.join(path.resolve(c.releasesDir), version) : null);

  async function versions(): Promise<string[]> {
    const out: string[] = [];
    const b = await builtInVersion().catch(() => null);
    if (b) out.push(b);
    if (c.releasesDir && existsSync(c.releasesDir)) {
      for (const name of readdirSync(c.releasesDir).sort()) {
        if (VERSION_PATTERN.test(name) && !out.includes(name) && complete(path.join(c.releasesDir, name))) out.push(name);
      }
    }
    return out;
  }

  async function filesIn(dir: string): Promise<AgentRelease['files']> {
    const [agent, supervise] = await Promise.all(RELEASE_FILES.map((f) => shipped(path.join(dir, f))));
    return { 'agent.js': agent, 'agent-supervise.js': supervise };
  }

  return {
    versions,
    async release(version) {
      if (version !== '' && !VERSION_PATTERN.test(version)) throw new FleetDeckError('VALIDATION', `"${version}" is not a release version (letters, digits and . + _ -, at most 64)`, { field: 'version' });
      const b = await builtInVersion();
      if (version === '' || version === b) {
        if (b === null) throw new AgentReleaseNotFoundError(version || '(built-in)', await versions(), `no built-in bundle in ${bundleDir}: run scripts/build-daemons.mjs`);
        return { version: b, builtIn: true, files: await filesIn(bundleDir) };
      }
      const dir = extraDir(version);
      if (!dir || !complete(dir)) throw new AgentReleaseNotFoundError(version, await versions(), c.releasesDir ? undefined : 'agents.releasesDir is not configured');
      return { version, builtIn: false, files: await filesIn(dir) };
    },
    async runtime() {
      if (!runtimePath) {
        throw new FleetDeckError('UNAVAILABLE', 'No Node runtime to ship to hosts: set agents.runtimePath (a Linux x86_64 node binary); this console is not plain Node on Linux x86_64', { field: 'agents.runtimePath' });
      }
      if (!existsSync(runtimePath)) throw new FleetDeckError('UNAVAILABLE', `The Node runtime ${runtimePath} (agents.runtimePath) does not exist`, { field: 'agents.runtimePath' });
      return shipped(runtimePath);
    },
  };
}
