// The packaging configuration read back (electron-builder.yml): every Electron fuse the
// desktop relies on, the archive the app must load from, and the native addon unpacked
// from it where main.ts looks for it (app-paths.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, matchesGlob, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPaths, sqliteAddonFileName } from '../../../src-main/electron/app-paths';

const ROOT = resolve(__dirname, '../../..');
// js-yaml is in node_modules (electron-builder reads YAML with it too); it has no types here.
const yaml = createRequire(join(ROOT, 'package.json'))('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId?: string;
  files?: string[];
  asar?: boolean;
  asarUnpack?: string[];
  electronFuses?: Record<string, boolean>;
  linux?: { target?: string[] };
  mac?: { target?: string[] };
  win?: { target?: string[] };
}

const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const included = (path: string, patterns: string[] = []) => patterns.some((p) => !p.startsWith('!') && matchesGlob(path, p));

describe('packaging configuration (electron-builder.yml)', () => {
  it('flips every fuse', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the app into app.asar with every built entry', () => {
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.asar).toBe(true);
    for (const f of ['package.json', 'out/main/index.js', 'out/main/core-host.js', 'out/main/lab.js', 'out/main/lab-utility.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      expect(included(f, config.files), f).toBe(true);
    }
  });

  it('unpacks the native addon, where the packaged app looks for it', () => {
    const addon = sqliteAddonFileName('41.7.1', 'linux', 'x64');
    expect(included(`resources/native/${addon}`, config.files)).toBe(true);
    expect(included(`resources/native/${addon}`, config.asarUnpack)).toBe(true);
    expect(included('node_modules/better-sqlite3/build/Release/better_sqlite3.node', config.asarUnpack)).toBe(true);
    // Nothing but native addons leaves the archive.
    expect(included('out/main/index.js', config.asarUnpack)).toBe(false);
    const resources = '/opt/FleetDeck/resources';
    const { nativeDir } = resolveAppPaths({ appPath: `${resources}/app.asar`, isPackaged: true, resourcesPath: resources });
    expect(join(nativeDir, addon)).toBe(`${resources}/app.asar.unpacked/resources/native/${addon}`);
  });

  it('builds for Linux, macOS and Windows', () => {
    expect(config.linux?.target?.length).toBeGreaterThan(0);
    expect(config.mac?.target?.length).toBeGreaterThan(0);
    expect(config.win?.target?.length).toBeGreaterThan(0);
  });
});
