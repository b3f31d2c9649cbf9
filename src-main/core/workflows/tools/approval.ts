// The approval tool (wf.approval): a step that waits for an operator. Its call logs the
// message and returns pending; the engine holds the task awaiting-approval until
// engine.approve (output: who and when) or engine.reject (failed, 'rejected').
import { z } from 'zod';
import { tool } from '../tool';

export const approvalTool = tool({
  name: 'wf.approval',
  title: 'Operator approval',
  kind: 'approval',
  idempotent: true,
  input: z.object({ message: z.string().max(2000).default('') }),
  output: z.object({ approvedBy: z.string(), approvedAt: z.number(), note: z.string().optional() }),
  run(ctx, input) {
    ctx.log(input.message ? `waiting for approval: ${input.message}` : 'waiting for approval');
    return Promise.resolve({ status: 'pending' as const });
  },
});
