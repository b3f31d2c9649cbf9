// The lab's MGW gateway cluster as the core's lab module runs it (src-main/core/lab-link/
// lab-gateways.ts): on its own prefix, 127.89 (cluster at 127.89.0.x; nothing else in test/
// uses 127.89), from the daemons' sources through tsx. Every node's /health comes to 200
// (ready) and the console's scraper sees the cluster ready with its backends up; a node
// killed with -9 by its pid is started again by the supervisor (a new pid, its stateDir kept)
// and comes back ready after it resyncs; stop() ends every child (each pid gone) and removes
// its dir. A child that keeps dying waits twice as long each time. Then through
// startLabModule with a small lab on aliases: the module hands the cluster to the gateways
// capability (gatewayClusters) and its dispose stops the children.
// Every child is started by the code under test as a child of this runner, and stopped by pid.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { InventoryDocument } from '../../../src-shared/domain';
import { EventHub } from '../../../src-main/core/events/event-hub';
import { startGateways, type GatewaysCapability } from '../../../src-main/core/gateways/gateways-capability';
import { startLabGateways, type LabGatewayDaemons, type LabGateways } from '../../../src-main/core/lab-link/lab-gateways';
import { startLabModule, type LabModule, type LabModuleDeps } from '../../../src-main/core/lab-link/lab-module';
import { alive, until } from '../../support/handles';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const LAB_ENTRY = join(ROOT, 'src-main', 'lab', 'lab-process.ts');
const PREFIX = '127.89';
// The sources, whether or not the bundles are built: the test runs what the commit holds.
const DAEMONS: LabGatewayDaemons = {
  mgw: { command: process.execPath, args: ['--import', 'tsx', join(ROOT, 'src-daemons', 'mgw', 'entry.ts')], cwd: ROOT },
  agent: { command: process.execPath, args: ['--import', 'tsx', join(ROOT, 'src-daemons', 'agent', 'entry.ts')], cwd: ROOT },
};

function health(address: string, port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: address, port, path: '/health', timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'fd-lab-gateways-'));
let gw: LabGateways | null = null;
let cap: GatewaysCapability | null = null;
let lab: LabModule | null = null;
const logs: string[] = [];
const log = (l: string): void => void logs.push(l);
afterAll(async () => {
  await cap?.dispose();
  await gw?.stop();
  await lab?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const allHealthy = async (g: LabGateways): Promise<boolean> => (await Promise.all(g.cluster.nodes.map((n) => health(n.control.address, n.control.port)))).every((s) => s === 200);

describe('lab gateways', () => {
  it('runs 3 backends, 3 nodes and the router; restarts a node killed with -9; stops every child by pid', async () => {
    gw = startLabGateways({ addressPrefix: PREFIX, dataDir, daemons: DAEMONS, restartDelayMs: 200, log });
    expect(gw).not.toBeNull();
    const g = gw!;
    expect(g.cluster.cluster).toBe('lab');
    expect(g.cluster.nodes.map((n) => n.control.address)).toEqual(['127.89.0.11', '127.89.0.12', '127.89.0.13']);
    expect(g.clusters).toEqual([{ cluster: g.cluster, token: g.token }]);
    expect(g.dir.startsWith(dataDir)).toBe(true);
    expect(g.children().map((c) => c.name)).toEqual(['be1', 'be2', 'be3', 'gw1', 'gw2', 'gw3', 'router']);
    // Spawned at once, answering later.
    expect(g.children().every((c) => c.pid !== undefined && c.starts === 1)).toBe(true);

    try {
      await until('every node answers /health 200', () => allHealthy(g), 60_000, 200);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${g.logs().slice(-40).join('\n')}`, { cause: err });
    }
    cap = startGateways({ hub: new EventHub(), clusters: g.clusters, intervalMs: 0 });
    const ready = await until('the scraper sees 3 nodes ready with 3 backends up', async () => {
      const [c] = await cap!.scrapeNow();
      return c.ready === 3 && c.nodes.every((n) => n.backends.length === 3 && n.backends.every((b) => b.up)) ? c : false;
    }, 30_000, 200);
    expect(ready.id).toBe('lab');
    expect(ready.vips).toEqual(['127.89.0.1:5300']);

    // A drill: kill -9 of gw2 by its pid.
    const before = g.children().find((c) => c.name === 'gw2')!;
    process.kill(before.pid!, 'SIGKILL');
    await until('gw2 started again', () => {
      const now = g.children().find((c) => c.name === 'gw2')!;
      return now.starts === 2 && now.pid !== undefined && now.pid !== before.pid;
    }, 30_000, 50);
    expect(alive(before.pid!)).toBe(false);
    const gw2 = g.cluster.nodes[1].control;
    await until('gw2 ready again (after its resync)', async () => (await health(gw2.address, gw2.port)) === 200, 60_000, 200);
    expect(existsSync(join(g.dir, 'state-gw2', 'epoch'))).toBe(true);
    // The others were never touched.
    expect(g.children().filter((c) => c.name !== 'gw2').every((c) => c.starts === 1)).toBe(true);
    expect(logs.some((l) => l.includes('gw2 exited (code null, signal SIGKILL); starting it again in 200 ms'))).toBe(true);
    expect(logs.some((l) => l.startsWith('lab gateways: [gw2] '))).toBe(true);

    const pids = g.children().map((c) => c.pid!);
    expect(pids.every((p) => alive(p))).toBe(true);
    await g.stop();
    expect(pids.filter((p) => alive(p))).toEqual([]);
    expect(g.children().every((c) => c.pid === undefined)).toBe(true);
    expect(existsSync(g.dir)).toBe(false);
    // Stopped children stay stopped.
    expect(g.children().every((c) => c.starts === (c.name === 'gw2' ? 2 : 1))).toBe(true);
  }, 180_000);

  it('backs off a child that keeps dying: each quick death doubles the delay', async () => {
    const dying = { command: process.execPath, args: ['-e', 'process.exit(3)'] };
    const seen: string[] = [];
    const g = startLabGateways({ addressPrefix: PREFIX, dataDir, daemons: { mgw: dying, agent: dying }, restartDelayMs: 20, log: (l) => void seen.push(l) })!;
    try {
      const be1 = (ms: number): string => `lab gateways: be1 exited (code 3, signal null); starting it again in ${ms} ms`;
      await until('be1 restarted with 20, 40, 80 and 160 ms', () => [20, 40, 80, 160].every((ms) => seen.includes(be1(ms))), 30_000, 20);
      expect(seen.filter((l) => l.startsWith('lab gateways: be1 exited')).slice(0, 4)).toEqual([20, 40, 80, 160].map(be1));
    } finally {
      await g.stop();
    }
    expect(g.children().every((c) => c.pid === undefined)).toBe(true);
    expect(existsSync(g.dir)).toBe(false);
  });

  it('is null for a prefix that is no lab\'s own aliases', () => {
    expect(startLabGateways({ addressPrefix: '127.0.0.1', daemons: DAEMONS, log })).toBeNull();
  });

  it('the lab module runs it when asked, gives it to the gateways capability and stops it on dispose', async () => {
    const store = {
      credentials: { put: () => {} },
      inventory: {
        document: (): InventoryDocument => ({ format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [] }),
        upsert: () => {},
        devicesInCabinet: () => [],
      },
    } as unknown as LabModuleDeps['store'];
    lab = await startLabModule({
      config: {
        entry: LAB_ENTRY, seed: 3, size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 1, devices: 6 },
        addressPrefix: PREFIX, snmpPort: 16689, loopback: 'aliases', stateFile: join(dataDir, 'lab-state.json'), gateways: true,
      },
      store,
      log,
      gateways: { daemons: DAEMONS },
    });
    expect(lab.addressPrefix).toBe(PREFIX);
    expect(lab.gatewayClusters.map((c) => c.cluster.cluster)).toEqual(['lab']);
    expect(lab.gatewayClusters[0].token).toBe(lab.gateways!.token);
    const dir = lab.gateways!.dir;
    expect(dir.startsWith(dataDir)).toBe(true);
    const pids = lab.gateways!.children().map((c) => c.pid!);
    expect(pids).toHaveLength(7);
    await until('a node answers', async () => (await health(`${PREFIX}.0.11`, 7003)) > 0, 60_000, 200);
    await lab.dispose();
    lab = null;
    expect(pids.filter((p) => alive(p))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  }, 120_000);
});
