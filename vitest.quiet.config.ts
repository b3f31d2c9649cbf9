// The tests that measure latency on the real kernel (the probe matrix on network namespaces) or
// count every UDP datagram (the gateway's failover drills: a datagram dropped by a starved
// process would read as a miss) or a process's CPU share (the agent's cgroup jails): they run on their own, one file at a time, after the rest (npm
// run test:unit), so that other test files' CPU does not show up in them as it would on this
// 2-core machine. The settings are
// vitest.config.ts's (not imported: its extensionless import is refused by Vite's native
// loader, a .ts one by tsc); their JSON report goes beside the main one (test/summarize.mjs adds both).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/integration/probes/netns-probes.test.ts', 'test/integration/mgw/**/*.test.ts', 'test/integration/agent/cgroups.test.ts'],
    fileParallelism: false,
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest-quiet.json' },
  },
});
