// The console's gateways capability (src-main/core/gateways) against a real cluster on loopback
// (test/support/mgw-lab.ts): every node ready with its backends' Maglev shares; sessions and
// new sessions per second after traffic (each session on R = 2 nodes); a killed node reported
// unreachable with the reason while the others go on; a wrong token refused by the control API.
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayClusterStatus } from '../../../src-shared/domain/gateway';
import { EventHub } from '../../../src-main/core/events/event-hub';
import { startGateways, type GatewaysCapability } from '../../../src-main/core/gateways/gateways-capability';
import { sleep } from '../../support/handles';
import { SessionClients, startMgwLab, type MgwLab } from '../../support/mgw-lab';

const NET = 36;
let lab: MgwLab | null = null;
let clients: SessionClients | null = null;
const caps: GatewaysCapability[] = [];
afterAll(async () => {
  for (const c of caps) await c.dispose();
  clients?.close();
  await lab?.stop();
});

describe('gateways capability', () => {
  it('scrapes each node: state, sessions, rates, backend shares; a dead node and a wrong token are named', async () => {
    lab = await startMgwLab({ net: NET, nodes: 3, backends: 4, r: 2 });
    const hub = new EventHub();
    const seen: GatewayClusterStatus[] = [];
    hub.on('onDidChangeGateways', (s) => seen.push(s));
    const cap = startGateways({ hub, clusters: [{ cluster: lab.cluster, token: lab.token }], intervalMs: 0 });
    caps.push(cap);
    const [first] = await cap.scrapeNow();
    expect(first.ready).toBe(3);
    expect(first.nodes.map((n) => `${n.id}:${n.state}:${n.error}`)).toEqual(['gw1:ready:null', 'gw2:ready:null', 'gw3:ready:null']);
    for (const n of first.nodes) {
      expect(n.backends.map((b) => b.name)).toEqual(['be1', 'be2', 'be3', 'be4']);
      for (const b of n.backends) {
        expect(b.up).toBe(true);
        expect(b.share).toBeCloseTo(0.25, 2);
      }
      expect(n.peersLive).toHaveLength(2);
    }

    clients = new SessionClients(400);
    await clients.open(NET);
    for (let k = 0; k < 5 && (k === 0 || clients.silentSince(1).length > 0); k++) {
      await clients.sendAll(lab.vip);
      await sleep(300);
    }
    await sleep(500);
    const [after] = await cap.scrapeNow();
    // Each session is on both members of its replica set.
    expect(after.sessions).toBe(800);
    expect(after.nodes.reduce((a, n) => a + (n.newPerS ?? 0), 0)).toBeGreaterThan(0);
    expect(after.nodes.every((n) => n.replicationDebt === 0)).toBe(true);
    expect(cap.api['gateways.cluster']({ id: lab.cluster.cluster }, { actor: 'v', role: 'viewer' })).toEqual(after);
    expect(seen.length).toBeGreaterThanOrEqual(2);

    lab.killNode(1);
    const [dead] = await cap.scrapeNow();
    expect(dead.ready).toBe(2);
    expect(dead.nodes[1]).toMatchObject({ id: 'gw2', state: 'unreachable' });
    expect(dead.nodes[1].error).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up|no answer/);

    const wrong = startGateways({ hub, clusters: [{ cluster: lab.cluster, token: 'not-the-token' }], intervalMs: 0 });
    caps.push(wrong);
    const [refused] = await wrong.scrapeNow();
    expect(refused.nodes[0].state).toBe('unreachable');
    expect(refused.nodes[0].error).toContain('/api/state answered 403');
    expect(() => cap.api['gateways.cluster']({ id: 'nope' }, { actor: 'v', role: 'viewer' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  }, 120_000);
});
