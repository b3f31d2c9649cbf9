// Launches the real desktop shell (out/main/index.js) under Electron and checks what the
// hardening promises: the overview renders from app://, the page has no Node (sandbox,
// contextIsolation), window.fleetdeck exposes only call/on, new windows and foreign
// navigation are denied, every response carries the CSP. Self-sufficient: its own temp
// profile and plaintext key; nothing from serve mode's globalSetup. It starts
// `electron out/main/index.js`, so the app path is out/main: the shell must still find its
// native addon (app-paths.ts). The lab runs as a utilityProcess of the main process.
// Runs where the Electron binary is installed (npm start fetches it) or provided through
// ELECTRON_OVERRIDE_DIST_PATH; elsewhere it reports itself skipped with the reason, unless
// FLEETDECK_REQUIRE_ELECTRON=1 (CI that provides the binary), where a missing one fails it.
// Under FLEETDECK_TEST=1 the shell's fatal errors go to stderr instead of a dialog nobody
// could close, and the shell exits 1: the failure below then carries its stderr.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN_ENTRY = join(ROOT, 'out/main/index.js');
const REQUIRE_ELECTRON = process.env.FLEETDECK_REQUIRE_ELECTRON === '1';

/**
 * The Electron executable the electron package (and so Playwright) would run, as its
 * index.js finds it: under ELECTRON_OVERRIDE_DIST_PATH when set (path.txt, written by the
 * binary's download, is then optional), else in its dist/. A reason when there is none.
 */
function electronBinary(): { exe: string } | { missing: string } {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathTxt = join(pkgDir, 'path.txt');
  const rel = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!override && rel === undefined) {
    return { missing: 'Electron binary not installed (npm ci never downloads it; npm start fetches it where GitHub is reachable, or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron)' };
  }
  const exe = override ? join(override, rel ?? 'electron') : join(pkgDir, 'dist', rel!);
  return existsSync(exe) ? { exe } : { missing: `no Electron executable at ${exe}` };
}

/** What the page's global object may hold; typed loosely since this file has no DOM lib. */
type PageGlobal = Record<string, unknown> & {
  open(url: string): unknown;
  location: { href: string };
  fleetdeck: { call(method: string, args: unknown): Promise<unknown> };
};

test.describe('desktop shell', () => {
  let app: ElectronApplication | undefined;
  let profile: string | undefined;

  test.afterEach(async () => {
    await app?.close().catch(() => {});
    app = undefined;
    if (profile) rmSync(profile, { recursive: true, force: true });
    profile = undefined;
  });

  test('launches hardened and renders the overview', async () => {
    test.setTimeout(180_000);
    const binary = electronBinary();
    if ('missing' in binary) {
      // Where CI says the binary must be there, its absence is a failure, not a skip.
      expect(REQUIRE_ELECTRON, `FLEETDECK_REQUIRE_ELECTRON=1 but ${binary.missing}`).toBe(false);
      test.skip(true, `${binary.missing}: cannot launch the desktop shell here`);
      return;
    }
    expect(existsSync(MAIN_ENTRY), `${MAIN_ENTRY} is missing: run npm run build first`).toBe(true);

    profile = mkdtempSync(join(tmpdir(), 'fleetdeck-e2e-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    Object.assign(env, { FLEETDECK_USER_DATA_DIR: profile, FLEETDECK_ALLOW_PLAINTEXT_KEY: '1', FLEETDECK_TEST: '1' });
    delete env.ELECTRON_RUN_AS_NODE;

    // No executablePath: Playwright then starts the electron package's binary (honouring
    // ELECTRON_OVERRIDE_DIST_PATH, as electronBinary() does) with its loader, which holds
    // 'ready' until it is attached. On Linux it also passes
    // --no-sandbox (Chromium's OS sandbox needs a setuid helper CI rarely has) and
    // --password-store=basic, which the shell rightly treats as no keyring: hence
    // FLEETDECK_ALLOW_PLAINTEXT_KEY. The renderer's sandbox: true (no Node in the page)
    // is independent of the OS sandbox and is what this test checks.
    app = await electron.launch({
      args: [MAIN_ENTRY],
      cwd: ROOT,
      env,
      timeout: 60_000,
    });
    // A fatal error (FLEETDECK_TEST=1: on stderr, then exit 1) explains a window that never comes.
    const stderr: string[] = [];
    app.process().stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const shellExited = new Promise<string>((resolve) => app!.process().once('exit', (code) => resolve(`the shell exited (code ${code}) before its window appeared:\n${stderr.join('').slice(-4000)}`)));

    const page = await Promise.race([app.firstWindow({ timeout: 60_000 }), shellExited.then((why) => Promise.reject(new Error(why)))]);
    expect(page.url()).toMatch(/^app:\/\/fleetdeck\//);
    await expect(page.getByTestId('overview')).toBeVisible({ timeout: 120_000 });

    // Sandbox and context isolation: no Node in the page.
    const globals = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobal;
      return { require: typeof g.require, process: typeof g.process, module: typeof g.module, bridge: Object.keys(g.fleetdeck ?? {}).sort() };
    });
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', bridge: ['call', 'on'] });

    // The bridge reaches the core, as the person at the desktop.
    const whoami = await page.evaluate(() => (globalThis as unknown as PageGlobal).fleetdeck.call('session.whoami', undefined));
    expect(whoami).toMatchObject({ ok: true, result: { role: 'admin', actor: expect.stringMatching(/@desktop$/) } });

    // The lab runs as a utilityProcess the main process started for the core host.
    const lab = await page.evaluate(() => (globalThis as unknown as PageGlobal).fleetdeck.call('lab.status', undefined));
    expect(lab).toMatchObject({ ok: true, result: { running: true } });

    // New windows are denied.
    const opened = await page.evaluate(() => (globalThis as unknown as PageGlobal).open('app://fleetdeck/index.html') === null);
    expect(opened).toBe(true);
    const popupDenied = await page.evaluate(() => (globalThis as unknown as PageGlobal).open('https://example.com/') === null);
    expect(popupDenied).toBe(true);
    expect(app.windows()).toHaveLength(1);

    // Every response carries the CSP; traversal out of out/renderer is refused.
    const probe = await page.evaluate(async () => {
      const f = (globalThis as unknown as { fetch(u: string): Promise<{ status: number; headers: { get(n: string): string | null } }> }).fetch;
      const index = await f('app://fleetdeck/index.html');
      const escape = await f('app://fleetdeck/..%2f..%2fpackage.json');
      return { index: index.status, csp: index.headers.get('content-security-policy'), escape: escape.status, escapeCsp: escape.headers.get('content-security-policy') };
    });
    expect(probe.index).toBe(200);
    expect(probe.csp).toContain("default-src 'self'");
    expect(probe.csp).toContain("frame-ancestors 'none'");
    expect(probe.escape).toBe(404);
    expect(probe.escapeCsp).toBe(probe.csp);

    // Navigation away from app:// is prevented.
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobal).location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/fleetdeck\//);

    // The credential key lives in the test profile: under the keyring where there is one,
    // else (Linux with --password-store=basic) in the opted-into 0600 plaintext file.
    const keyFile = existsSync(join(profile, 'secret.key.enc')) ? 'secret.key.enc' : 'secret.key';
    if (process.platform === 'linux') expect(keyFile).toBe('secret.key');
    if (process.platform !== 'win32') expect((statSync(join(profile, keyFile)).mode & 0o777).toString(8)).toBe('600');
  });
});
