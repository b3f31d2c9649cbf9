// The wait-for-callback tool (wf.callback): a step that waits until an outside system calls
// its one-time URL (POST /wf/callback/<token> in serve mode) with a JSON body
// { status?, data? }, which becomes the step's output. With notifyUrl, its first call POSTs
// { callbackUrl, runId, stepId, host } there, so the outside system learns where to call
// back (an installer, a ticket system); a refused or unreachable notify fails the attempt
// (the step's retry policy applies; a retry mints a new URL and the old one is spent).
// The URL is a bearer secret: it is never written to the run's log lines.
import { z } from 'zod';
import { FleetDeckError } from '../../../../src-shared/errors';
import { tool } from '../tool';

/** How long the notify request may take. */
export const NOTIFY_TIMEOUT_MS = 10_000;

export const waitCallbackTool = tool({
  name: 'wf.callback',
  title: 'Wait for a callback',
  kind: 'callback',
  // A repeated notify hands out a new URL and spends the old one: running it again does no harm.
  idempotent: true,
  input: z.object({
    message: z.string().max(2000).default(''),
    notifyUrl: z.url({ protocol: /^https?$/ }).optional(),
  }),
  output: z.object({
    status: z.string().max(200).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
  async run(ctx, input) {
    if (ctx.check > 0) return { status: 'pending' as const };
    ctx.log(input.message ? `waiting for a callback: ${input.message}` : 'waiting for a callback');
    if (input.notifyUrl) {
      if (!ctx.callbackUrl) throw new FleetDeckError('UNAVAILABLE', 'This FleetDeck has no callback URL to hand out (no inbound HTTP): notifyUrl needs serve mode');
      const body = JSON.stringify({ callbackUrl: ctx.callbackUrl, runId: ctx.runId, stepId: ctx.stepId, host: ctx.host?.id ?? null });
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(NOTIFY_TIMEOUT_MS)]);
      let res: Response;
      try {
        res = await fetch(input.notifyUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal });
      } catch (err) {
        throw new FleetDeckError('UNAVAILABLE', `Could not notify ${input.notifyUrl} of the callback URL: ${(err as Error).message}`, { url: input.notifyUrl });
      }
      await res.body?.cancel().catch(() => {});
      if (!res.ok) throw new FleetDeckError('UNAVAILABLE', `${input.notifyUrl} refused the callback URL: HTTP ${res.status}`, { url: input.notifyUrl, status: res.status });
      ctx.log(`${input.notifyUrl} was told where to call back (HTTP ${res.status})`);
    }
    return { status: 'pending' as const };
  },
});
