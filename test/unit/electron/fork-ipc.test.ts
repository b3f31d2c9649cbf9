// fork-ipc.ts: the lab process's child_process.fork-style IPC (process.send, connected,
// 'message') carried over an Electron utilityProcess's parentPort, with fakes for both.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installForkIpc, type ForkIpcTarget } from '../../../src-main/electron/fork-ipc';

function fakePort() {
  const port = Object.assign(new EventEmitter(), { sent: [] as unknown[], postMessage: (m: unknown) => void port.sent.push(m) });
  return port;
}

describe('fork-style IPC over a parentPort', () => {
  it('gives a utilityProcess process.send, connected and message events', async () => {
    const proc = new EventEmitter() as EventEmitter & ForkIpcTarget & { send(m: unknown, cb?: (e: Error | null) => void): boolean };
    const port = fakePort();
    expect(installForkIpc(proc, port)).toBe(true);
    expect(proc.connected).toBe(true);

    const got: unknown[] = [];
    proc.on('message', (m) => got.push(m));
    port.emit('message', { data: { type: 'start', options: { seed: 1 } } });
    expect(got).toEqual([{ type: 'start', options: { seed: 1 } }]);

    const acked = new Promise<Error | null>((resolve) => proc.send({ type: 'ready' }, resolve));
    expect(proc.send({ type: 'status', id: 1 })).toBe(true);
    expect(await acked).toBeNull();
    expect(port.sent).toEqual([{ type: 'ready' }, { type: 'status', id: 1 }]);
  });

  it('hands a failed post to the callback', async () => {
    const proc = new EventEmitter() as EventEmitter & ForkIpcTarget & { send(m: unknown, cb?: (e: Error | null) => void): boolean };
    installForkIpc(proc, { postMessage: () => { throw new Error('could not be cloned'); }, on: () => {} });
    const err = await new Promise<Error | null>((resolve) => proc.send({ f: 1 }, resolve));
    expect(err?.message).toBe('could not be cloned');
  });

  it('leaves a process that already has an IPC channel alone', () => {
    const send = () => true;
    const proc = Object.assign(new EventEmitter(), { send });
    expect(installForkIpc(proc, fakePort())).toBe(false);
    expect(proc.send).toBe(send);
  });
});
