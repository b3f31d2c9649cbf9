// The contract test: every method's example call parses, and malformed arguments generated
// from that example (wrong types, missing fields, unknown fields, non-objects) are refused by
// the core before dispatch with a VALIDATION error that names the field.
import { describe, expect, it } from 'vitest';
import { API_METHODS, METHODS, type CallContext, type Method } from '../../../../src-shared/api';
import { FleetDeckError } from '../../../../src-shared/errors';
import { createCoreApi, type Handlers } from '../../../../src-main/core/api/core-api';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { AuditRepository } from '../../../../src-main/core/store/audit-repository';
import { openStore } from '../../../../src-main/core/store/database';

const admin: CallContext = { actor: 'contract-test', role: 'admin' };

function setup() {
  const reached: string[] = [];
  const handlers = new Proxy({} as Handlers, {
    get: (_t, method: string) => () => {
      reached.push(method);
      return { ok: true };
    },
  });
  const api = createCoreApi(handlers, new EventHub(), new AuditRepository(openStore(':memory:')));
  return { api, reached };
}

const wrongTypeFor = (v: unknown): unknown => (typeof v === 'string' ? 12345 : typeof v === 'number' ? 'twelve' : typeof v === 'boolean' ? 'yes' : Array.isArray(v) ? 'not-a-list' : 42);

interface Case {
  readonly label: string;
  readonly args: unknown;
  /** The field the error must name. */
  readonly field: string;
}

/** Malformed variants of a method's example call. */
function malformed(method: Method): Case[] {
  const example = API_METHODS[method].example as unknown;
  const cases: Case[] = [];
  if (example === undefined || (typeof example === 'object' && example !== null && !Array.isArray(example))) {
    const base = (example ?? {}) as Record<string, unknown>;
    cases.push({ label: 'an unknown field', args: { ...base, bogus: 1 }, field: 'bogus' });
    cases.push({ label: 'a string instead of an object', args: 'hello', field: '(arguments)' });
    cases.push({ label: 'a list instead of an object', args: [base], field: '(arguments)' });
    for (const [key, value] of Object.entries(base)) {
      if (key === 'kind') continue; // a discriminator: its wrong values are covered below
      cases.push({ label: `${key} of the wrong type`, args: { ...base, [key]: wrongTypeFor(value) }, field: key });
      if (typeof value === 'string') cases.push({ label: `${key} empty`, args: { ...base, [key]: '' }, field: key });
      if (Array.isArray(value)) cases.push({ label: `${key} holding a non-string`, args: { ...base, [key]: [{}] }, field: `${key}.0` });
      const { [key]: _dropped, ...without } = base;
      const required = !API_METHODS[method].args.safeParse(without).success;
      if (required) cases.push({ label: `${key} missing`, args: without, field: key });
    }
    if ('kind' in base) cases.push({ label: 'an unknown kind', args: { ...base, kind: 'explode' }, field: 'kind' });
  }
  return cases;
}

describe('the contract', () => {
  it('declares every method with an argument schema, a result, a least role and an example', () => {
    expect(METHODS.length).toBeGreaterThanOrEqual(22);
    for (const m of METHODS) {
      const spec = API_METHODS[m];
      expect(['viewer', 'operator', 'admin'], m).toContain(spec.role);
      expect(spec.args.safeParse(spec.example).success, `${m}'s example parses`).toBe(true);
      expect(malformed(m).length, `${m} has malformed cases`).toBeGreaterThanOrEqual(3);
    }
  });

  it('names an audit target for every control action that acts on something', () => {
    const acting = METHODS.filter((m) => API_METHODS[m].role !== 'viewer' && API_METHODS[m].example !== undefined && !m.endsWith('.list'));
    for (const m of acting) {
      const spec = API_METHODS[m];
      const target = spec.audit?.(spec.args.parse(spec.example) as never);
      expect(target, m).toBeTruthy();
    }
  });

  describe.each(METHODS)('%s', (method) => {
    it('dispatches its example call', async () => {
      const { api, reached } = setup();
      await api.call(admin, method, API_METHODS[method].example as never);
      expect(reached).toEqual([method]);
    });

    it.each(malformed(method).map((c) => [c.label, c] as const))('refuses %s with VALIDATION naming the field', async (_label, c) => {
      const { api, reached } = setup();
      const err = await api.call(admin, method, c.args as never).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FleetDeckError);
      expect(err).toMatchObject({ code: 'VALIDATION', params: { method, field: c.field } });
      expect((err as Error).message).toContain(`"${c.field}"`);
      expect(reached).toEqual([]);
    });
  });
});
