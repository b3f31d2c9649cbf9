// End-to-end tests. globalSetup starts the real serve mode (node out/main/serve.js, built
// by `npm run build`) as a child process on a fresh data dir; the specs drive the
// renderer it serves in Debian's Chromium. electron-launch.spec.ts launches the desktop
// shell itself and does not use the served instance. Specs that change the served
// inventory run in a second project, after the rest.
import { defineConfig } from '@playwright/test';

const CI = Boolean(process.env.CI);

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  globalTeardown: './test/e2e/global-teardown.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: CI,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: CI ? [['list'], ['json', { outputFile: 'test-results/playwright.json' }]] : [['list']],
  // inventory.spec.ts imports into the shared serve instance's inventory; the other specs
  // assert the lab's exact size (2 sites, 3000 devices), so it runs after them.
  projects: [
    { name: 'e2e', testIgnore: /inventory\.spec\.ts$/ },
    { name: 'inventory', testMatch: /inventory\.spec\.ts$/, dependencies: ['e2e'] },
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
