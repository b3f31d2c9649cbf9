// The probe part of the agent protocol as the console reads it: a round of samples passes,
// a malformed column is refused naming the field (a float, a number out of range, columns of
// different lengths, too many samples); Pingmesh's drop signal on Linux (about 1 s or 3 s of
// SYN retransmission, not a slow path); the UDP echo datagram round-trips, a late echo
// (FDP2) with its flag, and anything else is not an echo; a path's fingerprint.
import { describe, expect, it } from 'vitest';
import { decodeMessage, MAX_PROBE_SAMPLES, decodeUdpEcho, encodeUdpEcho, markUdpEchoLate, routeFingerprint, synDrops, UDP_ECHO_LATE_MAGIC, type AgentProtocolError } from '../../../src-shared/agent-protocol';

const frame = (data: unknown) => ({ type: 'results' as const, payload: new TextEncoder().encode(JSON.stringify({ results: [{ seq: 1, at: 1000, data }] })) });
const round = (over: Record<string, unknown> = {}) => ({ kind: 'probe', plan: 'p1', target: [0, 1, 2], offsetMs: [0, 10, 20], rttUs: [120, -1, 1_000_150], err: [0, 1, 0], srcPort: [40000, 40001, 40002], ...over });
const refused = (data: unknown): AgentProtocolError => {
  try {
    decodeMessage(frame(data));
  } catch (err) {
    return err as AgentProtocolError;
  }
  throw new Error('accepted');
};

describe('probe results on the wire', () => {
  it('accepts a round of samples as columns', () => {
    const m = decodeMessage(frame(round()));
    expect(m.type).toBe('results');
    expect(m.type === 'results' && m.body.results[0].data).toMatchObject({ kind: 'probe', plan: 'p1', rttUs: [120, -1, 1_000_150] });
  });

  it('refuses a malformed column, naming it', () => {
    expect(refused(round({ rttUs: [120, 1.5, 3] })).message).toMatch(/results\.0\.data\.rttUs.*integers from -1 to 60000000/);
    expect(refused(round({ err: [0, 9, 0] })).message).toMatch(/results\.0\.data\.err/);
    expect(refused(round({ target: ['a', 1, 2] })).message).toMatch(/results\.0\.data\.target/);
    expect(refused(round({ offsetMs: [0, 10] })).message).toMatch(/one entry per sample/);
    const many = Array.from({ length: MAX_PROBE_SAMPLES + 1 }, () => 0);
    expect(refused(round({ target: many, offsetMs: many, rttUs: many, err: many, srcPort: undefined })).message).toMatch(/results\.0\.data\.target.*at most 20000/);
  });

  it("counts a connect that took one or two of Linux's SYN timeouts as drops, not a slow path", () => {
    expect(synDrops(350)).toBe(0);
    expect(synDrops(900_000)).toBe(0);
    expect(synDrops(1_000_200)).toBe(1);
    expect(synDrops(1_150_000)).toBe(1);
    expect(synDrops(1_600_000)).toBe(0);
    expect(synDrops(3_000_400)).toBe(2);
    expect(synDrops(5_000_000)).toBe(0);
  });

  it('round-trips the UDP echo datagram and ignores anything else', () => {
    const b = encodeUdpEcho(0x1234_5678_9abcn, 1_700_000_000_123.5);
    expect(decodeUdpEcho(b)).toEqual({ nonce: 0x1234_5678_9abcn, sentAtMs: 1_700_000_000_123.5, late: false });
    expect(decodeUdpEcho(b.subarray(0, 19))).toBeNull();
    const other = new Uint8Array(b);
    other[0] ^= 0xff;
    expect(decodeUdpEcho(other)).toBeNull();
  });

  it('a late echo (FDP2) round-trips with its flag, and marking an echo late changes only its magic', () => {
    const late = encodeUdpEcho(7n, 42.5, true);
    expect(new DataView(late.buffer).getUint32(0)).toBe(UDP_ECHO_LATE_MAGIC);
    expect(decodeUdpEcho(late)).toEqual({ nonce: 7n, sentAtMs: 42.5, late: true });
    const b = encodeUdpEcho(7n, 42.5);
    markUdpEchoLate(b);
    expect(b).toEqual(late);
    expect(b.length).toBe(20);
    const third = new Uint8Array(b);
    new DataView(third.buffer).setUint32(0, UDP_ECHO_LATE_MAGIC + 1); // "FDP3": no such thing
    expect(decodeUdpEcho(third)).toBeNull();
  });

  it("fingerprints a path by its hops, '*' where none answered", () => {
    expect(routeFingerprint([{ addr: '10.0.0.1' }, { addr: null }, { addr: '10.0.1.9' }])).toBe('10.0.0.1>*>10.0.1.9');
  });
});
