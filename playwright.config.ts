// End-to-end tests. globalSetup starts the real serve mode (node out/main/serve.js, built
// by `npm run build`) as a child process on a fresh data dir; the specs drive the
// renderer it serves in Debian's Chromium. electron-launch.spec.ts launches the desktop
// shell itself and does not use the served instance. Projects: the shared instance's specs
// ('e2e', then 'inventory', which changes its inventory) beside the specs with a serve
// instance of their own ('own-serve'), then the load-sensitive ones alone ('alone').
import { defineConfig } from '@playwright/test';

const CI = Boolean(process.env.CI);
/** Specs that start a serve instance of their own (test/support/serve-process.ts) or the desktop shell, not the shared one. */
const OWN_SERVE = /(^|\/)(matrix|places|real-fleet|agents|agents-rollout|electron-launch)\.spec\.ts$/;
/**
 * Specs whose figures a second stream's CPU would change: the localiser must tell a 30 %-loss
 * host link from the scheduling noise of a busy machine (it named nothing within 240 s while the
 * other stream drew the 3D room in software). They run last, alone.
 */
const ALONE = /(^|\/)(probe-suspect)\.spec\.ts$/;

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  globalTeardown: './test/e2e/global-teardown.ts',
  // Two streams at once: the specs that start serve instances of their own (OWN_SERVE: their
  // own labs on their own prefixes, or none) beside the ones on the shared instance, each
  // stream one spec at a time. The own-serve specs wait mostly on their agents and a stored
  // probe minute (matrix: ~100 s), so the pair takes about the longer stream's time.
  workers: 2,
  fullyParallel: false,
  forbidOnly: CI,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: CI ? [['list'], ['json', { outputFile: 'test-results/playwright.json' }]] : [['list']],
  // inventory.spec.ts imports into the shared serve instance's inventory; the other specs
  // assert the lab's exact size (2 sites, 3000 devices), so it runs after them.
  projects: [
    { name: 'own-serve', testMatch: OWN_SERVE, workers: 1 },
    { name: 'e2e', testIgnore: [/inventory\.spec\.ts$/, OWN_SERVE, ALONE], workers: 1 },
    { name: 'inventory', testMatch: /inventory\.spec\.ts$/, dependencies: ['e2e'], workers: 1 },
    { name: 'alone', testMatch: ALONE, dependencies: ['inventory', 'own-serve'], workers: 1 },
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    locale: 'en-US',
    viewport: { width: 1600, height: 1000 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
