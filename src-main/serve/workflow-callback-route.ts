// Serve mode's workflow callback route: POST /wf/callback/<token> hands the JSON body to the
// workflow step that handed out that one-time URL (core.workflowCallback): the step's output,
// or judged by its tool (a reported failure fails the step; the caller is still answered 200,
// its report was heard). No access token: the 192-bit one-time token is the credential, and the route can
// do nothing else: it never touches the API (no method, no other path under it), a reused
// token is 409 and an unknown one 404. The body is bounded (64 KiB, read within 10 s, a JSON
// object when there is one: Content-Type application/json), and so are the bodies in flight
// (32 at once, 8 per address; past that 503/429 with Retry-After). Refusals are JSON:
// { ok: false, error: { code, message, params } }; a body that does not fit names the field.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FleetDeckError, serializeError, ValidationError, type ErrorCode } from '../../src-shared/errors';
import { SECURITY_HEADERS } from './static-files';

export const CALLBACK_PATH = '/wf/callback/';

export interface CallbackLimits {
  readonly maxBodyBytes: number;
  /** Callback bodies being read or delivered at once, server-wide. */
  readonly maxInFlight: number;
  readonly maxPerAddress: number;
  /** The whole body must arrive within this. */
  readonly bodyTimeoutMs: number;
}

export const CALLBACK_LIMITS: CallbackLimits = { maxBodyBytes: 64 * 1024, maxInFlight: 32, maxPerAddress: 8, bodyTimeoutMs: 10_000 };

/** A token as the engine mints them (base64url); anything else cannot be one. */
const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

const STATUS: Partial<Record<ErrorCode, number>> = { VALIDATION: 400, BAD_REQUEST: 400, NOT_FOUND: 404, CONFLICT: 409, RATE_LIMITED: 429, UNAVAILABLE: 503 };

/** A refusal with its HTTP status. */
class HttpRefusal extends FleetDeckError {
  readonly status: number;
  constructor(status: number, code: ErrorCode, message: string, params?: Record<string, unknown>) {
    super(code, message, params);
    this.name = 'CallbackRefusedError';
    this.status = status;
  }
}

const bodyProblem = (message: string): ValidationError => new ValidationError(message, { field: '(body)', problem: message });

export interface CallbackRoute {
  /** Handles the request when its path is under /wf/callback; false when it is not. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Callback requests being read or delivered now. */
  readonly inFlight: number;
}

/** Completes the step of a token: core.workflowCallback. */
export type DeliverCallback = (token: string, body: unknown) => unknown;

function reply(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS, ...extra });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage, limits: CallbackLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const stop = (err: Error | null): void => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError);
      if (err) {
        req.pause();
        reject(err);
      } else resolve(Buffer.concat(chunks));
    };
    const onData = (c: Buffer): void => {
      bytes += c.length;
      if (bytes > limits.maxBodyBytes) stop(new HttpRefusal(413, 'BAD_REQUEST', `The callback body is larger than ${limits.maxBodyBytes} bytes`, { limitBytes: limits.maxBodyBytes }));
      else chunks.push(c);
    };
    const onEnd = (): void => stop(null);
    const onError = (err: Error): void => stop(err);
    const timer = setTimeout(() => stop(new HttpRefusal(408, 'BAD_REQUEST', `The callback body did not arrive within ${limits.bodyTimeoutMs} ms`)), limits.bodyTimeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

function parseBody(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw bodyProblem(`The callback body is not JSON: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bodyProblem(`The callback body must be a JSON object, not ${Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v}`);
  return v as Record<string, unknown>;
}

export function createCallbackRoute(deliver: DeliverCallback, given: Partial<CallbackLimits> = {}): CallbackRoute {
  const limits: CallbackLimits = { ...CALLBACK_LIMITS, ...given };
  let inFlight = 0;
  const perAddress = new Map<string, number>();

  /** Refuses before the body is read: answered, then the connection closed rather than the body read. */
  const refuseUnread = (req: IncomingMessage, res: ServerResponse, err: HttpRefusal, extra: Record<string, string> = {}): void => {
    reply(res, err.status, { ok: false, error: serializeError(err) }, { Connection: 'close', ...extra });
    res.once('finish', () => setTimeout(() => req.destroy(), 1000).unref());
  };

  async function serve(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    let body: Record<string, unknown>;
    try {
      body = parseBody(await readBody(req, limits));
    } catch (err) {
      if (err instanceof HttpRefusal) return refuseUnread(req, res, err);
      throw err;
    }
    deliver(token, body);
    reply(res, 200, { ok: true });
  }

  return {
    get inFlight() {
      return inFlight;
    },
    handle(req, res) {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== CALLBACK_PATH.slice(0, -1) && !path.startsWith(CALLBACK_PATH)) return false;
      if (req.method !== 'POST') {
        refuseUnread(req, res, new HttpRefusal(405, 'BAD_REQUEST', 'A workflow callback is a POST with a JSON body', { method: req.method }), { Allow: 'POST' });
        return true;
      }
      const token = path.slice(CALLBACK_PATH.length);
      if (!TOKEN.test(token)) {
        refuseUnread(req, res, new HttpRefusal(404, 'NOT_FOUND', 'This callback URL is not known (never issued, or replaced by a later attempt)', { what: 'callback token' }));
        return true;
      }
      const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
      if (declared !== null && declared > limits.maxBodyBytes) {
        refuseUnread(req, res, new HttpRefusal(413, 'BAD_REQUEST', `The callback body is larger than ${limits.maxBodyBytes} bytes`, { limitBytes: limits.maxBodyBytes }));
        return true;
      }
      const hasBody = (declared !== null && declared > 0) || req.headers['transfer-encoding'] !== undefined;
      const type = req.headers['content-type'] ?? '';
      if (hasBody && !/^application\/json\s*(;|$)/i.test(type)) {
        const problem = `must be application/json (got ${JSON.stringify(type.slice(0, 80)) || 'none'})`;
        refuseUnread(req, res, new HttpRefusal(415, 'VALIDATION', `The callback's Content-Type ${problem}`, { field: 'Content-Type', problem }));
        return true;
      }
      const peer = req.socket.remoteAddress ?? '?';
      const mine = perAddress.get(peer) ?? 0;
      if (inFlight >= limits.maxInFlight || mine >= limits.maxPerAddress) {
        const busy = inFlight >= limits.maxInFlight;
        const err = busy
          ? new HttpRefusal(503, 'UNAVAILABLE', `${inFlight} callbacks are being received; try again shortly`, { retryAfterMs: 1000 })
          : new HttpRefusal(429, 'RATE_LIMITED', `${mine} callbacks from this address are being received; try again shortly`, { retryAfterMs: 1000 });
        refuseUnread(req, res, err, { 'Retry-After': '1' });
        return true;
      }
      inFlight++;
      perAddress.set(peer, mine + 1);
      serve(req, res, token)
        .catch((err: unknown) => {
          const e = serializeError(err);
          const status = STATUS[e.code];
          // Anything but a refusal by the engine says nothing of the core's internals.
          if (status === undefined) reply(res, 500, { ok: false, error: { name: 'CallbackFailedError', code: 'INTERNAL', message: 'The callback could not be recorded; try again' } });
          else reply(res, status, { ok: false, error: e });
        })
        .finally(() => {
          inFlight--;
          const n = (perAddress.get(peer) ?? 1) - 1;
          if (n > 0) perAddress.set(peer, n);
          else perAddress.delete(peer);
        });
      return true;
    },
  };
}
