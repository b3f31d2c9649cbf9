// Serve mode's bulk inventory transfers: the export streamed with byte progress and the
// bearer token, the server's { ok: false, error } kept as the error, a server without the
// endpoint recognised (the caller falls back), and the upload's progress, answer and abort.
import { describe, expect, it, vi } from 'vitest';
import type { ImportResult } from '../../../../src-shared/domain';
import { RemoteError } from '../../../../src-shared/errors';
import {
  BulkHttpMissingError,
  TransferAbortedError,
  codeOfStatus,
  downloadInventory,
  uploadInventory,
  type UploadXhr,
} from '../../../../src-renderer/transport/bulk-http';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
}

describe('downloadInventory', () => {
  it('streams the file with progress and the bearer token', async () => {
    const fetchImpl = vi.fn(async () => new Response(streamOf(['a,b\n', '1,2\n']), { headers: { 'content-type': 'text/csv', 'content-length': '8' } }));
    const seen: number[] = [];
    const blob = await downloadInventory({ token: 'tok', format: 'csv', fetchImpl, onProgress: (p) => seen.push(p.loaded) });
    expect(await blob.text()).toBe('a,b\n1,2\n');
    expect(seen).toEqual([0, 4, 8]);
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/inventory/export?format=csv');
    expect(init.headers).toEqual({ Authorization: 'Bearer tok' });
  });

  it("keeps the server's error", async () => {
    const error = { name: 'ForbiddenError', code: 'FORBIDDEN', params: { required: 'operator' }, message: 'no' };
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ ok: false, error }), { status: 403, headers: { 'content-type': 'application/json' } }));
    const err = await downloadInventory({ token: 't', format: 'json', fetchImpl }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ name: 'ForbiddenError', code: 'FORBIDDEN', params: { required: 'operator' } });
  });

  it('names an error by status when the body is not the contract', async () => {
    const fetchImpl = vi.fn(async () => new Response('slow down', { status: 429 }));
    await expect(downloadInventory({ token: 't', format: 'csv', fetchImpl })).rejects.toMatchObject({ code: 'RATE_LIMITED', params: { status: 429 } });
    expect(codeOfStatus(401)).toBe('UNAUTHENTICATED');
    expect(codeOfStatus(413)).toBe('BAD_REQUEST');
  });

  it('recognises a server without the endpoint (the page comes back instead)', async () => {
    const fetchImpl = vi.fn(async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }));
    await expect(downloadInventory({ token: 't', format: 'csv', fetchImpl })).rejects.toBeInstanceOf(BulkHttpMissingError);
  });

  it('an abort is a TransferAbortedError', async () => {
    const controller = new AbortController();
    const fetchImpl = vi.fn(async (_u: string, init?: RequestInit) => {
      controller.abort();
      throw Object.assign(new Error('aborted'), { name: 'AbortError', signal: init?.signal });
    });
    await expect(downloadInventory({ token: 't', format: 'csv', fetchImpl: fetchImpl as never, signal: controller.signal })).rejects.toBeInstanceOf(
      TransferAbortedError,
    );
  });
});

class FakeXhr implements UploadXhr {
  status = 0;
  responseText = '';
  upload = { onprogress: null as ((e: ProgressEvent) => void) | null, onload: null as (() => void) | null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  headers: Record<string, string> = {};
  opened: [string, string] | null = null;
  sent: Blob | null = null;
  open(method: string, url: string) {
    this.opened = [method, url];
  }
  setRequestHeader(n: string, v: string) {
    this.headers[n] = v;
  }
  send(body: Blob) {
    this.sent = body;
  }
  abort() {
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true } as ProgressEvent);
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
}

const RESULT: ImportResult = { imported: { sites: 1, rooms: 1, rows: 1, cabinets: 1, devices: 1 } } as ImportResult;

describe('uploadInventory', () => {
  it('posts the raw body with the token; progress, uploaded, result', async () => {
    const xhr = new FakeXhr();
    const progress: number[] = [];
    const onUploaded = vi.fn();
    const body = new Blob(['x'.repeat(100)]);
    const p = uploadInventory({ token: 'tok', format: 'json', body, createXhr: () => xhr, onProgress: (e) => progress.push(e.loaded), onUploaded });
    expect(xhr.opened).toEqual(['POST', '/api/inventory/import?format=json']);
    expect(xhr.headers.Authorization).toBe('Bearer tok');
    expect(xhr.sent).toBe(body);
    xhr.progress(40, 100);
    xhr.progress(100, 100);
    xhr.upload.onload?.();
    expect(onUploaded).toHaveBeenCalledOnce();
    xhr.answer(200, { ok: true, result: RESULT });
    await expect(p).resolves.toEqual(RESULT);
    expect(progress).toEqual([40, 100]);
  });

  it("rejects with the core's error (a refused file keeps its issues)", async () => {
    const xhr = new FakeXhr();
    const p = uploadInventory({ token: 't', format: 'csv', body: new Blob(['x']), createXhr: () => xhr });
    const error = { name: 'ImportValidationError', code: 'VALIDATION', params: { issues: [{ line: 2, column: 1, field: 'id', message: 'bad' }] }, message: 'bad' };
    xhr.answer(400, { ok: false, error });
    await expect(p).rejects.toMatchObject({ code: 'VALIDATION', params: error.params });
  });

  it('a POST answered 405 by an older server is BulkHttpMissingError', async () => {
    const xhr = new FakeXhr();
    const p = uploadInventory({ token: 't', format: 'csv', body: new Blob(['x']), createXhr: () => xhr });
    xhr.answer(405, '');
    await expect(p).rejects.toBeInstanceOf(BulkHttpMissingError);
  });

  it('the signal aborts the request', async () => {
    const xhr = new FakeXhr();
    const controller = new AbortController();
    const p = uploadInventory({ token: 't', format: 'csv', body: new Blob(['x']), createXhr: () => xhr, signal: controller.signal });
    controller.abort();
    await expect(p).rejects.toBeInstanceOf(TransferAbortedError);
  });

  it('a network failure is UNAVAILABLE', async () => {
    const xhr = new FakeXhr();
    const p = uploadInventory({ token: 't', format: 'csv', body: new Blob(['x']), createXhr: () => xhr });
    xhr.onerror?.();
    await expect(p).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
