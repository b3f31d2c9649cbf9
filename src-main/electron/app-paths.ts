// Where the desktop app's own files are, however Electron was started: `electron .` (the
// app path is the repository root, package.json's main), `electron out/main/index.js` (the
// app path is out/main, the folder of the script), or a packaged app (the app path is
// resources/app.asar, and native addons sit outside it in resources/app.asar.unpacked,
// since a .node file cannot be loaded from inside an archive). No electron import: main.ts
// passes app.getAppPath(), app.isPackaged and process.resourcesPath, tests pass strings.
import { basename, dirname, join, resolve } from 'node:path';

export interface AppPathInputs {
  /** app.getAppPath(). */
  appPath: string;
  /** app.isPackaged. */
  isPackaged: boolean;
  /** process.resourcesPath (the packaged app's resources folder). */
  resourcesPath: string;
}

export interface AppPaths {
  /** The folder (or app.asar) that holds package.json, out/ and resources/. */
  root: string;
  /** The folder on disk that holds the native addons (resources/native, unpacked when packaged). */
  nativeDir: string;
}

/** The bundle's own folder inside the app: out/main (electron-vite's main output). */
const MAIN_OUT = ['out', 'main'] as const;

/** The app root for an unpackaged app path: out/main (a script launch) is two levels below it. */
function unpackagedRoot(appPath: string): string {
  const p = resolve(appPath);
  const isMainOut = basename(p) === MAIN_OUT[1] && basename(dirname(p)) === MAIN_OUT[0];
  return isMainOut ? dirname(dirname(p)) : p;
}

export function resolveAppPaths(input: AppPathInputs): AppPaths {
  if (!input.isPackaged) {
    const root = unpackagedRoot(input.appPath);
    return { root, nativeDir: join(root, 'resources', 'native') };
  }
  const root = resolve(input.appPath);
  // asar: true (electron-builder.yml): the addon is listed in asarUnpack, so it is a real
  // file under app.asar.unpacked. An unarchived app (resources/app) holds it in place.
  const archived = root.endsWith('.asar');
  const nativeDir = archived ? join(resolve(input.resourcesPath), `${basename(root)}.unpacked`, 'resources', 'native') : join(root, 'resources', 'native');
  return { root, nativeDir };
}

/** The file name prepare-desktop.mjs gives better-sqlite3 built for one Electron, OS and CPU. */
export function sqliteAddonFileName(electronVersion: string, platform: string, arch: string): string {
  return `better-sqlite3-electron-v${electronVersion}-${platform}-${arch}.node`;
}
