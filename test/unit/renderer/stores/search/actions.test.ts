// The header search: typing is debounced into one search.devices call, an answer for an
// older text is dropped, arrows wrap, Enter opens the device page and clears the box.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceSearchHit } from '../../../../../src-shared/domain/search';
import { setClient } from '../../../../../src-renderer/stores/client';
import {
  SEARCH_DEBOUNCE_MS,
  clearSearch,
  moveSearchChoice,
  openSearchHit,
  setSearchQuery,
} from '../../../../../src-renderer/stores/search/actions';
import { useAppStore } from '../../../../../src-renderer/stores/store';

const hit = (n: number): DeviceSearchHit => ({
  deviceId: `dev-${n}`,
  hostname: `srv-${n}`,
  sn: `SN-${n}`,
  kind: 'server',
  mgmtIp: `10.0.0.${n}`,
  bmcAddress: null,
  field: 'hostname',
  match: 'prefix',
  siteName: 'Beijing 1',
  roomName: 'Hall 1',
  cabinetId: 'cab-1',
  cabinetName: 'C0101',
  uPosition: n,
});

const search = () => useAppStore.getState().search;
const fakeLocation = { hash: '' };

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('location', fakeLocation);
  fakeLocation.hash = '';
});

afterEach(() => {
  clearSearch();
  setClient(null);
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function fakeClient(answer: (q: string) => Promise<DeviceSearchHit[]>) {
  const call = vi.fn((method: string, args: { q: string; limit?: number }) => {
    if (method !== 'search.devices') throw new Error(`unexpected ${method}`);
    return answer(args.q);
  });
  setClient({ call, on: () => ({ dispose() {} }) } as never);
  return call;
}

describe('search actions', () => {
  it('asks once per pause in typing, with a limit', async () => {
    const call = fakeClient(async () => [hit(1), hit(2)]);
    setSearchQuery('s');
    setSearchQuery('sr');
    setSearchQuery('srv');
    expect(search()).toMatchObject({ query: 'srv', open: true, loading: true });
    expect(call).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 1);
    expect(call).toHaveBeenCalledTimes(1);
    expect(call).toHaveBeenCalledWith('search.devices', { q: 'srv', limit: 10 });
    expect(search()).toMatchObject({ loading: false, answeredQuery: 'srv', active: 0 });
    expect(search().hits?.map((h) => h.deviceId)).toEqual(['dev-1', 'dev-2']);
  });

  it('does not send one character', async () => {
    const call = fakeClient(async () => []);
    setSearchQuery('s');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS * 2);
    expect(call).not.toHaveBeenCalled();
    expect(search()).toMatchObject({ loading: false, hits: null });
  });

  it('drops an answer for a text no longer in the box', async () => {
    let release: (h: DeviceSearchHit[]) => void = () => {};
    fakeClient((q) => (q === 'old' ? new Promise((r) => (release = r)) : Promise.resolve([hit(7)])));
    setSearchQuery('old');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 1);
    setSearchQuery('new');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 1);
    release([hit(1)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(search().answeredQuery).toBe('new');
    expect(search().hits?.map((h) => h.deviceId)).toEqual(['dev-7']);
  });

  it('keeps an error as the answer', async () => {
    fakeClient(() => Promise.reject(new Error('boom')));
    setSearchQuery('srv');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 1);
    expect(search()).toMatchObject({ loading: false, hits: null, error: { message: 'boom' } });
  });

  it('arrows wrap; Enter opens the chosen device and clears the box', async () => {
    fakeClient(async () => [hit(1), hit(2), hit(3)]);
    setSearchQuery('srv');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 1);
    moveSearchChoice(-1);
    expect(search().active).toBe(2);
    moveSearchChoice(1);
    moveSearchChoice(1);
    expect(search().active).toBe(1);
    openSearchHit();
    expect(fakeLocation.hash).toBe('#/device/dev-2');
    expect(search()).toMatchObject({ query: '', open: false, hits: null });
  });
});
