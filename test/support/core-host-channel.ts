// The desktop's main-process side and core host joined by an in-memory channel that copies
// every message as a MessagePort would (structuredClone, delivered in a later microtask):
// what the electron tests drive instead of a real utilityProcess.
import { CoreHostClient } from '../../src-main/electron/core-host-client';
import { serveCoreHost, type CoreHostOptions } from '../../src-main/electron/core-host-service';

/** A CoreHostClient talking to serveCoreHost over the copying channel; `createCore` is the host's. */
export function coreHostOverChannel(createCore: CoreHostOptions['createCore']): CoreHostClient {
  const toHost: ((m: unknown) => void)[] = [];
  const toMain: ((m: unknown) => void)[] = [];
  const deliver = (to: readonly ((m: unknown) => void)[], m: unknown): void => {
    const c = structuredClone(m);
    queueMicrotask(() => to.forEach((l) => l(c)));
  };
  const client = new CoreHostClient({
    postMessage: (m) => deliver(toHost, m),
    onMessage: (l) => toMain.push(l),
    onExit: () => {},
    kill: () => {},
  });
  serveCoreHost({
    port: { postMessage: (m) => deliver(toMain, m), onMessage: (l) => toHost.push(l) },
    createCore,
    exit: () => {},
    log: () => {},
  });
  return client;
}
