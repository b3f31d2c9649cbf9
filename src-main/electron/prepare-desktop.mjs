// `npm start` runs this first (prestart). It readies what only the desktop app needs:
//  1. the Electron binary (npm ci never downloads it: see allowScripts in package.json);
//  2. better-sqlite3 built for Electron's ABI, in resources/native/, beside (never instead
//     of) the Node build in node_modules that serve mode and the tests use. @electron/rebuild
//     is not used because it replaces the Node build in place.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'package.json'));

function ensureElectronBinary() {
  try {
    require('electron');
  } catch {
    console.log('prepare-desktop: fetching the Electron binary (first desktop start)');
    execFileSync(process.execPath, [join(root, 'node_modules/electron/install.js')], { stdio: 'inherit', cwd: join(root, 'node_modules/electron') });
  }
}

/** Where main.ts looks for the addon: keep the two in step. */
export function nativeBindingPath(electronVersion, platform = process.platform, arch = process.arch) {
  return join(root, 'resources/native', `better-sqlite3-electron-v${electronVersion}-${platform}-${arch}.node`);
}

function buildSqliteForElectron() {
  const version = require('electron/package.json').version;
  const target = nativeBindingPath(version);
  if (existsSync(target)) return;
  const work = mkdtempSync(join(tmpdir(), 'fd-native-'));
  const pkg = join(work, 'better-sqlite3');
  try {
    cpSync(join(root, 'node_modules/better-sqlite3'), pkg, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });
    const env = { ...process.env, npm_config_runtime: 'electron', npm_config_target: version, npm_config_disturl: 'https://electronjs.org/headers' };
    try {
      execFileSync(process.execPath, [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', version], { cwd: pkg, stdio: 'inherit', env });
    } catch {
      console.log('prepare-desktop: no prebuilt better-sqlite3 for Electron; compiling it');
      execFileSync('npx', ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd: pkg, stdio: 'inherit', env });
    }
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(pkg, 'build/Release/better_sqlite3.node'), target);
    console.log(`prepare-desktop: better-sqlite3 for Electron ${version} -> ${target}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensureElectronBinary();
    buildSqliteForElectron();
  } catch (err) {
    console.error(`prepare-desktop: ${err instanceof Error ? err.message : String(err)}`);
    console.error('The desktop app needs the Electron binary and better-sqlite3 built for it. Serve mode (npm run serve) needs neither.');
    process.exit(1);
  }
}
