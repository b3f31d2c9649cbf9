// A workflow template's shape (zod): what a saved template must look like before its steps,
// tools and bindings are checked (template.ts). Strict objects, so a misspelt key ("retires")
// is refused by name instead of being ignored.
import { z } from 'zod';
import { WF_VALUE_TYPES } from '../../../src-shared/domain/workflow';

const ident = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'use letters, digits and _ (not starting with a digit), at most 64');

const retry = z
  .strictObject({
    max: z.number().int().min(0).max(10),
    backoffMs: z.number().int().min(0).max(3_600_000),
    factor: z.number().min(1).max(10),
    maxBackoffMs: z.number().int().min(0).max(86_400_000),
  })
  .refine((r) => r.maxBackoffMs >= r.backoffMs, { message: 'maxBackoffMs must be at least backoffMs', path: ['maxBackoffMs'] });

const fanOut = z.strictObject({
  concurrency: z.number().int().min(1).max(100_000),
  batchSize: z.number().int().min(1).max(100_000),
  maxFailPct: z.number().min(0).max(100),
});

const step = z.strictObject({
  id: ident,
  title: z.string().max(200).optional(),
  tool: z.string().min(1).max(100),
  inputs: z.record(z.string(), z.unknown()),
  after: z.array(z.string()).max(200).optional(),
  scope: z.enum(['host', 'run']),
  fanOut: fanOut.optional(),
  timeoutMs: z.number().int().min(1).max(30 * 86_400_000).optional(),
  onTimeout: z.enum(['fail', 'fail-and-skip']).optional(),
  retry: retry.optional(),
  retryable: z.boolean().optional(),
  skippable: z.boolean().optional(),
  ignoreError: z.boolean().optional(),
  poll: z
    .strictObject({ intervalMs: z.number().int().min(1).max(86_400_000), deadlineMs: z.number().int().min(1).max(30 * 86_400_000) })
    .refine((p) => p.deadlineMs >= p.intervalMs, { message: 'deadlineMs must be at least intervalMs', path: ['deadlineMs'] })
    .optional(),
});

const param = z.strictObject({
  name: ident,
  type: z.enum(WF_VALUE_TYPES),
  required: z.boolean(),
  title: z.string().max(200).optional(),
  default: z.unknown().optional(),
});

export const templateSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'use lower-case letters, digits, ".", "_" and "-", at most 64'),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(4000).optional(),
  params: z.array(param).max(100),
  steps: z.array(step).min(1).max(500),
});
