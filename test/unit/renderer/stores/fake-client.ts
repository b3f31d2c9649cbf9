// A stand-in API client for the renderer's store tests: answers by method name (an unexpected
// method throws, naming it), records the calls, and keeps event listeners so a test can push
// an event. Installed with setClient; the tests put null back after each case.
import { vi } from 'vitest';
import { setClient } from '../../../../src-renderer/stores/client';

export type FakeAnswer = (args: Record<string, unknown>) => unknown;

export function fakeClient(answers: Record<string, FakeAnswer>) {
  const call = vi.fn(async (method: string, args: Record<string, unknown>) => {
    const answer = answers[method];
    if (!answer) throw new Error(`unexpected ${method}`);
    return answer(args ?? {});
  });
  const listeners = new Map<string, (p: unknown) => void>();
  setClient({ call, on: (event: string, l: (p: unknown) => void) => (listeners.set(event, l), { dispose: () => listeners.delete(event) }) } as never);
  return { call, calls: (method: string) => call.mock.calls.filter((c) => c[0] === method).map((c) => c[1]), listeners };
}
