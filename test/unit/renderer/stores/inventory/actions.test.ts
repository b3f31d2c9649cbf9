// Inventory import over serve mode's HTTP: progress into the store, a cancel while the
// file uploads aborts it (nothing imported), a cancel after the upload only stops waiting
// (the late answer is still reported), and the desktop keeps the inventory.import call.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setClient } from '../../../../../src-renderer/stores/client';
import { cancelImport, clearImport, importInventory, throttled } from '../../../../../src-renderer/stores/inventory/actions';
import { initialInventory } from '../../../../../src-renderer/stores/inventory/slice';
import { useAppStore } from '../../../../../src-renderer/stores/store';
import { WsClient } from '../../../../../src-renderer/transport/ws-client';

const inv = () => useAppStore.getState().inventory;
const RESULT = { imported: { sites: 1, rooms: 1, rows: 1, cabinets: 1, devices: 1 } };

let xhrs: FakeXhr[] = [];
class FakeXhr {
  status = 0;
  responseText = '';
  upload = { onprogress: null as ((e: ProgressEvent) => void) | null, onload: null as (() => void) | null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  aborted = false;
  constructor() {
    xhrs.push(this);
  }
  open() {}
  setRequestHeader() {}
  send() {}
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

function serveClient() {
  const ws = new WsClient({ url: 'ws://127.0.0.1:1/api', token: 'tok' });
  const call = vi.fn(async () => {
    throw new Error('the WebSocket must not carry the file');
  });
  Object.assign(ws, { call });
  setClient(ws);
  return call;
}

beforeEach(() => {
  xhrs = [];
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  vi.stubGlobal('location', { hash: '' });
});

afterEach(() => {
  setClient(null);
  vi.unstubAllGlobals();
  useAppStore.setState({ inventory: initialInventory });
});

const file = () => new File(['record,id\n'], 'fleet.csv', { type: 'text/csv' });

describe('inventory import in serve mode', () => {
  it('uploads over HTTP with progress, and takes the answer', async () => {
    const call = serveClient();
    const done = importInventory(file(), 'csv');
    await vi.waitFor(() => expect(xhrs).toHaveLength(1));
    expect(inv()).toMatchObject({ phase: 'running', importProgress: { loaded: 0 } });
    xhrs[0].upload.onload?.();
    expect(inv().uploaded).toBe(true);
    xhrs[0].answer(200, { ok: true, result: RESULT });
    await done;
    expect(inv()).toMatchObject({ phase: 'succeeded', result: RESULT });
    expect(call).not.toHaveBeenCalledWith('inventory.import', expect.anything());
  });

  it('cancel while uploading aborts: nothing imported, nothing late', async () => {
    serveClient();
    const done = importInventory(file(), 'csv');
    await vi.waitFor(() => expect(xhrs).toHaveLength(1));
    cancelImport();
    await done;
    expect(xhrs[0].aborted).toBe(true);
    expect(inv()).toMatchObject({ phase: 'cancelled', uploadStopped: true, late: null });
    clearImport();
    expect(inv().phase).toBe('idle');
  });

  it('cancel after the upload only stops waiting; the late answer is reported', async () => {
    serveClient();
    const done = importInventory(file(), 'csv');
    await vi.waitFor(() => expect(xhrs).toHaveLength(1));
    xhrs[0].upload.onload?.();
    cancelImport();
    expect(xhrs[0].aborted).toBe(false);
    expect(inv()).toMatchObject({ phase: 'cancelled', uploadStopped: false });
    xhrs[0].answer(400, { ok: false, error: { name: 'ImportValidationError', code: 'VALIDATION', params: { issues: [] }, message: 'no' } });
    await done;
    expect(inv().late).toBe('refused');
  });
});

describe('inventory import in the desktop', () => {
  it('keeps the inventory.import call', async () => {
    const call = vi.fn(async () => RESULT);
    setClient({ call, on: () => ({ dispose() {} }) } as never);
    await importInventory(file(), 'csv');
    expect(call).toHaveBeenCalledWith('inventory.import', { format: 'csv', text: 'record,id\n' });
    expect(xhrs).toHaveLength(0);
    expect(inv().phase).toBe('succeeded');
  });
});

describe('throttled', () => {
  it('passes the first and last byte, and at most one update per interval between', () => {
    let now = 0;
    const seen: number[] = [];
    const f = throttled((p) => seen.push(p.loaded), 100, () => now);
    f({ loaded: 0, total: 10 });
    now = 10;
    f({ loaded: 3, total: 10 });
    now = 150;
    f({ loaded: 5, total: 10 });
    now = 160;
    f({ loaded: 10, total: 10 });
    expect(seen).toEqual([0, 5, 10]);
  });
});
