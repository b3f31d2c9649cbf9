// The probes capability: builds each agent's pinglist from inventory (Pingmesh's three levels),
// folds the agents' probe results into per-minute aggregates, answers the matrix, pair,
// localisation, DNS and public-network queries, and keeps the thresholds. (Being built: the
// handlers answer from what is aggregated so far.)
import type { Capability } from '../../../src-shared/api';
import { DEFAULT_PROBE_THRESHOLDS, type ProbeThresholds } from '../../../src-shared/domain/probe';

export type ProbeMethod = 'probes.matrix' | 'probes.pair' | 'probes.localise' | 'probes.dns' | 'probes.public' | 'probes.thresholds' | 'probes.setThresholds';

export type ProbesCapability = Capability<ProbeMethod>;

export function startProbes(): ProbesCapability {
  let thresholds: ProbeThresholds = DEFAULT_PROBE_THRESHOLDS;
  const empty = { ids: [], labels: [], groups: [], down: [] };
  return {
    api: {
      'probes.matrix': (a) => ({ level: a.level, from: 0, to: 0, rows: empty, cols: empty, cells: '', range: null }),
      'probes.pair': (a) => ({ level: a.level, a: a.a, b: a.b, forward: [], reverse: [] }),
      'probes.localise': () => ({ from: 0, to: 0, pairs: 0, badPairs: 0, suspects: [] }),
      'probes.dns': () => [],
      'probes.public': () => ({ from: 0, to: 0, vantages: [], targets: [] }),
      'probes.thresholds': () => thresholds,
      'probes.setThresholds': (t) => (thresholds = t),
    },
    dispose: async () => {},
  };
}
