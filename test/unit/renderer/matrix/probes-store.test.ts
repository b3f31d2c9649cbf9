// The probes store against a fake client: opening the matrix asks for the route's level (and the
// two ToRs of a drill-down) and the thresholds; a new minute refetches while live but not while
// scrubbed to the past; an older answer arriving after a newer one is dropped; a ToR click's pair
// history stays open across the drill-down; hover shows both directions (the reverse cell by id).
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROBE_THRESHOLDS, type ProbeMatrix } from '../../../../src-shared/domain/probe';
import { setClient } from '../../../../src-renderer/stores/client';
import { openMatrix, openPair, setMatrixAt } from '../../../../src-renderer/stores/probes/actions';
import { initialProbes } from '../../../../src-renderer/stores/probes/slice';
import { useAppStore } from '../../../../src-renderer/stores/store';
import { hoverFigures } from '../../../../src-renderer/views/matrix/figures';
import { decodeCells } from '../../../../src-renderer/views/matrix/paint';
import { fakeClient } from '../stores/fake-client';
import { matrix } from './fixtures';

const pr = () => useAppStore.getState().probes;
const flush = () => new Promise<void>((r) => setTimeout(r, 0));

afterEach(() => {
  setClient(null);
  useAppStore.setState({ probes: initialProbes });
});

describe('probes store', () => {
  it('opens the matrix of the route, refetches on a new minute while live, not when scrubbed', async () => {
    const m = matrix(2, 2, () => ({ p99Us: 100, ok: 10 }));
    const c = fakeClient({ 'probes.matrix': () => m, 'probes.thresholds': () => DEFAULT_PROBE_THRESHOLDS });
    const live = openMatrix('tor', null);
    await flush();
    expect(c.calls('probes.matrix')).toEqual([{ level: 'tor' }]);
    expect(pr().matrix).toBe(m);
    expect(pr().thresholds).toEqual(DEFAULT_PROBE_THRESHOLDS);
    c.listeners.get('onDidProbeMinute')?.({ minute: 60_000 });
    await flush();
    expect(c.calls('probes.matrix')).toHaveLength(2);
    setMatrixAt(500_000);
    await flush();
    expect(c.calls('probes.matrix')[2]).toEqual({ level: 'tor', at: 500_000 });
    c.listeners.get('onDidProbeMinute')?.({ minute: 120_000 });
    await flush();
    expect(c.calls('probes.matrix')).toHaveLength(3);
    live.dispose();
    expect(c.listeners.has('onDidProbeMinute')).toBe(false);
  });

  it('drops an older answer that arrives after a newer one', async () => {
    const older = matrix(1, 1, () => null);
    const newer = matrix(3, 3, () => null);
    const pending: ((m: ProbeMatrix) => void)[] = [];
    fakeClient({ 'probes.matrix': () => new Promise<ProbeMatrix>((r) => pending.push(r)), 'probes.thresholds': () => DEFAULT_PROBE_THRESHOLDS });
    const live = openMatrix('tor', null);
    setMatrixAt(1_000);
    pending[1]?.(newer);
    await flush();
    pending[0]?.(older);
    await flush();
    expect(pr().matrix).toBe(newer);
    live.dispose();
  });

  it('a ToR pair clicked keeps its history open beside the servers of those two ToRs, and asks for them', async () => {
    const tors = matrix(2, 2, () => ({ p99Us: 100, ok: 10 }));
    const c = fakeClient({
      'probes.matrix': (a) => (a.level === 'tor' ? tors : matrix(4, 4, () => null, { level: 'server' })),
      'probes.thresholds': () => DEFAULT_PROBE_THRESHOLDS,
      'probes.pair': (a) => ({ level: a.level, a: a.a, b: a.b, forward: [], reverse: [] }),
    });
    const first = openMatrix('tor', null);
    await flush();
    await openPair(0, 1);
    expect(pr().pair).toMatchObject({ level: 'tor', a: 't0', b: 't1', aLabel: 'T0', bLabel: 'T1' });
    first.dispose();
    const second = openMatrix('server', ['t0', 't1']);
    await flush();
    expect(c.calls('probes.matrix').at(-1)).toEqual({ level: 'server', tors: ['t0', 't1'] });
    expect(pr().pair).toMatchObject({ a: 't0', b: 't1' });
    expect(pr().matrix?.level).toBe('server');
    second.dispose();
    // Another level forgets it.
    openMatrix('site', null).dispose();
    expect(pr().pair).toBeNull();
  });

  it('hover reads both directions: the reverse cell is found by id, a down member says so', () => {
    const m = matrix(3, 3, (i, j) => (i === 0 && j === 2 ? { p99Us: 900, ok: 10 } : i === 2 && j === 0 ? { p99Us: 40_000, ok: 10, drops: 1 } : null), {
      rows: { ids: ['a', 'b', 'c'], labels: ['A', 'B', 'C'], groups: [], down: [1] },
      cols: { ids: ['a', 'b', 'c'], labels: ['A', 'B', 'C'], groups: [], down: [1] },
    });
    const cells = decodeCells(m.cells, 3, 3);
    const f = hoverFigures(m, cells, 0, 2);
    expect(f).toMatchObject({ a: 'A', b: 'C', forward: { p99Us: 900 }, reverse: { p99Us: 40_000, drops: 1 }, aDown: false, bDown: false });
    expect(hoverFigures(m, cells, 1, 0)).toMatchObject({ aDown: true, forward: null });
  });
});
