// The gateway health store against a fake client: opening reads gateways.clusters; an
// onDidChangeGateways event replaces its cluster's status in place (the others untouched, the
// order kept) or appends a cluster not seen yet; a read older than an event's status does not
// undo it; each node keeps its last 60 statuses (one per scrape, none twice, nulls while
// unreachable, dropped with the node); a failed read keeps the old data beside its error. And
// the pure backend figures: up counts and mean Maglev shares over the reachable nodes only.
// Also the #/gateways route both ways.
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayBackendView, GatewayClusterStatus, GatewayNodeStatus } from '../../../../src-shared/domain/gateway';
import { FleetDeckError, RemoteError, serializeError } from '../../../../src-shared/errors';
import { setClient } from '../../../../src-renderer/stores/client';
import { formatRoute, parseRoute } from '../../../../src-renderer/stores/fleet/route';
import { attachGatewaysLive, closeGateways, loadGateways, useGatewaysStore } from '../../../../src-renderer/stores/gateways';
import { backendRows, HISTORY_POINTS, mergeCluster, recordHistory, type GatewayHistory } from '../../../../src-renderer/stores/gateways-figures';
import { fakeClient } from './fake-client';

const T0 = Date.parse('2026-12-03T17:00:00Z');
const gw = () => useGatewaysStore.getState();
const flush = () => new Promise<void>((r) => setTimeout(r, 0));

const be = (name: string, share: number, up = true): GatewayBackendView => ({ name, up, share });

function node(id: string, at: number, over: Partial<GatewayNodeStatus> = {}): GatewayNodeStatus {
  return {
    id, address: `10.0.0.${id.length}`, state: 'ready', error: null, sessions: 100, capacity: 1000, newPerS: 5, pps: 50, missesPerS: 0, redirectsPerS: 0,
    syncLagP99Ms: 2, replicationDebt: 0, backends: [be('b1', 0.5), be('b2', 0.5)], peersLive: [], scrapedAt: at, ...over,
  };
}

function cluster(id: string, at: number, nodes: GatewayNodeStatus[] = [node('n1', at), node('n2', at)]): GatewayClusterStatus {
  const ready = nodes.filter((n) => n.state === 'ready').length;
  return { id, r: 2, vips: ['10.9.0.1'], nodes, ready, sessions: nodes.reduce((s, n) => s + n.sessions, 0), scrapedAt: at };
}

afterEach(() => {
  setClient(null);
  closeGateways();
});

describe('the gateway store, live', () => {
  it('reads the clusters on open, with a first history point per node', async () => {
    const fake = fakeClient({ 'gateways.clusters': () => [cluster('a', T0), cluster('b', T0)] });
    await loadGateways();
    expect(fake.calls('gateways.clusters')).toHaveLength(1);
    expect(gw().clusters?.map((c) => c.id)).toEqual(['a', 'b']);
    expect(gw().error).toBeNull();
    expect(gw().history.a?.n1).toEqual([{ at: T0, sessions: 100, pps: 50, newPerS: 5, lag: 2 }]);
    expect(Object.keys(gw().history.b ?? {})).toEqual(['n1', 'n2']);
  });

  it('replaces a cluster in place on an event and appends one not seen yet', async () => {
    const fake = fakeClient({ 'gateways.clusters': () => [cluster('a', T0), cluster('b', T0)] });
    const live = attachGatewaysLive();
    await loadGateways();
    const push = fake.listeners.get('onDidChangeGateways');
    expect(push).toBeDefined();
    const b0 = gw().clusters?.[1];
    push?.(cluster('a', T0 + 2000, [node('n1', T0 + 2000, { sessions: 150 }), node('n2', T0 + 2000, { state: 'draining' })]));
    expect(gw().clusters?.map((c) => c.id)).toEqual(['a', 'b']);
    expect(gw().clusters?.[0]?.sessions).toBe(250);
    expect(gw().clusters?.[0]?.nodes[1]?.state).toBe('draining');
    expect(gw().clusters?.[1]).toBe(b0);
    push?.(cluster('c', T0 + 2000));
    expect(gw().clusters?.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(gw().history.a?.n1?.map((p) => p.sessions)).toEqual([100, 150]);
    live.dispose();
    expect(fake.listeners.has('onDidChangeGateways')).toBe(false);
  });

  it('keeps an event status newer than a read that answers after it', async () => {
    let answer: (v: GatewayClusterStatus[]) => void = () => undefined;
    const fake = fakeClient({ 'gateways.clusters': () => new Promise<GatewayClusterStatus[]>((r) => (answer = r)) });
    attachGatewaysLive();
    const read = loadGateways();
    await flush();
    fake.listeners.get('onDidChangeGateways')?.(cluster('a', T0 + 2000, [node('n1', T0 + 2000, { sessions: 7 })]));
    answer([cluster('a', T0), cluster('b', T0)]);
    await read;
    expect(gw().clusters?.map((c) => [c.id, c.scrapedAt])).toEqual([['a', T0 + 2000], ['b', T0]]);
    expect(gw().history.a?.n1?.map((p) => p.sessions)).toEqual([7]);
  });

  it('keeps the old clusters beside a failed read, and clears the error on the next good one', async () => {
    let fail = false;
    fakeClient({
      'gateways.clusters': () => {
        if (fail) throw new RemoteError(serializeError(new FleetDeckError('UNAVAILABLE', 'core is shutting down')));
        return [cluster('a', T0)];
      },
    });
    await loadGateways();
    fail = true;
    await loadGateways();
    expect(gw().error?.code).toBe('UNAVAILABLE');
    expect(gw().clusters?.map((c) => c.id)).toEqual(['a']);
    expect(gw().history.a?.n1).toHaveLength(1);
    fail = false;
    await loadGateways();
    expect(gw().error).toBeNull();
  });

  it('shows an empty list (none configured) as [] and forgets everything on close', async () => {
    fakeClient({ 'gateways.clusters': () => [] });
    await loadGateways();
    expect(gw().clusters).toEqual([]);
    closeGateways();
    expect(gw()).toMatchObject({ clusters: null, error: null, history: {} });
  });
});

describe('the node history', () => {
  it(`keeps the last ${HISTORY_POINTS} statuses per node, one per scrape`, () => {
    let h: GatewayHistory = {};
    for (let i = 0; i < 75; i++) {
      const at = T0 + i * 2000;
      const nodes = [node('n1', at, { sessions: i }), ...(i >= 70 ? [node('n2', at, { sessions: 1000 + i })] : [])];
      h = recordHistory(h, cluster('a', at, nodes));
      h = recordHistory(h, cluster('a', at, nodes));
    }
    const n1 = h.a?.n1 ?? [];
    expect(n1).toHaveLength(HISTORY_POINTS);
    expect(n1[0]?.sessions).toBe(15);
    expect(n1[HISTORY_POINTS - 1]?.sessions).toBe(74);
    expect(h.a?.n2?.map((p) => p.sessions)).toEqual([1070, 1071, 1072, 1073, 1074]);
  });

  it('records an unreachable scrape as nulls and drops a node gone from the cluster', () => {
    let h = recordHistory({}, cluster('a', T0));
    h = recordHistory(h, cluster('a', T0 + 2000, [node('n1', T0 + 2000, { state: 'unreachable', error: 'connect ECONNREFUSED', sessions: 0, pps: null, newPerS: null })]));
    expect(h.a?.n1?.[1]).toEqual({ at: T0 + 2000, sessions: null, pps: null, newPerS: null, lag: null });
    expect(h.a?.n2).toBeUndefined();
  });

  it('merges a status in place or at the end', () => {
    expect(mergeCluster(null, cluster('a', T0)).map((c) => c.id)).toEqual(['a']);
    const list = [cluster('a', T0), cluster('b', T0)];
    expect(mergeCluster(list, cluster('a', T0 + 1)).map((c) => [c.id, c.scrapedAt])).toEqual([['a', T0 + 1], ['b', T0]]);
  });
});

describe('the backends across nodes', () => {
  it('counts up on the reachable nodes and means their shares, ignoring unreachable ones', () => {
    const c = cluster('a', T0, [
      node('n1', T0, { backends: [be('b1', 0.5), be('b2', 0.25), be('b3', 0.25)] }),
      node('n2', T0, { backends: [be('b1', 0.5), be('b2', 0, false), be('b3', 0.5)] }),
      node('n3', T0, { state: 'unreachable', error: 'timeout', backends: [be('b1', 1), be('b4', 1)] }),
    ]);
    expect(backendRows(c)).toEqual([
      { name: 'b1', up: 2, of: 2, share: 0.5 },
      { name: 'b2', up: 1, of: 2, share: 0.125 },
      { name: 'b3', up: 2, of: 2, share: 0.375 },
    ]);
  });

  it('counts a backend a reachable node does not list as not up there, with share 0', () => {
    const c = cluster('a', T0, [node('n1', T0, { backends: [be('b1', 1)] }), node('n2', T0, { backends: [be('b1', 0.5), be('b9', 0.5)] })]);
    expect(backendRows(c)).toEqual([
      { name: 'b1', up: 2, of: 2, share: 0.75 },
      { name: 'b9', up: 1, of: 2, share: 0.25 },
    ]);
  });

  it('has no rows when no node answered', () => {
    expect(backendRows(cluster('a', T0, [node('n1', T0, { state: 'unreachable', error: 'timeout' })]))).toEqual([]);
  });
});

describe('the #/gateways route', () => {
  it('parses and formats both ways', () => {
    expect(parseRoute('#/gateways')).toEqual({ view: 'gateways' });
    expect(formatRoute({ view: 'gateways' })).toBe('#/gateways');
  });
});
