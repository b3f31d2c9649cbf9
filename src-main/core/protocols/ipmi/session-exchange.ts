// One request/response exchange over the transport: send, wait for the datagram the matcher
// accepts, resend on timeout, give up with IpmiTimeoutError. Datagrams the matcher does not
// recognise (another session's, a late duplicate, garbage) are ignored; a matcher that
// throws ends the exchange with that error (a RAKP 2 that does not verify, for instance).
import { IpmiProtocolError, IpmiSessionClosedError, IpmiTimeoutError, toIpmiError } from './errors';
import type { IpmiTransport } from './transport';

export interface ExchangeTarget {
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly transport: IpmiTransport;
  readonly timeoutMs: number;
  readonly retries: number;
}

export type Matcher<T> = (packet: Buffer) => T | undefined;

/** Runs `decode`; a malformed packet (IpmiProtocolError) becomes undefined: not ours. */
export function orIgnore<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (err) {
    if (err instanceof IpmiProtocolError) return undefined;
    throw err;
  }
}

export interface ExchangeOptions {
  /** Overrides the target's retries (close uses 0: a dead BMC must not hold up shutdown). */
  retries?: number;
  signal?: { aborted: boolean };
}

export function exchange<T>(t: ExchangeTarget, what: string, build: () => Buffer, match: Matcher<T>, opts: ExchangeOptions = {}): Promise<T> {
  const retries = opts.retries ?? t.retries;
  return new Promise<T>((resolve, reject) => {
    if (t.transport.closed) {
      reject(new IpmiSessionClosedError(t.host));
      return;
    }
    let attempts = 0;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (err: unknown, value?: T): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      listener.dispose();
      if (err) reject(toIpmiError(err, t.host));
      else resolve(value as T);
    };
    const listener = t.transport.listen(t.address, t.port, (packet) => {
      if (done) return;
      let v: T | undefined;
      try {
        v = match(packet);
      } catch (err) {
        finish(err);
        return;
      }
      if (v !== undefined) finish(undefined, v);
    });
    const attempt = (): void => {
      if (done) return;
      if (t.transport.closed) {
        finish(new IpmiSessionClosedError(t.host));
        return;
      }
      attempts++;
      let packet: Buffer;
      try {
        packet = build();
      } catch (err) {
        finish(err);
        return;
      }
      t.transport.send(t.address, t.port, packet);
      timer = setTimeout(() => {
        if (attempts > retries) finish(new IpmiTimeoutError(t.host, t.port, what, t.timeoutMs * attempts));
        else attempt();
      }, t.timeoutMs);
    };
    attempt();
  });
}
