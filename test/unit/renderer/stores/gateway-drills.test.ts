// The gateway view's drills store against a fake client: opening reads gateways.drills; a drill
// event replaces its row in place or puts a new drill first (at most 20 kept); an event that
// came while the read was out is not undone by the read's older copy; starting a drill calls
// gateways.drill with what the form holds and keeps a refusal per cluster (the other cluster's
// error untouched), cleared by the next start.
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayDrill } from '../../../../src-shared/domain/gateway';
import { FleetDeckError, RemoteError, serializeError } from '../../../../src-shared/errors';
import { setClient } from '../../../../src-renderer/stores/client';
import { attachDrillsLive, closeDrills, loadDrills, mergeDrill, startDrill, useDrillsStore } from '../../../../src-renderer/stores/gateway-drills';
import { fakeClient } from './fake-client';

const T0 = Date.parse('2026-12-04T19:00:00Z');
const st = () => useDrillsStore.getState();
const flush = () => new Promise<void>((r) => setTimeout(r, 0));

const drill = (id: string, over: Partial<GatewayDrill> = {}): GatewayDrill => ({
  id, cluster: 'lab', kind: 'kill-one', actor: 'op', phase: 'sessions', startedAt: T0, finishedAt: null, sessions: 500, lossPercent: null, lossMs: null,
  killed: [], windowMs: null, switched: null, lost: null, misses: null, failbackMs: null, failbackMisses: null, note: null, ...over,
});

afterEach(() => {
  setClient(null);
  closeDrills();
});

describe('the drills store', () => {
  it('merges rows by id, newest first, at most 20', () => {
    let list = mergeDrill(null, drill('a'));
    list = mergeDrill(list, drill('b'));
    expect(list.map((d) => d.id)).toEqual(['b', 'a']);
    list = mergeDrill(list, drill('a', { phase: 'done', misses: 0 }));
    expect(list.map((d) => `${d.id}:${d.phase}`)).toEqual(['b:sessions', 'a:done']);
    for (let i = 0; i < 30; i++) list = mergeDrill(list, drill(`x${i}`));
    expect(list).toHaveLength(20);
    expect(list[0].id).toBe('x29');
  });

  it('keeps an event newer than a read that answers after it', async () => {
    let answer: (v: GatewayDrill[]) => void = () => undefined;
    const fake = fakeClient({ 'gateways.drills': () => new Promise<GatewayDrill[]>((r) => (answer = r)) });
    attachDrillsLive();
    const read = loadDrills();
    await flush();
    fake.listeners.get('onDidChangeGatewayDrill')?.(drill('a', { phase: 'measuring', killed: ['gw2'] }));
    answer([drill('a'), drill('old', { phase: 'done', startedAt: T0 - 60_000 })]);
    await read;
    expect(st().drills?.map((d) => `${d.id}:${d.phase}`)).toEqual(['a:measuring', 'old:done']);
    expect(fake.calls('gateways.drills')).toEqual([{ limit: 20 }]);
  });

  it('starts a drill and keeps a refusal per cluster until the next start', async () => {
    const refusal = new RemoteError(serializeError(new FleetDeckError('VALIDATION', 'killing two nodes loses the sessions held only on them with R = 2: this drill needs R >= 3')));
    const fake = fakeClient({
      'gateways.drill': (a) => {
        if (a.kind === 'kill-two') throw refusal;
        return drill('n1', { cluster: String(a.cluster) });
      },
    });
    await startDrill({ cluster: 'lab', kind: 'kill-two', sessions: 300 });
    expect(st().startError.lab?.message).toMatch(/needs R >= 3/);
    await startDrill({ cluster: 'other', kind: 'kill-two', sessions: 300 });
    await startDrill({ cluster: 'lab', kind: 'sync-loss', sessions: 300, lossPercent: 5, lossMs: 2000 });
    expect(st().startError.lab).toBeUndefined();
    expect(st().startError.other?.code).toBe('VALIDATION');
    expect(st().drills?.map((d) => d.id)).toEqual(['n1']);
    expect(st().starting).toBeNull();
    expect(fake.calls('gateways.drill').at(-1)).toEqual({ cluster: 'lab', kind: 'sync-loss', sessions: 300, lossPercent: 5, lossMs: 2000 });
  });
});
