// The live channel: subscribers receive every value, unsubscribing stops delivery, the
// latest value is readable without subscribing, and a throwing subscriber harms no other.
import { describe, expect, it, vi } from 'vitest';
import { createLiveChannel } from '../../../../../src-renderer/stores/live/channel';

describe('createLiveChannel', () => {
  it('delivers each published value to every subscriber, in order', () => {
    const ch = createLiveChannel<number[]>('test');
    const a: number[][] = [];
    const b: number[][] = [];
    ch.subscribe((v) => a.push(v));
    ch.subscribe((v) => b.push(v));
    ch.publish([1, 2]);
    ch.publish([3]);
    expect(a).toEqual([[1, 2], [3]]);
    expect(b).toEqual(a);
    expect(ch.subscribers).toBe(2);
  });

  it('stops delivering once a subscription is disposed', () => {
    const ch = createLiveChannel<string>('test');
    const seen = vi.fn();
    const sub = ch.subscribe(seen);
    ch.publish('one');
    sub.dispose();
    sub.dispose(); // twice is harmless
    ch.publish('two');
    expect(seen.mock.calls).toEqual([['one']]);
    expect(ch.subscribers).toBe(0);
  });

  it('skips a subscriber disposed by an earlier one during the same publish', () => {
    const ch = createLiveChannel<number>('test');
    const late = vi.fn();
    let lateSub = { dispose: () => {} };
    ch.subscribe(() => lateSub.dispose());
    lateSub = ch.subscribe(late);
    ch.publish(1);
    expect(late).not.toHaveBeenCalled();
  });

  it('keeps the latest value for reads without a subscription, until cleared', () => {
    const ch = createLiveChannel<number>('test');
    expect(ch.latest()).toBeUndefined();
    ch.publish(1);
    ch.publish(2);
    expect(ch.latest()).toBe(2);
    ch.clear();
    expect(ch.latest()).toBeUndefined();
  });

  it('gives the same function subscribed twice two independent subscriptions', () => {
    const ch = createLiveChannel<number>('test');
    const f = vi.fn();
    const first = ch.subscribe(f);
    ch.subscribe(f);
    first.dispose();
    ch.publish(7);
    expect(f).toHaveBeenCalledTimes(1);
  });

  it('delivers to the others when one subscriber throws', () => {
    const ch = createLiveChannel<number>('test');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const after = vi.fn();
    ch.subscribe(() => {
      throw new Error('boom');
    });
    ch.subscribe(after);
    ch.publish(1);
    expect(after).toHaveBeenCalledWith(1);
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });
});
