// `npm start` runs this first (prestart). It readies what only the desktop app needs, and
// says what it did and what is still missing (exit 1 when the desktop cannot start):
//  1. the Electron binary (npm ci never downloads it: see allowScripts in package.json). It
//     is fetched from github.com here unless ELECTRON_SKIP_BINARY_DOWNLOAD is set, or taken
//     from ELECTRON_OVERRIDE_DIST_PATH (a folder holding an unpacked Electron);
//  2. better-sqlite3 for Electron, in resources/native/ under the name main.ts loads, beside
//     (never instead of) the Node build in node_modules that serve mode and the tests use.
//     better-sqlite3 13 is a Node-API addon, and Node-API is ABI-stable across Node and
//     Electron: the prebuild in its package is copied. Where there is none (or with
//     --from-source) it is compiled by node-gyp against Electron's headers
//     (--target=<electron version> --dist-url=https://electronjs.org/headers), which needs
//     the network, Python 3 and a C++ toolchain. @electron/rebuild is never used (it
//     replaces the Node build in place).
// --check reports only: nothing is fetched or built.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ELECTRON_HEADERS = 'https://electronjs.org/headers';

/**
 * Whether this file is the script node was started with. Node runs a main module from its
 * real path (import.meta.url) while argv[1] keeps the path as typed, so a checkout reached
 * through a symlink never matched and the script did nothing: compare real paths.
 */
export function isMainModule(metaUrl, argv1 = process.argv[1]) {
  if (!argv1) return false;
  const self = fileURLToPath(metaUrl);
  const real = (p) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(argv1) === real(self);
}

/** Where main.ts looks for the addon: keep the two in step. */
export function nativeBindingPath(electronVersion, platform = process.platform, arch = process.arch, root = ROOT) {
  return join(root, 'resources/native', `better-sqlite3-electron-v${electronVersion}-${platform}-${arch}.node`);
}

/** The executable inside an Electron dist folder, as electron's install.js names it. */
export function electronExecutable(platform = process.platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * The Electron package and binary as found (never fetched): { installed, version, binary,
 * present, source, problem }. Mirrors electron's index.js: ELECTRON_OVERRIDE_DIST_PATH
 * wins, else node_modules/electron/dist/<path.txt>, which must hold this version.
 */
export function electronStatus({ root = ROOT, env = process.env, platform = process.platform } = {}) {
  const pkgDir = join(root, 'node_modules/electron');
  const pkg = readText(join(pkgDir, 'package.json'));
  if (!pkg) return { installed: false, version: null, binary: null, present: false, source: null, problem: `the electron package is not installed (${pkgDir}): run npm ci` };
  const version = JSON.parse(pkg).version;
  const exe = readText(join(pkgDir, 'path.txt')) || electronExecutable(platform);
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(env.ELECTRON_OVERRIDE_DIST_PATH, exe);
    const present = existsSync(binary);
    return { installed: true, version, binary, present, source: 'ELECTRON_OVERRIDE_DIST_PATH', problem: present ? null : `ELECTRON_OVERRIDE_DIST_PATH is set but ${binary} does not exist` };
  }
  const binary = join(pkgDir, 'dist', exe);
  if (!existsSync(binary)) return { installed: true, version, binary, present: false, source: 'node_modules/electron/dist', problem: `no Electron binary at ${binary}` };
  const distVersion = (readText(join(pkgDir, 'dist/version')) ?? '').replace(/^v/, '');
  if (distVersion && distVersion !== version) {
    return { installed: true, version, binary, present: false, source: 'node_modules/electron/dist', problem: `${binary} is Electron ${distVersion}, the package wants ${version}` };
  }
  return { installed: true, version, binary, present: true, source: 'node_modules/electron/dist', problem: null };
}

function isMusl(platform) {
  if (platform !== 'linux') return false;
  try {
    return !process.report.getReport().header.glibcVersionRuntime;
  } catch {
    return false;
  }
}

/** better-sqlite3's own Node-API prebuild for this platform, or null. */
export function sqlitePrebuild({ root = ROOT, platform = process.platform, arch = process.arch } = {}) {
  const name = `${isMusl(platform) ? 'linuxmusl' : platform}-${arch}.node`;
  const file = join(root, 'node_modules/better-sqlite3/prebuilds', name);
  return existsSync(file) ? file : null;
}

/** The addon main.ts will load: { version (of better-sqlite3), target, present }. */
export function sqliteStatus({ root = ROOT, electronVersion, platform = process.platform, arch = process.arch } = {}) {
  const pkg = readText(join(root, 'node_modules/better-sqlite3/package.json'));
  const version = pkg ? JSON.parse(pkg).version : null;
  const target = nativeBindingPath(electronVersion, platform, arch, root);
  return { version, target, present: existsSync(target) };
}

/**
 * node-gyp's JS entry, run with this node (never `npx`, which is npx.cmd on Windows): npm
 * names it in lifecycle scripts; else a local install; else the copy bundled with npm.
 */
export function findNodeGyp({ root = ROOT, env = process.env, execPath = process.execPath } = {}) {
  const candidates = [env.npm_config_node_gyp];
  try {
    candidates.push(createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a dependency of the project
  }
  if (env.npm_execpath) candidates.push(join(dirname(env.npm_execpath), '../node_modules/node-gyp/bin/node-gyp.js'));
  candidates.push(join(dirname(execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'));
  candidates.push(join(dirname(execPath), 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'));
  return candidates.find((c) => c && c.endsWith('.js') && existsSync(c)) ?? null;
}

function fetchElectron(root, log) {
  const pkgDir = join(root, 'node_modules/electron');
  log(`fetching the Electron binary from github.com into ${join(pkgDir, 'dist')} (first desktop start)`);
  const r = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { cwd: pkgDir, stdio: 'inherit' });
  if (r.error) log(`the Electron download could not start: ${r.error.message}`);
  else if (r.status !== 0) log(`the Electron download failed (exit ${r.status}); github.com must be reachable`);
}

function compileSqliteForElectron(root, electronVersion, target, log) {
  const nodeGyp = findNodeGyp({ root });
  if (!nodeGyp) throw new Error('node-gyp was not found (npm bundles it: run this through npm start, or npm install -g node-gyp)');
  const work = mkdtempSync(join(tmpdir(), 'fd-native-'));
  const pkg = join(work, 'better-sqlite3');
  try {
    const src = join(root, 'node_modules/better-sqlite3');
    const skip = new Set(['build', 'prebuilds']);
    cpSync(src, pkg, { recursive: true, filter: (p) => !skip.has(relative(src, p).split(/[\\/]/)[0]) });
    // better-sqlite3's binding.gyp needs node-addon-api, which stays beside the original.
    const addonApi = dirname(dirname(createRequire(join(src, 'package.json')).resolve('node-addon-api/package.json')));
    const env = { ...process.env, NODE_PATH: [addonApi, process.env.NODE_PATH].filter(Boolean).join(delimiter) };
    // A nodedir (scripts/node24.sh sets one for Node's headers) would win over --target.
    delete env.npm_config_nodedir;
    const args = [nodeGyp, 'rebuild', '--release', '--force_build=1', `--target=${electronVersion}`, `--arch=${process.arch}`, `--dist-url=${ELECTRON_HEADERS}`];
    log(`compiling better-sqlite3 for Electron ${electronVersion} with node-gyp (needs ${ELECTRON_HEADERS}, Python 3 and a C++ toolchain)`);
    const r = spawnSync(process.execPath, args, { cwd: pkg, stdio: 'inherit', env });
    if (r.error || r.status !== 0) throw new Error(`node-gyp ${r.error ? `could not start: ${r.error.message}` : `failed (exit ${r.status})`}; it needs ${ELECTRON_HEADERS}, Python 3 and a C++ toolchain (Linux: build-essential python3)`);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(pkg, 'build/Release/better_sqlite3.node'), target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Loads the addon under this Node: a Node-API build must; a truncated copy will not. */
function loadsUnderNode(file) {
  try {
    createRequire(import.meta.url)(file);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Does the work (unless check) and returns { ok, lines } with one line per finding; the
 * caller prints them. Options are for tests: root, env, check, fromSource.
 */
export function prepareDesktop({ root = ROOT, env = process.env, check = false, fromSource = false, log = () => {} } = {}) {
  const lines = [];
  const missing = [];

  let electron = electronStatus({ root, env });
  if (!electron.installed) {
    missing.push(electron.problem);
  } else {
    if (!electron.present && !check && electron.source !== 'ELECTRON_OVERRIDE_DIST_PATH') {
      if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
        lines.push(`Electron ${electron.version}: not fetched, ELECTRON_SKIP_BINARY_DOWNLOAD is set`);
      } else {
        fetchElectron(root, log);
        electron = electronStatus({ root, env });
      }
    }
    if (electron.present) {
      lines.push(`Electron ${electron.version} binary: present at ${electron.binary} (${electron.source})`);
    } else {
      lines.push(`Electron ${electron.version} binary: MISSING: ${electron.problem}`);
      missing.push(
        `the Electron ${electron.version} binary: run npm start where github.com is reachable (with ELECTRON_SKIP_BINARY_DOWNLOAD unset), or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an unpacked Electron ${electron.version} (${electronExecutable()} inside)`,
      );
    }
  }

  if (electron.installed) {
    const sqlite = sqliteStatus({ root, electronVersion: electron.version });
    const name = `better-sqlite3 ${sqlite.version ?? '(not installed)'} for Electron ${electron.version} (${process.platform}-${process.arch})`;
    if (!sqlite.version) {
      missing.push('better-sqlite3 is not installed: run npm ci');
    } else if (sqlite.present && !fromSource) {
      lines.push(`${name}: present at ${sqlite.target}`);
    } else if (check) {
      lines.push(`${name}: MISSING at ${sqlite.target}`);
      missing.push(`better-sqlite3 for Electron: run node src-main/electron/prepare-desktop.mjs (or npm start)`);
    } else {
      const prebuild = fromSource ? null : sqlitePrebuild({ root });
      try {
        if (prebuild) {
          mkdirSync(dirname(sqlite.target), { recursive: true });
          copyFileSync(prebuild, sqlite.target);
          lines.push(`${name}: copied the Node-API prebuild ${prebuild} -> ${sqlite.target} (Node-API is ABI-stable, so Electron loads it as built)`);
        } else {
          compileSqliteForElectron(root, electron.version, sqlite.target, log);
          lines.push(`${name}: compiled with node-gyp against Electron's headers -> ${sqlite.target}`);
        }
        const bad = loadsUnderNode(sqlite.target);
        if (bad) {
          lines.push(`${name}: ${sqlite.target} does not load: ${bad}`);
          missing.push(`a loadable better-sqlite3 for Electron: delete ${sqlite.target} and rerun with --from-source`);
        }
      } catch (err) {
        lines.push(`${name}: NOT built: ${err instanceof Error ? err.message : String(err)}`);
        missing.push(`better-sqlite3 for Electron at ${sqlite.target}`);
      }
    }
  }

  if (missing.length === 0) lines.push('ready: npm start can launch the desktop app');
  else {
    lines.push(`NOT ready, missing ${missing.length}:`);
    for (const m of missing) lines.push(`  - ${m}`);
    lines.push('The desktop app needs both. Serve mode (npm run serve) and the tests need neither.');
  }
  return { ok: missing.length === 0, lines };
}

if (isMainModule(import.meta.url)) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check' && a !== '--from-source');
  if (unknown.length) {
    console.error(`prepare-desktop: unknown option ${unknown.join(' ')} (known: --check, --from-source)`);
    process.exit(2);
  }
  const log = (line) => console.log(`prepare-desktop: ${line}`);
  const { ok, lines } = prepareDesktop({ check: args.includes('--check'), fromSource: args.includes('--from-source'), log });
  for (const line of lines) (ok ? console.log : console.error)(`prepare-desktop: ${line}`);
  process.exit(ok ? 0 : 1);
}
