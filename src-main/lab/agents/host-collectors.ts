// What a lab agent identity collects, and what the lab reads from an uploaded bundle.
// Collectors: the agent's own (src-daemons/agent/collect), pointed at the lab host instead of
// this machine: metrics read the host's generated /proc files through readText and its
// simulated filesystems through statfs; the inventory reads its os-release and kernel the
// same way and its packages from a dpkg status file the lab writes for Debian and Ubuntu
// hosts (Rocky hosts list none: there is no rpm database to ask); declared files are hashed
// from the host's own files (a file the lab keeps by checksum answers its kept sha256). The
// lab hosts run no named processes, so the process collector looks at an empty /proc and
// reports each name as not running.
// Bundles: the lab cannot run one, so it reads the banner scripts/build-daemons.mjs puts on
// its first line, `/* fleetdeck-agent <version> */` or `/* fleetdeck-agent-supervise <version> */`.
import path from 'node:path';
import type { AgentOptions } from '../../../src-daemons/agent/agent';
import { createInventoryCollector } from '../../../src-daemons/agent/collect/inventory';
import { createMetricsCollector } from '../../../src-daemons/agent/collect/metrics';
import { createProcessCollector } from '../../../src-daemons/agent/collect/processes';
import type { ReadText } from '../../../src-daemons/agent/collect/read';
import type { InventoryData } from '../../../src-daemons/agent/collect/types';
import type { LabFileSystem } from '../ssh/ssh-files';
import { statfsOf } from '../ssh/ssh-proc';
import type { AgentHost } from './lab-agents';

export type BundleKind = 'agent' | 'supervise';

const BANNER = /^\/\* fleetdeck-agent(-supervise)? ([0-9A-Za-z][0-9A-Za-z.+_-]{0,63}) \*\//;

/** The bundle at a host path: which one and its version, or why the lab cannot run it (worded as the runtime would). */
export function bundleAt(fs: LabFileSystem, file: string): { kind: BundleKind; version: string } | { error: string } {
  if (!file) return { error: 'the lab runs FleetDeck bundles only, and none was named' };
  if (fs.isDir(file)) return { error: `EISDIR: illegal operation on a directory, read '${file}'` };
  if (fs.checksumOnly(file)) return { error: `${file}: the lab keeps only this file's checksum, so it cannot read the bundle` };
  const head = fs.read(file)?.subarray(0, 200).toString('utf8');
  if (head === undefined) return { error: `Cannot find module '${fs.resolve(file)}'` };
  const m = BANNER.exec(head);
  if (!m) return { error: `${file} has no /* fleetdeck-agent <version> */ banner: the lab cannot tell what it would run, so it does not run it` };
  return { kind: m[1] ? 'supervise' : 'agent', version: m[2] };
}

type FileSum = InventoryData['files'][number];

/** A declared file's checksum from the host's files, as the agent's sha256File would report it. */
function hostFileSum(fs: LabFileSystem, file: string): FileSum {
  const fail = (error: string): FileSum => ({ path: file.slice(0, 4096), sha256: null, error });
  if (!file.startsWith('/')) return fail('not-absolute');
  if (fs.isDir(file)) return fail('not-a-file');
  const sha256 = fs.sha256(file);
  return sha256 ? { path: file.slice(0, 4096), sha256, error: null } : fail('ENOENT');
}

export function createHostCollectors(host: AgentHost, read: ReadText, dpkgStatus: string): NonNullable<AgentOptions['collectors']> {
  const inventory = createInventoryCollector({ etcRoot: '/etc', procRoot: '/proc', readText: read, dpkgStatus, rpmCommand: null });
  return {
    metrics: createMetricsCollector({
      procRoot: '/proc',
      readText: read,
      statfs: async (mountPoint) => {
        const s = statfsOf(host.facts, mountPoint, Date.now());
        if (!s) throw Object.assign(new Error(`ENOENT: no such file or directory, statfs '${mountPoint}'`), { code: 'ENOENT' });
        return s;
      },
    }),
    processes: createProcessCollector({ procRoot: path.join(path.dirname(dpkgStatus), 'no-proc') }),
    inventory: {
      async sample(files) {
        const base = await inventory.sample([]);
        return { ...base, files: files.slice(0, 1024).map((f) => hostFileSum(host.fs, f)) };
      },
    },
  };
}
