// Many BMCs at once: one shared UDP transport, one client per target, at most `concurrency`
// BMCs in flight. Every target gets a result in input order: its value or its named error.
import { createIpmiClient, type IpmiClient, type IpmiClientOptions } from './client';
import { IpmiCancelledError, toIpmiError, type IpmiError } from './errors';
import { createUdpTransport, type IpmiTransport } from './transport';

export type IpmiTarget = Omit<IpmiClientOptions, 'transport'>;

export type SweepResult<T extends IpmiTarget, R> =
  | { target: T; ok: true; value: R }
  | { target: T; ok: false; error: IpmiError };

export interface SweepOptions {
  /** BMCs in flight at once (default 64). */
  concurrency?: number;
  /** Use this transport instead of a private one (which is closed when the sweep ends). */
  transport?: IpmiTransport;
  /** Stop starting new targets once aborted; the ones not started fail as cancelled. */
  signal?: AbortSignal;
  onResult?: (result: SweepResult<IpmiTarget, unknown>, done: number, total: number) => void;
}

export async function sweep<T extends IpmiTarget, R>(targets: readonly T[], fn: (client: IpmiClient, target: T) => Promise<R>, opts: SweepOptions = {}): Promise<SweepResult<T, R>[]> {
  const transport = opts.transport ?? createUdpTransport();
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? 64, targets.length || 1));
  const results: SweepResult<T, R>[] = new Array(targets.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= targets.length) return;
      const target = targets[i];
      if (opts.signal?.aborted) {
        results[i] = { target, ok: false, error: new IpmiCancelledError(target.host) };
      } else {
        const client = createIpmiClient({ ...target, transport });
        try {
          results[i] = { target, ok: true, value: await fn(client, target) };
        } catch (err) {
          results[i] = { target, ok: false, error: toIpmiError(err, target.host) };
        } finally {
          await client.close();
        }
      }
      done++;
      opts.onResult?.(results[i], done, targets.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    if (!opts.transport) await transport.close();
  }
  return results;
}
