// Makes the SNMP poller re-read its targets now instead of at its next refresh (every few
// seconds): after an inventory change, added devices are polled and deleted ones dropped
// within a tick. The poller re-reads its targets when asked for a device it does not know,
// so asking for an id no device can have refreshes it and opens no session. A stopgap until
// the poller offers refresh() itself (core/fleet, not this capability's files).
import { NotFoundError } from '../../../src-shared/errors';

/** What this needs of the poller (structural: capabilities do not import each other). */
export interface RefreshablePoller<S> {
  request<T>(deviceId: string, op: (session: S) => Promise<T>): Promise<T>;
}

const NO_DEVICE = '\u0000refresh-targets';

export function refreshPollTargets<S>(poller: RefreshablePoller<S>, log?: (line: string) => void): void {
  poller.request(NO_DEVICE, async () => undefined).catch((err: unknown) => {
    if (!(err instanceof NotFoundError)) log?.(`inventory: refreshing the poll targets failed: ${(err as Error).message}`);
  });
}
