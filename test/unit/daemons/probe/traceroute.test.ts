// Paris-style traceroute through the system traceroute (Debian's package; CI installs it): to
// 127.0.0.1 it is one hop, the target itself, reached, with the pair's fixed ports; the source
// port is stable per (agent, target) and inside 33434-60999; no traceroute installed gives a
// route result saying so with no hops; the output parser keeps TTL order with '*' hops as null.
import { describe, expect, it } from 'vitest';
import { routeFingerprint, routeResult } from '../../../../src-shared/agent-protocol/probe';
import { findExecutable } from '../../../../src-daemons/agent/probe/icmp';
import { createTracer, parseTraceroute, TRACE_DST_PORT, traceSourcePort } from '../../../../src-daemons/agent/probe/traceroute';

const bin = findExecutable('traceroute');

describe('Paris-style traceroute', () => {
  it.skipIf(bin === null && !process.env.CI)('to 127.0.0.1: one hop, the target, reached, on the fixed flow', async () => {
    const srcPort = traceSourcePort('srv-a', 'srv-b');
    // One probe per hop with a 1 s wait (-q 1 -w 1): on a loaded machine that one probe can go
    // unanswered in time, as on a real network; the agent traces again on its next round, so
    // does this test (three tries at most).
    let r = await createTracer().trace({ plan: 'p1', target: 3, addr: '127.0.0.1', srcPort, maxHops: 5 });
    for (let i = 0; i < 2 && !r.reached; i++) r = await createTracer().trace({ plan: 'p1', target: 3, addr: '127.0.0.1', srcPort, maxHops: 5 });
    expect(routeResult.parse(r)).toEqual(r);
    expect(r).toMatchObject({ kind: 'route', plan: 'p1', target: 3, srcPort, dstPort: TRACE_DST_PORT, reached: true });
    expect(r.error).toBeUndefined();
    expect(routeFingerprint(r.hops)).toBe('127.0.0.1');
  });

  it('the source port is stable per pair and spread over 33434-60999', () => {
    expect(traceSourcePort('srv-a', 'srv-b')).toBe(traceSourcePort('srv-a', 'srv-b'));
    const ports = Array.from({ length: 200 }, (_, i) => traceSourcePort('srv-a', `peer-${i}`));
    expect(ports.every((p) => p >= 33434 && p <= 60999)).toBe(true);
    expect(new Set(ports).size).toBeGreaterThan(190);
    expect(traceSourcePort('srv-a', 'srv-b')).not.toBe(traceSourcePort('srv-b', 'srv-a'));
  });

  it('no traceroute installed: a route result saying so, with no hops', async () => {
    const r = await createTracer({ traceroute: null }).trace({ plan: 'p1', target: 0, addr: '127.0.0.1', srcPort: 40000, maxHops: 5 });
    expect(r).toEqual({ kind: 'route', plan: 'p1', target: 0, srcPort: 40000, dstPort: TRACE_DST_PORT, hops: [], reached: false, error: 'traceroute not installed' });
  });

  it('parses hop lines in TTL order, silent hops as null', () => {
    const out = 'traceroute to 10.0.3.9 (10.0.3.9), 8 hops max, 60 byte packets\n 1  10.0.1.1  0.412 ms\n 2  *\n 3  10.0.3.9  1.250 ms !X\n';
    expect(parseTraceroute(out)).toEqual([{ addr: '10.0.1.1', rttUs: 412 }, { addr: null, rttUs: -1 }, { addr: '10.0.3.9', rttUs: 1250 }]);
  });
});
