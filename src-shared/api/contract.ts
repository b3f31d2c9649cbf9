// The building blocks of the contract: a method is an argument schema (zod), a result type,
// the least role that may call it, what the audit trail names as its target, and an example
// call (the contract test derives its malformed cases from it). Events name their least role.
import { z } from 'zod';
import type { Role } from '../domain/roles';

export interface MethodSpec<A extends z.ZodType = z.ZodType, R = unknown> {
  /** Parses the arguments of every call before dispatch; its output is what the handler gets. */
  readonly args: A;
  /** Results are produced by the core itself: typed, not re-validated on the way out. */
  readonly result: z.ZodType<R>;
  /** The least role that may call it. Anything above viewer is audited before it runs. */
  readonly role: Role;
  /** The audit trail's target for a call (parsed arguments); '' when absent. */
  readonly audit?: (args: z.output<A>) => string;
  /** A valid call's arguments: documents the method and seeds the contract test. */
  readonly example: z.input<A>;
  readonly doc?: string;
  /**
   * Desktop only: the main process confirms the call in a native dialog that names its
   * target (the audit text) before it reaches the core, and the page cannot skip it.
   * 'always': every call; 'address-change': when a dry run of the call shows it would move
   * a device to another management or BMC address (ImportResult.addressChanges).
   */
  readonly confirm?: MethodConfirm;
}

export const METHOD_CONFIRMS = ['always', 'address-change'] as const;
export type MethodConfirm = (typeof METHOD_CONFIRMS)[number];

export interface EventSpec<P = unknown> {
  readonly payload: z.ZodType<P>;
  /** The least role that receives the stream (command output is not for wall screens). */
  readonly role: Role;
  readonly doc?: string;
}

/** Declares a method; the generic parameters are inferred from the spec. */
export function method<A extends z.ZodType, R>(spec: MethodSpec<A, R>): MethodSpec<A, R> {
  return spec;
}

export function event<P>(spec: EventSpec<P>): EventSpec<P> {
  return spec;
}

/** A result type: the core's own output, checked by the compiler rather than at run time. */
export function result<T>(): z.ZodType<T> {
  return z.custom<T>(() => true);
}

/** No arguments: undefined, null or an empty object. */
export const noArgs = z.union([z.undefined(), z.null(), z.strictObject({})]).transform((): void => undefined);

/** An identifier or name: non-empty, bounded. */
export const text = (max: number) => z.string().min(1, 'must be a non-empty string').max(max, `must be at most ${max} characters`);

/** An optional integer in a range; null reads as absent. */
export const optInt = (min: number, max: number) =>
  z
    .number()
    .int(`must be an integer from ${min} to ${max}`)
    .min(min, `must be an integer from ${min} to ${max}`)
    .max(max, `must be an integer from ${min} to ${max}`)
    .nullish()
    .transform((v) => v ?? undefined);

/** Arguments that may be left out entirely (an object of optional fields). */
export function optionalArgs<S extends z.ZodRawShape>(shape: S) {
  return z
    .strictObject(shape)
    .nullish()
    .transform((v) => v ?? ({} as z.output<z.ZodObject<S>>));
}
