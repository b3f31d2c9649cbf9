// When the wall says "data stale since": the stream stopped (no heartbeat for 3 beats' worth:
// since the last beat's time) or the poller stopped (the beats go on but their lastPollAt falls
// more than POLL_STALE_MS behind: since the last poll); either resuming clears it at once, and
// a core that has polled nothing yet (lastPollAt null) is judged by the stream alone.
import { beforeEach, describe, expect, it } from 'vitest';
import { checkStale, POLL_STALE_MS, receiveHeartbeat, STALE_BEATS, useWallStore } from '../../../../src-renderer/stores/wall-store';

const T0 = Date.parse('2026-12-03T10:00:00Z');
const stale = () => useWallStore.getState().staleSince;

beforeEach(() => {
  receiveHeartbeat({ at: T0, lastPollAt: null, intervalMs: 2000 }, T0);
});

describe('wall staleness', () => {
  it('goes stale when beats stop, since the last beat, and live at the next beat', () => {
    checkStale(T0 + STALE_BEATS * 2000);
    expect(stale()).toBeNull();
    checkStale(T0 + STALE_BEATS * 2000 + 1);
    expect(stale()).toBe(T0);
    receiveHeartbeat({ at: T0 + 60_000, lastPollAt: null, intervalMs: 2000 }, T0 + 60_000);
    expect(stale()).toBeNull();
  });

  it('goes stale when beats come but no poll completes, since the last poll, and live when one does', () => {
    const lastPoll = T0 + 1000;
    for (let t = T0; t <= lastPoll + POLL_STALE_MS; t += 2000) {
      receiveHeartbeat({ at: t, lastPollAt: t >= lastPoll ? lastPoll : null, intervalMs: 2000 }, t);
      checkStale(t + 1000);
    }
    expect(stale()).toBeNull();
    const later = lastPoll + POLL_STALE_MS + 2000;
    receiveHeartbeat({ at: later, lastPollAt: lastPoll, intervalMs: 2000 }, later);
    expect(stale()).toBe(lastPoll);
    checkStale(later + 1000);
    expect(stale()).toBe(lastPoll);
    receiveHeartbeat({ at: later + 2000, lastPollAt: later + 1500, intervalMs: 2000 }, later + 2000);
    expect(stale()).toBeNull();
  });

  it('names the last poll when both stopped', () => {
    const lastPoll = T0 - POLL_STALE_MS - 10_000;
    receiveHeartbeat({ at: T0, lastPollAt: lastPoll, intervalMs: 2000 }, T0);
    checkStale(T0 + 60_000);
    expect(stale()).toBe(lastPoll);
  });
});
