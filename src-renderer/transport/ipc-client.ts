// CoreClient over the Electron preload bridge (window.fleetdeck).
import type { ApiEvents, ArgsOf, CoreClient, Disposable, EventName, Method, ResultOf } from '../../src-shared/api';
import { RemoteError, isSerializedError } from '../../src-shared/errors';
import type { PreloadBridge } from './preload-bridge';

export function createIpcClient(bridge: PreloadBridge): CoreClient {
  return {
    async call<M extends Method>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
      let reply: Awaited<ReturnType<PreloadBridge['call']>>;
      try {
        reply = await bridge.call(method, args);
      } catch (err) {
        // The IPC hop itself failed (not an error from the core).
        throw new RemoteError({ name: 'IpcError', code: 'UNAVAILABLE', message: `IPC call "${method}" failed: ${String(err)}` });
      }
      if (reply.ok) return reply.result as ResultOf<M>;
      throw new RemoteError(
        isSerializedError(reply.error)
          ? reply.error
          : { name: 'IpcError', code: 'INTERNAL', message: `Malformed error reply for "${method}"` },
      );
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): Disposable {
      const off = bridge.on(event, (payload) => listener(payload as ApiEvents[E]));
      return { dispose: off };
    },
  };
}
