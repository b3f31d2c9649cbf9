// Bulk inventory data over HTTP in serve mode: the export streamed down (GET
// /api/inventory/export) and the import uploaded as the raw request body (POST
// /api/inventory/import), each with progress and cancellable, so a 100 k-device file never
// travels as one WebSocket message. Authenticated with the WebSocket client's token. An
// import may name a subtree to replace and ask for a preview only (?replace=<kind>:<id>&dryRun=1).
import type { CoreClient } from '../../src-shared/api';
import { INVENTORY_HTTP } from '../../src-shared/api/inventory';
import type { ImportResult, ReplaceScope } from '../../src-shared/domain';
import { RemoteError, isSerializedError, type ErrorCode } from '../../src-shared/errors';
import { WsClient } from './ws-client';

export type BulkFormat = 'csv' | 'json';

/** Bytes moved so far, and the whole when the other side said it (Content-Length). */
export interface TransferProgress {
  loaded: number;
  total: number | null;
}

/** Thrown when the caller aborted the transfer (its AbortSignal fired). */
export class TransferAbortedError extends Error {
  constructor() {
    super('The transfer was cancelled');
    this.name = 'TransferAbortedError';
  }
}

/**
 * The server has no bulk endpoint (a serve build from before them: GET falls through to
 * the renderer's index.html, POST is answered 404/405). The caller may use the WebSocket.
 */
export class BulkHttpMissingError extends Error {
  constructor() {
    super('This FleetDeck server has no bulk HTTP endpoint');
    this.name = 'BulkHttpMissingError';
  }
}

/** The minimal XMLHttpRequest surface the upload uses (injected in tests). */
export interface UploadXhr {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  readonly upload: { onprogress: ((e: ProgressEvent) => void) | null; onload: (() => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

interface Common {
  token: string;
  format: BulkFormat;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
  /** Where serve mode answers; the page's own origin when omitted. */
  base?: string;
}

/** The token for bulk HTTP when the client is serve mode's WebSocket; null in the desktop (IPC). */
export function bulkTokenOf(client: CoreClient): string | null {
  return client instanceof WsClient ? client.token : null;
}

/** What an import asks besides its format: a subtree to replace, and a preview only (the route's query). */
export interface ImportQuery {
  replace?: ReplaceScope | null;
  dryRun?: boolean;
}

export function inventoryUrl(kind: 'export' | 'import', format: BulkFormat, base = '', query: ImportQuery = {}): string {
  const params = new URLSearchParams({ format });
  if (query.replace) params.set('replace', `${query.replace.kind}:${query.replace.id}`);
  if (query.dryRun) params.set('dryRun', '1');
  return `${base}${INVENTORY_HTTP[kind]}?${params.toString()}`;
}

/** Downloads the export as a Blob, reporting progress chunk by chunk. */
export async function downloadInventory(opts: Common & { fetchImpl?: typeof fetch }): Promise<Blob> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await fetchImpl(inventoryUrl('export', opts.format, opts.base), {
      headers: { Authorization: `Bearer ${opts.token}` },
      cache: 'no-store',
      signal: opts.signal,
    });
  } catch (err) {
    throw opts.signal?.aborted ? new TransferAbortedError() : networkError('export', err);
  }
  const type = res.headers.get('content-type') ?? '';
  if (res.status === 404 || res.status === 405 || (res.ok && type.startsWith('text/html'))) throw new BulkHttpMissingError();
  if (!res.ok) throw await errorOfResponse(res.status, () => res.text());
  const total = Number(res.headers.get('content-length')) || null;
  opts.onProgress?.({ loaded: 0, total });
  if (!res.body) {
    const blob = await res.blob();
    opts.onProgress?.({ loaded: blob.size, total });
    return blob;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      opts.onProgress?.({ loaded, total });
    }
  } catch (err) {
    throw opts.signal?.aborted ? new TransferAbortedError() : networkError('export', err);
  }
  return new Blob(chunks as BlobPart[], { type });
}

/**
 * Uploads a file as the raw body. onUploaded fires once the whole body is sent: from then
 * on the core may be importing, and an abort no longer means nothing was imported.
 */
export function uploadInventory(
  opts: Common & ImportQuery & { body: Blob; onUploaded?: () => void; createXhr?: () => UploadXhr },
): Promise<ImportResult> {
  return new Promise<ImportResult>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new TransferAbortedError());
      return;
    }
    const xhr: UploadXhr = opts.createXhr ? opts.createXhr() : (new XMLHttpRequest() as unknown as UploadXhr);
    const onAbortSignal = (): void => xhr.abort();
    const done = (): void => opts.signal?.removeEventListener('abort', onAbortSignal);
    xhr.open('POST', inventoryUrl('import', opts.format, opts.base, { replace: opts.replace, dryRun: opts.dryRun }));
    xhr.setRequestHeader('Authorization', `Bearer ${opts.token}`);
    xhr.setRequestHeader('Content-Type', opts.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    xhr.upload.onprogress = (e) => opts.onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : opts.body.size });
    xhr.upload.onload = () => opts.onUploaded?.();
    xhr.onload = () => {
      done();
      const body = xhr.responseText;
      const parsed = parseJson(body);
      if (xhr.status >= 200 && xhr.status < 300 && isOkReply(parsed)) resolve(parsed.result);
      else if ((xhr.status === 404 || xhr.status === 405) && !isSerializedError((parsed as { error?: unknown } | null)?.error)) reject(new BulkHttpMissingError());
      else void errorOfResponse(xhr.status, () => Promise.resolve(body)).then(reject);
    };
    xhr.onerror = () => {
      done();
      reject(networkError('import', null));
    };
    xhr.onabort = () => {
      done();
      reject(new TransferAbortedError());
    };
    opts.signal?.addEventListener('abort', onAbortSignal, { once: true });
    xhr.send(opts.body);
  });
}

/** The server's { ok: false, error } when it sent one; else an error named by the status. */
export async function errorOfResponse(status: number, text: () => Promise<string>): Promise<RemoteError> {
  let body = '';
  try {
    body = await text();
  } catch {
    // no body to read
  }
  const parsed = parseJson(body) as { error?: unknown } | null;
  if (parsed && isSerializedError(parsed.error)) return new RemoteError(parsed.error);
  return new RemoteError({
    name: 'HttpStatusError',
    code: codeOfStatus(status),
    message: `The server answered HTTP ${status}`,
    params: { status },
  });
}

export function codeOfStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 400 || status === 413 || status === 415) return 'BAD_REQUEST';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 0 || status === 502 || status === 503 || status === 504) return 'UNAVAILABLE';
  return 'INTERNAL';
}

function isOkReply(v: unknown): v is { ok: true; result: ImportResult } {
  return typeof v === 'object' && v !== null && (v as { ok?: unknown }).ok === true && 'result' in v;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function networkError(kind: 'export' | 'import', err: unknown): RemoteError {
  return new RemoteError({
    name: 'TransferFailedError',
    code: 'UNAVAILABLE',
    message: `The inventory ${kind} did not reach FleetDeck${err ? `: ${String(err)}` : ''}`,
    params: { kind },
  });
}
