// The HTTP callback tool (http.callback): tells an outside system a step was reached (seed
// 000's last step). It sends nothing itself: its result carries an outbox message, which the
// engine writes in the step's completing transaction and delivers with an Idempotency-Key
// (outbox.ts), so a crash never sends it twice or loses it.
import { z } from 'zod';
import { tool } from '../tool';

const METHODS = ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'] as const;

export const httpCallbackTool = tool({
  name: 'http.callback',
  title: 'HTTP callback',
  kind: 'sync',
  idempotent: true,
  input: z.object({
    method: z.string().transform((m) => m.toUpperCase()).pipe(z.enum(METHODS)),
    url: z.url({ protocol: /^https?$/ }),
    body: z.record(z.string(), z.unknown()).default({}),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  output: z.object({ idempotencyKey: z.string(), method: z.string(), url: z.string() }),
  run(ctx, input) {
    const idempotencyKey = `${ctx.runId}/${ctx.stepId}/${ctx.host?.id ?? ''}`;
    ctx.log(`${input.method} ${input.url} queued (Idempotency-Key ${idempotencyKey})`);
    return Promise.resolve({
      status: 'done' as const,
      output: { idempotencyKey, method: input.method, url: input.url },
      outbox: { method: input.method, url: input.url, headers: input.headers, body: input.method === 'GET' || input.method === 'DELETE' ? undefined : input.body },
    });
  },
});
