// prepare-desktop.mjs under plain Node: the main-module check from a symlinked checkout, and
// its report (never a silent success) when the Electron binary is missing or present.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  electronExecutable,
  electronStatus,
  findNodeGyp,
  isMainModule,
  nativeBindingPath,
  prepareDesktop,
  sqlitePrebuild,
} from '../../../src-main/electron/prepare-desktop.mjs';
import { resolveAppPaths, sqliteAddonFileName } from '../../../src-main/electron/app-paths';

const repo = resolve(__dirname, '../../..');
const script = join(repo, 'src-main/electron/prepare-desktop.mjs');
const ELECTRON = JSON.parse(readFileSync(join(repo, 'node_modules/electron/package.json'), 'utf8')).version as string;
const prebuild = sqlitePrebuild({ root: repo });

/** A checkout with just the packages prepare-desktop reads. */
function fakeRoot(base: string, name: string, opts: { dist?: string } = {}): string {
  const root = join(base, name);
  mkdirSync(join(root, 'node_modules/electron'), { recursive: true });
  writeFileSync(join(root, 'node_modules/electron/package.json'), JSON.stringify({ name: 'electron', version: ELECTRON }));
  if (opts.dist) {
    const exe = join(root, 'node_modules/electron/dist', electronExecutable());
    mkdirSync(dirname(exe), { recursive: true });
    writeFileSync(exe, '');
    writeFileSync(join(root, 'node_modules/electron/dist/version'), opts.dist);
    writeFileSync(join(root, 'node_modules/electron/path.txt'), electronExecutable());
  }
  const sqlite = join(root, 'node_modules/better-sqlite3');
  mkdirSync(join(sqlite, 'prebuilds'), { recursive: true });
  copyFileSync(join(repo, 'node_modules/better-sqlite3/package.json'), join(sqlite, 'package.json'));
  if (prebuild) copyFileSync(prebuild, join(sqlite, 'prebuilds', prebuild.split(/[\\/]/).pop()!));
  return root;
}

describe('prepare-desktop', () => {
  let base: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'fd-prep-'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('knows it is the main module when started through a symlinked checkout', () => {
    const link = join(base, 'linked-checkout');
    symlinkSync(repo, link, 'dir');
    const url = pathToFileURL(script).href;
    expect(isMainModule(url, join(link, 'src-main/electron/prepare-desktop.mjs'))).toBe(true);
    expect(isMainModule(url, script)).toBe(true);
    expect(isMainModule(url, join(repo, 'src-main/electron/main.ts'))).toBe(false);
    expect(isMainModule(url, undefined)).toBe(false);
  });

  it('run from a symlinked checkout with no binary, reports it missing and exits 1', () => {
    const link = join(base, 'linked-run');
    symlinkSync(repo, link, 'dir');
    const emptyDist = mkdtempSync(join(base, 'no-electron-'));
    const r = spawnSync(process.execPath, [join(link, 'src-main/electron/prepare-desktop.mjs'), '--check'], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: emptyDist, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`prepare-desktop: Electron ${ELECTRON} binary: MISSING: ELECTRON_OVERRIDE_DIST_PATH is set but ${join(emptyDist, electronExecutable())} does not exist`);
    expect(r.stderr).toMatch(/NOT ready, missing [12]:/);
  });

  it('refuses unknown options', () => {
    const r = spawnSync(process.execPath, [script, '--bogus'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option --bogus');
  });

  it('does not "succeed" with ELECTRON_SKIP_BINARY_DOWNLOAD set and no binary, but still readies better-sqlite3', () => {
    const root = fakeRoot(base, 'skip');
    const { ok, lines } = prepareDesktop({ root, env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
    expect(ok).toBe(false);
    expect(lines).toContain(`Electron ${ELECTRON}: not fetched, ELECTRON_SKIP_BINARY_DOWNLOAD is set`);
    expect(lines.some((l) => l.startsWith(`Electron ${ELECTRON} binary: MISSING: no Electron binary at `))).toBe(true);
    expect(lines.at(-1)).toContain('Serve mode (npm run serve) and the tests need neither');
    if (prebuild) {
      const target = nativeBindingPath(ELECTRON, process.platform, process.arch, root);
      expect(existsSync(target)).toBe(true);
      expect(lines.some((l) => l.includes('copied the Node-API prebuild') && l.includes(target))).toBe(true);
    }
  });

  it('--check changes nothing and names what is missing', () => {
    const root = fakeRoot(base, 'check');
    const { ok, lines } = prepareDesktop({ root, env: {}, check: true });
    expect(ok).toBe(false);
    expect(lines.some((l) => l.includes('MISSING at') && l.includes(join(root, 'resources/native')))).toBe(true);
    expect(existsSync(join(root, 'resources'))).toBe(false);
  });

  it('is ready with a binary of the right version, and not with another version', () => {
    const root = fakeRoot(base, 'ready', { dist: ELECTRON });
    const first = prepareDesktop({ root, env: {} });
    expect(first.lines[0]).toBe(`Electron ${ELECTRON} binary: present at ${join(root, 'node_modules/electron/dist', electronExecutable())} (node_modules/electron/dist)`);
    if (prebuild) {
      expect(first.ok).toBe(true);
      expect(first.lines.at(-1)).toBe('ready: npm start can launch the desktop app');
      const again = prepareDesktop({ root, env: {} });
      expect(again.lines.some((l) => l.endsWith(`: present at ${nativeBindingPath(ELECTRON, process.platform, process.arch, root)}`))).toBe(true);
    }
    const old = fakeRoot(base, 'old', { dist: '41.7.1' });
    const s = electronStatus({ root: old, env: {} });
    expect(s.present).toBe(false);
    expect(s.problem).toContain(`is Electron 41.7.1, the package wants ${ELECTRON}`);
  });

  it('takes the binary from ELECTRON_OVERRIDE_DIST_PATH', () => {
    const root = fakeRoot(base, 'override');
    const dist = mkdtempSync(join(base, 'dist-'));
    mkdirSync(dirname(join(dist, electronExecutable())), { recursive: true });
    writeFileSync(join(dist, electronExecutable()), '');
    const s = electronStatus({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: dist } });
    expect(s).toMatchObject({ present: true, source: 'ELECTRON_OVERRIDE_DIST_PATH', binary: join(dist, electronExecutable()) });
  });

  it('reports an uninstalled electron package', () => {
    const { ok, lines } = prepareDesktop({ root: mkdtempSync(join(base, 'empty-')), env: {} });
    expect(ok).toBe(false);
    expect(lines.join('\n')).toContain('the electron package is not installed');
  });

  it('puts the addon where main.ts looks for it (app-paths.ts)', () => {
    const root = join(base, 'r');
    const v = '45.5.0';
    const { nativeDir } = resolveAppPaths({ appPath: join(root, 'out/main'), isPackaged: false, resourcesPath: '' });
    expect(nativeBindingPath(v, 'linux', 'x64', root)).toBe(join(nativeDir, sqliteAddonFileName(v, 'linux', 'x64')));
  });

  it('runs node-gyp as a JS entry with node, never through npx', () => {
    const gyp = join(base, 'node-gyp.js');
    writeFileSync(gyp, '');
    expect(findNodeGyp({ root: base, env: { npm_config_node_gyp: gyp } })).toBe(gyp);
    expect(readFileSync(script, 'utf8')).not.toMatch(/['"]npx['"]/);
    const bundled = findNodeGyp({ root: base, env: {}, execPath: process.execPath });
    if (bundled) expect(execFileSync(process.execPath, [bundled, '--version'], { encoding: 'utf8' })).toMatch(/^v\d+/);
  });
});
