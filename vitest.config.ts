import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/interop/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
    // Latency-measuring tests run on their own after these (vitest.quiet.config.ts).
    exclude: ['**/node_modules/**', 'test/integration/probes/netns-probes.test.ts', 'test/integration/mgw/**', 'test/integration/agent/cgroups.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Three files at once on these 2-core machines (vitest's default is cores - 1: one at a
    // time). Most integration files wait on their peers (sshd, snmpd, ipmi_sim, agents, serve):
    // measured 1,059 s serial, 397 s with three. Timing-sensitive files are in the quiet suite.
    maxWorkers: 3,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
