// The desktop's app root and native addon path: the same from `electron .` and from
// `electron out/main/index.js` (issue 10: the launch test started the latter and looked for
// the addon under out/main), and outside the archive in a packaged app.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveAppPaths, sqliteAddonFileName } from '../../../src-main/electron/app-paths';

const ROOT = resolve(__dirname, '../../..');
// prepare-desktop.mjs is what writes the addon: main.ts must look where it writes. (Plain
// JS with no declarations, so imported by URL with the one export this test uses typed.)
const prepareDesktop = pathToFileURL(join(ROOT, 'src-main/electron/prepare-desktop.mjs')).href;
type NativeBindingPath = (electronVersion: string, platform?: string, arch?: string) => string;
const unpackaged = (appPath: string) => resolveAppPaths({ appPath, isPackaged: false, resourcesPath: '/opt/electron/resources' });

describe('app paths', () => {
  it('the app path resolves the same from `.` and from out/main', () => {
    const fromDot = unpackaged(ROOT);
    const fromScript = unpackaged(join(ROOT, 'out/main'));
    expect(fromScript).toEqual(fromDot);
    expect(fromDot.root).toBe(ROOT);
    expect(fromDot.nativeDir).toBe(join(ROOT, 'resources/native'));
    expect(unpackaged(`${ROOT}/out/main/`)).toEqual(fromDot);
  });

  it('leaves other folders as they are (only out/main is the bundle folder)', () => {
    expect(unpackaged('/srv/app/main').root).toBe('/srv/app/main');
    expect(unpackaged('/srv/out/other').root).toBe('/srv/out/other');
  });

  it('a packaged app finds the addon unpacked beside app.asar', () => {
    const resources = '/opt/FleetDeck/resources';
    const p = resolveAppPaths({ appPath: `${resources}/app.asar`, isPackaged: true, resourcesPath: resources });
    expect(p.root).toBe(`${resources}/app.asar`);
    expect(p.nativeDir).toBe(`${resources}/app.asar.unpacked/resources/native`);
    expect(p.nativeDir).not.toContain('app.asar/');
  });

  it('a packaged app without an archive holds the addon in place', () => {
    const p = resolveAppPaths({ appPath: '/opt/FleetDeck/resources/app', isPackaged: true, resourcesPath: '/opt/FleetDeck/resources' });
    expect(p.nativeDir).toBe('/opt/FleetDeck/resources/app/resources/native');
  });

  it('names the addon as prepare-desktop.mjs writes it', async () => {
    const { nativeBindingPath } = (await import(prepareDesktop)) as { nativeBindingPath: NativeBindingPath };
    const file = join(unpackaged(join(ROOT, 'out/main')).nativeDir, sqliteAddonFileName('41.7.1', 'linux', 'x64'));
    expect(file).toBe(nativeBindingPath('41.7.1', 'linux', 'x64'));
  });
});
