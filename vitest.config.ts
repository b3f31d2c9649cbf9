import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/interop/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
    // Latency-measuring tests run on their own after these (vitest.quiet.config.ts).
    exclude: ['**/node_modules/**', 'test/integration/probes/netns-probes.test.ts', 'test/integration/mgw/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
