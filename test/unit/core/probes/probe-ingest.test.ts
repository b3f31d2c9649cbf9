// The probe ingest's DNS catchment tracking: a vantage moves when another anycast instance
// answers it (one probe.catchmentMoved event), not when a query of its gets no answer: a timeout,
// or a local error such as the host's own firewall refusing the send (EPERM, seen in the
// namespace acceptance test with nft dropping on a host's link), keeps it where it was.
import { describe, expect, it } from 'vitest';
import { PROBE_ERRORS, type AgentResult, type ProbePlan } from '../../../../src-shared/agent-protocol';
import type { FleetEvent } from '../../../../src-shared/domain/fleet-event';
import { createProbeIngest } from '../../../../src-main/core/probes/probe-ingest';

const plan: ProbePlan = {
  id: 'p1', maxProbesPerSec: 10, timeoutMs: 5000, responder: { tcpPort: 16701, udpPort: 16702 },
  targets: [{ id: 'anycast-dns', addr: '10.0.0.53', port: 53, kind: 'dns', level: 'dns', intervalMs: 10_000 }],
};
const err = (e: (typeof PROBE_ERRORS)[number]): number => PROBE_ERRORS.indexOf(e);

function rig() {
  const events: Omit<FleetEvent, 'id'>[] = [];
  const ingest = createProbeIngest({ plan: (id) => (id === 'p1' ? { deviceId: 'dev-1', hostname: 'h1', plan } : undefined), sink: { add: () => {} }, record: (e) => events.push(...e), log: () => {} });
  let seq = 0;
  /** One DNS sample at `at`: answered by `instance`, or failed with `e`. */
  const sample = (at: number, instance: string | null, e = instance ? 'ok' : 'timeout'): void => {
    const r: AgentResult = {
      seq: ++seq, at,
      data: { kind: 'probe', plan: 'p1', target: [0], offsetMs: [0], rttUs: [instance ? 900 : -1], err: [err(e as (typeof PROBE_ERRORS)[number])], instance: [instance ? 0 : -1], names: instance ? [instance] : [] },
    };
    ingest.onBatches([{ agentId: 'ag-1', results: [r] }]);
  };
  return { ingest, events, sample };
}

describe('probe ingest: DNS catchments', () => {
  it('keeps a vantage in its catchment through timeouts and local send errors, and records one move when another instance answers', () => {
    const { ingest, events, sample } = rig();
    sample(1000, 'dns-1');
    sample(11_000, null, 'timeout');
    sample(21_000, null, 'error');
    expect(events).toEqual([]);
    expect([...ingest.catchments.values()].map((c) => [c.instance, c.since])).toEqual([['dns-1', 1000]]);
    sample(31_000, 'dns-2');
    expect(events.map((e) => [e.code, e.at, e.params])).toEqual([['probe.catchmentMoved', 31_000, { hostname: 'h1', resolver: 'anycast-dns', from: 'dns-1', to: 'dns-2' }]]);
    expect([...ingest.catchments.values()].map((c) => c.instance)).toEqual(['dns-2']);
  });

  it('a resolver that says no (unreachable) takes the vantage out of its catchment: a critical event', () => {
    const { events, sample } = rig();
    sample(1000, 'dns-1');
    sample(11_000, null, 'unreachable');
    expect(events.map((e) => [e.severity, e.params?.from, e.params?.to])).toEqual([['critical', 'dns-1', '-']]);
  });
});
