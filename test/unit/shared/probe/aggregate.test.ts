// The minute aggregator: Pingmesh's counting on Linux (a TCP connect that took a SYN
// retransmission timeout is ok and a drop; a TCP error is failed, not loss; a UDP timeout is a
// drop only when the pair got through that minute), nearest-rank percentiles over the ok
// samples, minutes cut at their boundaries and flushed only once complete, ToR / room / site
// pair rows merged exactly from their server pairs, resolvers as server rows by target id.
import { describe, expect, it } from 'vitest';
import type { ProbeTarget } from '../../../../src-shared/agent-protocol/probe';
import type { ProbeTopology } from '../../../../src-shared/domain/probe';
import { createMinuteAggregator, indexTopology, type MinuteAggregate } from '../../../../src-shared/probe';

const h = (deviceId: string, torId: string, roomId: string, siteId: string) => ({ deviceId, hostname: deviceId, agentId: `ag-${deviceId}`, addr: '127.0.0.1', siteId, roomId, rowId: `row-${torId}`, torId });
const topo: ProbeTopology = {
  hosts: [h('h1', 'tA', 'r1', 's1'), h('h2', 'tA', 'r1', 's1'), h('h3', 'tB', 'r1', 's1'), h('h4', 'tC', 'r2', 's2')],
  tors: [{ id: 'tA', name: 'A', rowId: 'row-tA', roomId: 'r1', siteId: 's1' }, { id: 'tB', name: 'B', rowId: 'row-tB', roomId: 'r1', siteId: 's1' }, { id: 'tC', name: 'C', rowId: 'row-tC', roomId: 'r2', siteId: 's2' }],
  rooms: [{ id: 'r1', name: 'R1', siteId: 's1' }, { id: 'r2', name: 'R2', siteId: 's2' }],
  sites: [{ id: 's1', name: 'S1' }, { id: 's2', name: 'S2' }],
};
const idx = indexTopology(topo);
const tgt = (id: string, kind: ProbeTarget['kind'], level: ProbeTarget['level']): ProbeTarget => ({ id, addr: '127.0.0.1', port: 17001, kind, level, intervalMs: 10_000 });
const T0 = 1_700_000_040_000; // a minute boundary
const row = (rows: MinuteAggregate[], level: string, src: string, dst: string, minute = T0) => rows.find((r) => r.level === level && r.src === src && r.dst === dst && r.minute === minute);

describe('createMinuteAggregator', () => {
  it('counts TCP drops by SYN retransmission time, errors as failed, percentiles over ok samples', () => {
    const agg = createMinuteAggregator(idx);
    const t = tgt('h2', 'tcp', 'intra-tor');
    for (let k = 1; k <= 7; k++) agg.add('h1', t, T0 + k * 1000, k * 100, 0);
    agg.add('h1', t, T0 + 8000, 1_000_150, 0); // one SYN lost
    agg.add('h1', t, T0 + 9000, 3_000_300, 0); // two lost: still one drop
    agg.add('h1', t, T0 + 10_000, 1_500_000, 0); // slow, but no retransmission signature
    agg.add('h1', t, T0 + 11_000, -1, 1); // timeout: failed, a dead target is not loss
    agg.add('h1', t, T0 + 12_000, -1, 2); // refused
    expect(agg.pending()).toBe(12);
    const rows = agg.flush(T0 + 60_000);
    expect(agg.pending()).toBe(0);
    // ok sorted: 100..700, 1000150, 1500000, 3000300 (10)
    expect(row(rows, 'server', 'h1', 'h2')).toEqual({ minute: T0, level: 'server', src: 'h1', dst: 'h2', p50Us: 500, p90Us: 1_500_000, p99Us: 3_000_300, ok: 10, drops: 2, failed: 2 });
  });

  it('counts a UDP timeout as a drop when the pair got through that minute, else as failed', () => {
    const agg = createMinuteAggregator(idx);
    const t = tgt('h3', 'udp', 'inter-tor');
    for (const rtt of [300, 200, 100]) agg.add('h1', t, T0 + rtt, rtt, 0);
    agg.add('h1', t, T0 + 1000, -1, 1);
    agg.add('h1', t, T0 + 2000, -1, 1);
    agg.add('h1', t, T0 + 60_000, -1, 1);
    agg.add('h1', t, T0 + 61_000, -1, 1);
    agg.add('h1', t, T0 + 62_000, -1, 3); // unreachable
    const rows = agg.flush(T0 + 120_000);
    expect(row(rows, 'server', 'h1', 'h3')).toMatchObject({ ok: 3, drops: 2, failed: 0, p50Us: 200, p99Us: 300 });
    expect(row(rows, 'server', 'h1', 'h3', T0 + 60_000)).toMatchObject({ ok: 0, drops: 0, failed: 3, p50Us: 0, p99Us: 0 });
  });

  it('cuts minutes at their boundaries and flushes only complete minutes, oldest first', () => {
    const agg = createMinuteAggregator(idx);
    const t = tgt('h2', 'tcp', 'intra-tor');
    agg.add('h1', t, T0 + 120_000, 70, 0);
    agg.add('h1', t, T0 + 59_999, 50, 0);
    agg.add('h1', t, T0 + 60_000, 60, 0);
    agg.add('h1', t, T0, 40, 0);
    expect(agg.flush(T0 + 59_999)).toEqual([]);
    expect(agg.flush(T0 + 119_999).filter((r) => r.level === 'server').map((r) => [r.minute, r.ok, r.p50Us])).toEqual([[T0, 2, 40]]);
    expect(agg.flush(T0 + 120_000).filter((r) => r.level === 'server').map((r) => [r.minute, r.ok, r.p50Us])).toEqual([[T0 + 60_000, 1, 60]]);
    expect(agg.pending()).toBe(1);
    expect(agg.flush(T0 + 180_000).filter((r) => r.level === 'server').map((r) => r.minute)).toEqual([T0 + 120_000]);
    // A late sample for a flushed minute opens it again, counted.
    agg.add('h1', t, T0 + 30_000, 45, 0);
    expect(agg.late()).toBe(1);
    expect(row(agg.flush(T0 + 180_000), 'server', 'h1', 'h2')).toMatchObject({ ok: 1, p50Us: 45 });
  });

  it('merges server pairs into ToR, room and site pair rows with exact percentiles', () => {
    const agg = createMinuteAggregator(idx);
    const at = T0 + 5000;
    for (let k = 1; k <= 50; k++) agg.add('h1', tgt('h2', 'tcp', 'intra-tor'), at, k * 10, 0); // 10..500
    for (let k = 1; k <= 50; k++) agg.add('h2', tgt('h1', 'tcp', 'intra-tor'), at, 500 + k * 10, 0); // 510..1000
    agg.add('h2', tgt('h1', 'tcp', 'intra-tor'), at, 1_000_100, 0);
    agg.add('h1', tgt('h3', 'tcp', 'inter-tor'), at, 900, 0);
    agg.add('h1', tgt('h3', 'tcp', 'inter-tor'), at, -1, 1);
    agg.add('h4', tgt('h1', 'tcp', 'inter-site'), at, 30_000, 0);
    const rows = agg.flush(T0 + 60_000);
    // tA -> tA: 101 samples 10..1000 and 1000100.
    expect(row(rows, 'tor', 'tA', 'tA')).toMatchObject({ ok: 101, drops: 1, failed: 0, p50Us: 510, p90Us: 910, p99Us: 1000 });
    expect(row(rows, 'tor', 'tA', 'tB')).toMatchObject({ ok: 1, failed: 1, p50Us: 900 });
    // Room r1 -> r1 holds both ToR pairs; site s2 -> s1 the inter-site one.
    expect(row(rows, 'room', 'r1', 'r1')).toMatchObject({ ok: 102, drops: 1, failed: 1, p99Us: 1000 });
    expect(row(rows, 'site', 's2', 's1')).toMatchObject({ ok: 1, p50Us: 30_000 });
    expect(rows.filter((r) => r.level === 'site').map((r) => `${r.src}>${r.dst}`).sort()).toEqual(['s1>s1', 's2>s1']);
  });

  it('keeps resolvers and public targets as server rows by target id, outside the group levels', () => {
    const agg = createMinuteAggregator(idx);
    agg.add('h1', tgt('dns-1', 'dns', 'dns'), T0 + 1, 800, 0);
    agg.add('h1', tgt('dns-1', 'dns', 'dns'), T0 + 2, -1, 1);
    agg.add('h4', tgt('prov:11:ct', 'tcp', 'public'), T0 + 3, 25_000, 0);
    const rows = agg.flush(T0 + 60_000);
    expect(rows.map((r) => [r.level, r.src, r.dst, r.ok, r.drops])).toEqual([['server', 'h1', 'dns-1', 1, 1], ['server', 'h4', 'prov:11:ct', 1, 0]]);
  });

  it('refuses a sample it cannot read', () => {
    const agg = createMinuteAggregator(idx);
    expect(() => agg.add('h1', tgt('h2', 'tcp', 'intra-tor'), T0, -1, 0)).toThrow(/h1 to h2: err must be 0..5 with a round trip/);
    expect(() => agg.add('h1', tgt('h2', 'tcp', 'intra-tor'), T0, 10, 9)).toThrow(/got err 9/);
    expect(() => createMinuteAggregator(idx, { slackMs: 0 })).toThrow(/slackMs/);
  });
});
