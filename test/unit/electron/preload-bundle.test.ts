// The built preload runs sandboxed, where require() reaches only 'electron': anything else
// it required (zod, through the contract it checks names against) would throw at load and
// leave the window without window.fleetdeck. `npm test` builds before the unit tests run.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BUNDLE = resolve(__dirname, '../../../out/preload/index.cjs');

describe.skipIf(!existsSync(BUNDLE))('the built preload', () => {
  it('requires nothing but electron', () => {
    const required = [...readFileSync(BUNDLE, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});
