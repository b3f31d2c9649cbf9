// Serve mode's bulk routes: inventory export as a streamed download and import as a streamed
// upload, token-checked like the WebSocket (Authorization: Bearer) and run through the core's
// own role check, audit and call budget (core.api.connect -> callDecoded). The import takes
// ?format=csv|json, and optionally replace=<kind>:<id> (a replacing import) and dryRun=1 (a preview).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { INVENTORY_FORMATS, INVENTORY_HTTP, parseReplaceQuery, type InventoryFormat } from '../../src-shared/api/inventory';
import { LOCATION_KINDS, type ReplaceScope } from '../../src-shared/domain';
import type { CallReply } from '../../src-shared/api';
import { FleetDeckError, ValidationError, serializeError, type ErrorCode } from '../../src-shared/errors';
import type { CoreConnection } from '../core/api/core-api';
import type { Core } from '../core/create-core';
import { SECURITY_HEADERS } from './static-files';

const STATUS: Readonly<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  VALIDATION: 400,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  STORE_VERSION: 503,
  INTERNAL: 500,
};

/** Bulk transfers of one caller: two at once, a couple waiting, a few a second. */
const BULK_BUDGET = { ratePerSec: 2, burst: 4, maxInFlight: 2, maxQueued: 2 };

const TYPES: Readonly<Record<InventoryFormat, string>> = { csv: 'text/csv; charset=utf-8', json: 'application/json' };

function statusOf(err: unknown): number {
  if (err instanceof Error && err.name === 'PayloadTooLargeError') return 413;
  return STATUS[serializeError(err).code] ?? 500;
}

function replyJson(res: ServerResponse, status: number, body: CallReply, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy(); // mid-stream: an unfinished chunked body tells the client the transfer failed
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS, ...extra });
  res.end(JSON.stringify(body));
}

function replyError(res: ServerResponse, err: unknown, closeAfter = false): void {
  const e = serializeError(err);
  const extra: Record<string, string> = closeAfter ? { Connection: 'close' } : {};
  if (e.code === 'UNAUTHENTICATED') extra['WWW-Authenticate'] = 'Bearer';
  const retry = e.params?.retryAfterMs;
  if (e.code === 'RATE_LIMITED' && typeof retry === 'number') extra['Retry-After'] = String(Math.max(1, Math.ceil(retry / 1000)));
  replyJson(res, statusOf(err), { ok: false, error: e }, extra);
}

/** Resolves when the response may take more, rejects when the client went away. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(new FleetDeckError('UNAVAILABLE', 'The client closed the download'));
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

export interface BulkRoutes {
  /** Handles the request when it is a bulk route; false when it is not one. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  dispose(): void;
}

export function createBulkRoutes(core: Core): BulkRoutes {
  const lanes = new Map<string, CoreConnection>();

  /** The caller from the Authorization header, and its bulk lane. */
  const caller = (req: IncomingMessage): CoreConnection => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const peer = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const who = m ? core.auth.authenticate(m[1], `http ${peer}`) : null;
    if (!who) throw new FleetDeckError('UNAUTHENTICATED', m ? 'Unknown or revoked access token' : 'Send the access token as "Authorization: Bearer <token>"');
    const ctx = { actor: `${who.actor}@${req.socket.remoteAddress ?? '?'}`, role: who.role };
    const key = `${ctx.actor}/${ctx.role}`;
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = core.api.connect(ctx, BULK_BUDGET)));
    return lane;
  };

  const formatOf = (url: URL): InventoryFormat => {
    const f = url.searchParams.get('format') ?? '';
    if ((INVENTORY_FORMATS as readonly string[]).includes(f)) return f as InventoryFormat;
    throw new ValidationError(`format must be one of ${INVENTORY_FORMATS.join(', ')} (got ${JSON.stringify(f.slice(0, 40))})`, {
      field: 'format',
      problem: `must be one of ${INVENTORY_FORMATS.join(', ')}`,
      fields: [{ field: 'format', problem: `must be one of ${INVENTORY_FORMATS.join(', ')}` }],
    });
  };

  /** `replace=<kind>:<id>`: a replacing import of that subtree; absent or empty: a merging one. */
  const replaceOf = (url: URL): ReplaceScope | null => {
    const raw = url.searchParams.get('replace');
    const scope = parseReplaceQuery(raw);
    if (scope !== 'bad') return scope;
    const problem = `must be <kind>:<id> with kind one of ${LOCATION_KINDS.join(', ')}`;
    throw new ValidationError(`replace ${problem} (got ${JSON.stringify((raw ?? '').slice(0, 60))})`, { field: 'replace', problem, fields: [{ field: 'replace', problem }] });
  };

  /** `dryRun=1` (or true): preview only; absent, empty, 0 or false: write. */
  const dryRunOf = (url: URL): boolean => {
    const raw = url.searchParams.get('dryRun') ?? '';
    if (['', '0', 'false'].includes(raw)) return false;
    if (['1', 'true'].includes(raw)) return true;
    const problem = 'must be 1, true, 0 or false';
    throw new ValidationError(`dryRun ${problem} (got ${JSON.stringify(raw.slice(0, 40))})`, { field: 'dryRun', problem, fields: [{ field: 'dryRun', problem }] });
  };

  async function exportRoute(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const lane = caller(req);
    const format = formatOf(url);
    const start = (): void => {
      if (res.headersSent) return;
      res.writeHead(200, {
        'Content-Type': TYPES[format],
        'Content-Disposition': `attachment; filename="fleetdeck-inventory.${format}"`,
        'Cache-Control': 'no-store',
        ...SECURITY_HEADERS,
      });
    };
    await lane.callDecoded('inventory.export', {
      format,
      sink: (chunk) => {
        start();
        if (res.destroyed) throw new FleetDeckError('UNAVAILABLE', 'The client closed the download');
        return res.write(chunk) ? undefined : drained(res);
      },
    });
    start();
    res.end();
  }

  async function importRoute(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const lane = caller(req);
    const format = formatOf(url);
    const replace = replaceOf(url);
    const dryRun = dryRunOf(url);
    const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
    if (declared !== null && declared > INVENTORY_HTTP.maxImportBytes) {
      const err = new FleetDeckError('BAD_REQUEST', `The file is larger than ${INVENTORY_HTTP.maxImportBytes} bytes; nothing was imported`, { limitBytes: INVENTORY_HTTP.maxImportBytes });
      err.name = 'PayloadTooLargeError';
      throw err;
    }
    const result = await lane.callDecoded('inventory.import', { format, replace, dryRun, body: req, bytes: Number.isFinite(declared) ? declared : null });
    replyJson(res, 200, { ok: true, result });
  }

  return {
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://serve');
      const route = url.pathname === INVENTORY_HTTP.export ? exportRoute : url.pathname === INVENTORY_HTTP.import ? importRoute : null;
      if (!route) return false;
      const allowed = route === exportRoute ? 'GET' : 'POST';
      if (req.method !== allowed) {
        res.writeHead(405, { Allow: allowed, ...SECURITY_HEADERS }).end();
        return true;
      }
      route(req, res, url).catch((err: unknown) => {
        // An upload refused before its body was read: answer, then close rather than read it all.
        const unread = route === importRoute && !req.readableEnded;
        replyError(res, err, unread);
        if (unread) res.once('finish', () => setTimeout(() => req.destroy(), 1000).unref());
      });
      return true;
    },
    dispose() {
      for (const lane of lanes.values()) lane.dispose();
      lanes.clear();
    },
  };
}
