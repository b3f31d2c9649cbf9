// The lab's state file (lab-state.json beside the console's store): what the lab's hosts
// keep while the console is down, as one JSON document. Its parts: each host's identity after
// a PXE install (hostname, template, install generation: the seed of its SSH host key), the
// installer's record per server (profile, install fault, installs started, the install in
// flight with its wall-clock start, the last result and its callback with the Idempotency-Key)
// and each BMC's chassis state (power, boot flags, a power cycle's pending power-on).
// Written atomically: a temp file beside it, fsynced, then renamed over it, so a reader sees
// the old document or the new one, never half of one. Read strictly: a file that is not JSON,
// not this format or version, made for another lab (seed, size) or naming devices the lab does
// not have is refused whole with the reason; the caller logs it and starts factory-fresh.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import {
  INSTALL_CALLBACK_METHODS, installProfileProblems, LAB_OS_TEMPLATES,
  type InstallCallbackMethod, type LabInstallCallbackBody, type LabInstallFault, type LabInstallProfile, type LabOsTemplate,
} from '../../../src-shared/domain';

export const LAB_STATE_FORMAT = 'fleetdeck-lab-state';
export const LAB_STATE_VERSION = 1;

export interface SavedIdentity {
  readonly hostname: string;
  readonly template: LabOsTemplate;
  /** 1 after the first PXE install (the lab's own OS is generation 0 and is not saved). */
  readonly generation: number;
}

export interface SavedCallbackRequest {
  readonly url: string;
  readonly method: InstallCallbackMethod;
  readonly body: LabInstallCallbackBody;
  readonly idempotencyKey: string;
}

export interface SavedInstaller {
  readonly profile: LabInstallProfile | null;
  readonly fault: LabInstallFault | null;
  readonly started: number;
  /** What the server was doing, since when (wall clock); null: running its OS. */
  readonly phase: { readonly phase: 'installing' | 'hung' | 'pxe-no-entry'; readonly profile: LabInstallProfile | null; readonly since: number } | null;
  readonly last: {
    readonly status: 'installed' | 'failed';
    readonly endedAt: number;
    readonly callback: 'none' | 'sending' | 'delivered' | 'gave-up';
    readonly attempts: number;
    readonly error: string | null;
    /** The key its callback carries (null: no callback). */
    readonly idempotencyKey: string | null;
    /** The request, kept while it is being sent: sent again after a restart. */
    readonly request: SavedCallbackRequest | null;
  } | null;
}

export interface SavedBmc {
  readonly power: 'on' | 'off';
  readonly boot: { readonly valid: boolean; readonly persistent: boolean; readonly efi: boolean; readonly device: string };
  /** A power cycle's power-on, due then (wall clock); null: none pending. */
  readonly powerOnAt: number | null;
}

/** The parts of the document the lab's pieces save and restore, by device id. */
export interface LabStateParts {
  readonly identities: Readonly<Record<string, SavedIdentity>>;
  readonly installer: Readonly<Record<string, SavedInstaller>>;
  readonly bmc: Readonly<Record<string, SavedBmc>>;
}

export interface LabStateDocument extends LabStateParts {
  readonly format: typeof LAB_STATE_FORMAT;
  readonly version: typeof LAB_STATE_VERSION;
  /** The lab it was written by: another seed or size is another lab. */
  readonly lab: { readonly seed: number; readonly devices: number };
  readonly savedAt: number;
}

export const EMPTY_PARTS: LabStateParts = Object.freeze({ identities: {}, installer: {}, bmc: {} });

// A small strict reader: each check returns the value or throws naming where it is wrong.
type Check<T> = (v: unknown, at: string) => T;
class Malformed extends Error {}
const fail = (at: string, what: string): never => {
  throw new Malformed(`malformed at ${at || '(top)'}: ${what}`);
};
const int = (min: number): Check<number> => (v, at) => (Number.isInteger(v) && (v as number) >= min ? (v as number) : fail(at, `expected an integer from ${min}, got ${JSON.stringify(v)}`));
const str: Check<string> = (v, at) => (typeof v === 'string' ? v : fail(at, `expected a string, got ${JSON.stringify(v)}`));
const bool: Check<boolean> = (v, at) => (typeof v === 'boolean' ? v : fail(at, `expected true or false, got ${JSON.stringify(v)}`));
const oneOf = <T extends string>(values: readonly T[]): Check<T> => (v, at) => ((values as readonly unknown[]).includes(v) ? (v as T) : fail(at, `expected one of ${values.join(', ')}, got ${JSON.stringify(v)}`));
const nullable = <T>(c: Check<T>): Check<T | null> => (v, at) => (v === null ? null : c(v, at));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const record = <T>(c: Check<T>): Check<Record<string, T>> => (v, at) => {
  if (!isObject(v)) return fail(at, 'expected an object');
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, c(x, `${at}.${k}`)]));
};
/** An object with exactly these fields (those whose check accepts undefined may be absent). */
const strict = <T>(shape: { [K in keyof T]-?: Check<T[K]> }): Check<T> => (v, at) => {
  if (!isObject(v)) return fail(at, 'expected an object');
  const extra = Object.keys(v).find((k) => !(k in shape));
  if (extra !== undefined) fail(`${at}.${extra}`, 'unexpected field');
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(shape) as (keyof T & string)[]) {
    const value = shape[k](v[k], at ? `${at}.${k}` : k);
    if (value !== undefined) out[k] = value;
  }
  return out as T;
};
const optional = <T>(c: Check<T>): Check<T | undefined> => (v, at) => (v === undefined ? undefined : c(v, at));

const template = oneOf(LAB_OS_TEMPLATES);
const method = oneOf(INSTALL_CALLBACK_METHODS);
const profile: Check<LabInstallProfile> = (v, at) => {
  const p = strict<LabInstallProfile>({
    os: template, hostname: str, durationMs: int(0),
    callback: optional(strict<NonNullable<LabInstallProfile['callback']>>({ url: str, method: optional(method) })),
  })(v, at);
  const problems = installProfileProblems(p);
  return problems.length ? fail(at, problems.join('; ')) : p;
};
const identity = strict<SavedIdentity>({ hostname: str, template, generation: int(1) });
const callbackRequest = strict<SavedCallbackRequest>({
  url: str, method, idempotencyKey: str,
  body: strict<LabInstallCallbackBody>({ sn: str, hostname: str, os: template, status: oneOf(['installed', 'failed'] as const) }),
});
const installer = strict<SavedInstaller>({
  profile: nullable(profile),
  fault: nullable(oneOf(['install-hang', 'install-fail'] as const)),
  started: int(0),
  phase: nullable(strict<NonNullable<SavedInstaller['phase']>>({ phase: oneOf(['installing', 'hung', 'pxe-no-entry'] as const), profile: nullable(profile), since: int(0) })),
  last: nullable(strict<NonNullable<SavedInstaller['last']>>({
    status: oneOf(['installed', 'failed'] as const), endedAt: int(0), callback: oneOf(['none', 'sending', 'delivered', 'gave-up'] as const),
    attempts: int(0), error: nullable(str), idempotencyKey: nullable(str), request: nullable(callbackRequest),
  })),
});
const bmc = strict<SavedBmc>({
  power: oneOf(['on', 'off'] as const),
  boot: strict<SavedBmc['boot']>({ valid: bool, persistent: bool, efi: bool, device: str }),
  powerOnAt: nullable(int(0)),
});
const document = strict<LabStateDocument>({
  format: oneOf([LAB_STATE_FORMAT] as const),
  version: (v, at) => (v === LAB_STATE_VERSION ? LAB_STATE_VERSION : fail(at, 'unknown version')),
  lab: strict<LabStateDocument['lab']>({ seed: int(Number.MIN_SAFE_INTEGER), devices: int(0) }),
  savedAt: int(0),
  identities: record(identity),
  installer: record(installer),
  bmc: record(bmc),
});

/** Which lab a state file belongs to. */
export interface LabStateOwner {
  seed: number;
  devices: number;
  /** Every device id the lab has. */
  has(deviceId: string): boolean;
}

export type LabStateRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'loaded'; readonly doc: LabStateDocument }
  | { readonly kind: 'refused'; readonly reason: string };

/** Reads and checks the state file; never throws. */
export function readLabStateFile(path: string, owner: LabStateOwner): LabStateRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'refused', reason: `cannot read it: ${(err as Error).message}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { kind: 'refused', reason: `not JSON (${(err as Error).message})` };
  }
  const head = raw as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== LAB_STATE_FORMAT) {
    return { kind: 'refused', reason: `not a lab state file (format ${JSON.stringify(head?.format ?? null)}, expected "${LAB_STATE_FORMAT}")` };
  }
  if (head.version !== LAB_STATE_VERSION) {
    return { kind: 'refused', reason: `version ${JSON.stringify(head.version ?? null)}, this lab reads version ${LAB_STATE_VERSION} only` };
  }
  let doc: LabStateDocument;
  try {
    doc = document(raw, '');
  } catch (err) {
    if (err instanceof Malformed) return { kind: 'refused', reason: err.message };
    throw err;
  }
  if (doc.lab.seed !== owner.seed || doc.lab.devices !== owner.devices) {
    return { kind: 'refused', reason: `written by another lab (seed ${doc.lab.seed}, ${doc.lab.devices} devices; this one: seed ${owner.seed}, ${owner.devices} devices)` };
  }
  for (const part of ['identities', 'installer', 'bmc'] as const) {
    const stranger = Object.keys(doc[part]).find((id) => !owner.has(id));
    if (stranger !== undefined) return { kind: 'refused', reason: `${part} names a device this lab does not have ("${stranger}")` };
  }
  return { kind: 'loaded', doc };
}

/** Writes the document atomically (temp file, fsync, rename), readable by its owner only. */
export function writeLabStateFile(path: string, doc: LabStateDocument): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(doc)}\n`);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
}
