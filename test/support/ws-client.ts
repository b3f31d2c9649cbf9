// A Node client for serve mode's WebSocket contract, for integration tests and benchmarks.
import WebSocket from 'ws';
import type { ApiEvents, ArgsOf, EventName, Method, ResultOf, WireAuthReply } from '../../src-shared/api';
import { RemoteError, type SerializedError } from '../../src-shared/errors';

export interface TestClient {
  role: string;
  actor: string;
  call<M extends Method>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  events: { event: EventName; payload: ApiEvents[EventName] }[];
  close(): Promise<void>;
}

export function connect(url: string, token: string): Promise<TestClient> {
  const wsUrl = url.replace(/^http/, 'ws').replace(/\/?$/, '/api');
  const ws = new WebSocket(wsUrl, { maxPayload: 256 * 1024 * 1024 });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const events: TestClient['events'] = [];
  let nextId = 1;
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.on('close', () => {
      for (const p of pending.values()) p.reject(new Error('connection closed'));
      pending.clear();
    });
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      if (msg.type === 'auth') {
        const reply = msg as WireAuthReply;
        if (!reply.ok) {
          reject(new RemoteError(reply.error));
          return;
        }
        resolve({
          role: reply.role,
          actor: reply.actor,
          events,
          call(method, args) {
            const id = nextId++;
            ws.send(JSON.stringify({ type: 'call', id, method, args }));
            return new Promise((res, rej) => pending.set(id, { resolve: res as (v: unknown) => void, reject: rej }));
          },
          close: () =>
            new Promise<void>((r) => {
              if (ws.readyState === ws.CLOSED) return r();
              ws.once('close', () => r());
              ws.close();
            }),
        });
      } else if (msg.type === 'result') {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.ok) p?.resolve(msg.result);
        else p?.reject(new RemoteError(msg.error as SerializedError));
      } else if (msg.type === 'event') {
        events.push({ event: msg.event, payload: msg.payload });
      }
    });
  });
}
