// An inventory too large for one agent-protocol frame (a host with 20,000 packages) is cut to
// fit: the packages sent plus those counted as omitted are all of them, and the result encodes;
// a small one goes as it is.
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../../src-shared/agent-protocol';
import { fitInventory } from '../../../../src-daemons/agent/agent';

const inventory = (n: number) => ({
  kind: 'inventory' as const, osRelease: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-18-amd64',
  packages: Array.from({ length: n }, (_, i) => ({ name: `package-number-${i}-with-a-long-name`, version: `1:${i}.2.3-4+deb12u1-and-more` })), files: [],
});

describe('fitInventory', () => {
  it('cuts 20,000 packages to what one frame holds and counts the rest', () => {
    const logs: string[] = [];
    const fitted = fitInventory(inventory(20_000), (l) => logs.push(l));
    expect(fitted.packages.length).toBeGreaterThan(5000);
    expect(fitted.packages.length + (fitted.packagesOmitted ?? 0)).toBe(20_000);
    expect(() => encodeMessage('results', { results: [{ seq: 1, at: 1, data: fitted }] })).not.toThrow();
    expect(() => encodeMessage('results', { results: [{ seq: 1, at: 1, data: inventory(20_000) }] })).toThrow(/over the 1048576-byte limit/);
    expect(logs).toEqual([expect.stringMatching(/^agent: the inventory lists 20000 packages; \d+ are sent, \d+ counted as omitted/)]);
  });

  it('leaves a small inventory alone', () => {
    const small = inventory(300);
    expect(fitInventory(small)).toBe(small);
  });
});
