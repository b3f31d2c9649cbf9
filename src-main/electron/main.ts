// FleetDeck's desktop shell: one window, the app:// origin, the IPC bridge, the credential
// key, and the core in a utilityProcess. Everything the console does lives in the core;
// this file only wires Electron to it.
//
// Hardening checklist (ARCHITECTURE.md "Electron"); each item is enforced below:
//   - contextIsolation: true, sandbox: true (and app.enableSandbox() for every renderer),
//     nodeIntegration: false, webSecurity: true. The preload exposes window.fleetdeck
//     (call, on) built from the channel map; ipcRenderer itself never reaches the page.
//   - The renderer is served from app://fleetdeck (a privileged standard, secure scheme),
//     never file://, with path traversal refused and a strict Content-Security-Policy on
//     every response (app-protocol.ts).
//   - New windows denied (setWindowOpenHandler), navigation and redirects outside
//     app://fleetdeck prevented, <webview> refused: for EVERY web contents, via
//     'web-contents-created', not only the main window.
//   - Permission requests and checks denied (camera, notifications, HID, serial, ...).
//   - IPC sender validation: a call is served only when it comes from the main window's
//     current main frame showing an app://fleetdeck page (ipc-guard.ts), and only for a
//     method in the channel map. Replies are {ok, result | error}; nothing is thrown
//     across IPC. Each renderer's calls run through its own core connection, under a call
//     budget like a WebSocket client's (ipc-calls.ts), disposed when its webContents goes.
//   - The credential key is kept under the OS keyring (safeStorage) and crosses to the
//     core host only in the init message; it is never logged.
//
//
// Electron fuses are flipped when the app is packaged (electron-builder.yml, electronFuses;
// test/unit/electron/fuses-config.test.ts reads them back): RunAsNode off, cookie
// encryption on, NODE_OPTIONS and --inspect off, embedded ASAR integrity and
// OnlyLoadAppFromAsar on, file:// extra privileges off. What that asks of this shell:
//   - RunAsNode off: nothing may child_process.fork the Electron binary. The core host and
//     the lab are utilityProcesses started here; the core host asks for its lab over its
//     parentPort and this process relays between them (lab-bridge-main.ts).
//   - OnlyLoadAppFromAsar on: the app is resources/app.asar, and a .node addon cannot be
//     loaded from inside an archive, so better-sqlite3's Electron build is asarUnpack'ed and
//     looked up under app.asar.unpacked (app-paths.ts).
//
// Fatal errors block on a dialog for a person; under test (FLEETDECK_TEST=1 or
// --no-dialogs) they go to stderr, and either way the shell exits 1 (fatal-report.ts).
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  utilityProcess,
  type IpcMainInvokeEvent,
  type Session,
  type WebContents,
} from 'electron';
import { IPC_CALL, IPC_EVENT, type CallContext } from '../../src-shared/api';
import { serializeError, type SerializedError } from '../../src-shared/errors';
import { APP_ENTRY_URL, APP_SCHEME, createAppProtocolHandler, isAppUrl } from './app-protocol';
import { resolveAppPaths, sqliteAddonFileName } from './app-paths';
import { CoreHostClient } from './core-host-client';
import type { CallReply } from '../../src-shared/api';
import { DesktopKeyError, loadOrCreateDesktopKey } from './desktop-key';
import { desktopCallContext } from './desktop-session';
import { desktopLabChoice, type DesktopLabChoice } from './desktop-settings';
import { fatalReportMode, reportFatal } from './fatal-report';
import { createConfirmGate } from './confirm-gate';
import { createIpcCalls, ipcRefusal } from './ipc-calls';
import { isTrustedIpcSender } from './ipc-guard';
import { createLabBridgeMain } from './lab-bridge-main';
import { nativeConfirmFor } from './native-confirm';

// out/main/{index,core-host,lab,lab-utility}.js, out/preload/index.cjs, out/renderer/ (electron-vite).
const RENDERER_DIR = join(__dirname, '../renderer');
const PRELOAD_PATH = join(__dirname, '../preload/index.cjs');
const CORE_HOST_PATH = join(__dirname, 'core-host.js');
/** The lab entry the core host names; it runs as a utilityProcess through lab-utility.js. */
const LAB_ENTRY = join(__dirname, 'lab.js');
const LAB_UTILITY_PATH = join(__dirname, 'lab-utility.js');
const DISPOSE_TIMEOUT_MS = 5_000;

/** better-sqlite3 built for this Electron's ABI by prepare-desktop.mjs (npm start's prestart). */
function sqliteNativeBinding(): string {
  const { nativeDir } = resolveAppPaths({ appPath: app.getAppPath(), isPackaged: app.isPackaged, resourcesPath: process.resourcesPath });
  const file = join(nativeDir, sqliteAddonFileName(process.versions.electron, process.platform, process.arch));
  if (!existsSync(file)) {
    throw new Error(`better-sqlite3 has not been built for Electron ${process.versions.electron} (${file} is missing). Start the app with npm start: its prestart step builds it.`);
  }
  return file;
}

const log = (line: string): void => console.log(`[shell] ${line}`);

const FATAL_MODE = fatalReportMode(process.env, process.argv);
/** An error the shell cannot go on from: a dialog (stderr only under test). The caller exits. */
function fatal(title: string, message: string): void {
  reportFatal(FATAL_MODE, { showErrorBox: (t, c) => dialog.showErrorBox(t, c), writeStderr: (text) => process.stderr.write(text) }, title, message);
}

let mainWindow: BrowserWindow | null = null;
let core: CoreHostClient | null = null;
let quitState: 'running' | 'disposing' | 'done' = 'running';
/** Set by a fatal error once the core is up: the shell disposes the core, then exits with it. */
let exitCode = 0;

/** After a fatal error with the core started: dispose it (before-quit), then exit 1. */
function quitWithError(): void {
  exitCode = 1;
  app.quit();
}

function osUsername(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to the environment.
    return process.env.USER ?? process.env.USERNAME;
  }
}

const desktopContext: CallContext = desktopCallContext(osUsername());
/** One core connection (and call budget) per renderer webContents. */
// Power, fleet runs, credential writes, host-key forgets, device moves and address-moving
// imports are confirmed in a native dialog naming the target before they reach the core.
const ipcCalls = createIpcCalls({ connect: () => core?.connect(desktopContext) ?? null, log, confirm: createConfirmGate({ askFor: nativeConfirmFor, log }) });

function shortUrl(url: string): string {
  return url.length > 120 ? `${url.slice(0, 117)}...` : url;
}

function hardenWebContents(contents: WebContents): void {
  const id = contents.id;
  contents.once('destroyed', () => ipcCalls.close(id));
  contents.setWindowOpenHandler(({ url }) => {
    log(`denied a new window for ${shortUrl(url)}`);
    return { action: 'deny' };
  });
  const stayOnAppOrigin = (event: { url: string; preventDefault(): void }): void => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log(`denied navigation to ${shortUrl(event.url)}`);
  };
  contents.on('will-navigate', stayOnAppOrigin);
  contents.on('will-redirect', stayOnAppOrigin);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('denied a <webview>');
  });
}

function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`denied permission request: ${permission}`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    title: 'FleetDeck',
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    backgroundColor: '#0b0f14',
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged,
      preload: PRELOAD_PATH,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.webContents.on('render-process-gone', (_event, details) => log(`renderer gone: ${details.reason} (exit ${details.exitCode})`));
  void win.loadURL(APP_ENTRY_URL).catch((err: unknown) => log(`could not load ${APP_ENTRY_URL}: ${err instanceof Error ? err.message : String(err)}`));
  mainWindow = win;
  return win;
}

function trustedWindow(): { webContentsId: number; mainFrame: WebContents['mainFrame'] } | null {
  const win = mainWindow;
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return null;
  return { webContentsId: win.webContents.id, mainFrame: win.webContents.mainFrame };
}

async function handleCall(event: IpcMainInvokeEvent, method: unknown, args: unknown): Promise<CallReply> {
  try {
    if (!isTrustedIpcSender({ webContentsId: event.sender.id, frame: event.senderFrame }, trustedWindow())) {
      log(`refused an IPC call from an untrusted sender (${shortUrl(event.senderFrame?.url ?? 'no frame')})`);
      return ipcRefusal('FORBIDDEN', 'This frame may not call the FleetDeck core');
    }
    return await ipcCalls.call(event.sender.id, method, args);
  } catch (err) {
    // Never let an exception cross IPC: Electron would reduce it to a bare message.
    return { ok: false, error: serializeError(err) };
  }
}

function startCore(storeDir: string, secretKey: Buffer, nativeBinding: string, lab: DesktopLabChoice['lab']): CoreHostClient {
  const host = utilityProcess.fork(CORE_HOST_PATH, [], { serviceName: 'fleetdeck-core' });
  // The core host's lab, a utilityProcess of this process: its messages ride the host's port.
  const labs = createLabBridgeMain({
    entry: LAB_ENTRY,
    fork: () => utilityProcess.fork(LAB_UTILITY_PATH, [], { serviceName: 'fleetdeck-lab', stdio: 'pipe' }),
    post: (message) => host.postMessage(message),
    log,
  });
  host.once('exit', () => labs.dispose());
  const client = new CoreHostClient(
    {
      postMessage: (message) => host.postMessage(message),
      onMessage: (listener) => host.on('message', (message) => {
        if (!labs.handle(message)) listener(message);
      }),
      onExit: (listener) => host.once('exit', listener),
      kill: () => void host.kill(),
    },
    {
      disposeTimeoutMs: DISPOSE_TIMEOUT_MS,
      log,
      onUnexpectedExit: (code) => {
        if (quitState !== 'running') return;
        fatal('FleetDeck: the core stopped', `The core process exited unexpectedly (code ${code}). FleetDeck will close; your data is kept in ${storeDir}.`);
        quitWithError();
      },
    },
  );
  client.onEvent((name, payload) => {
    const win = mainWindow;
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
    // Only a window still showing our own page receives fleet data.
    if (!isAppUrl(win.webContents.mainFrame.url)) return;
    win.webContents.send(IPC_EVENT, name, payload);
  });
  // postMessage clones the key synchronously; the shell then wipes its own copy.
  const ready = client.start({
    storePath: join(storeDir, 'fleetdeck.db'),
    sqliteNativeBinding: nativeBinding,
    secretKey,
    lab: lab && { ...lab, stateFile: join(storeDir, 'lab-state.json') },
    eventsFor: desktopContext,
  });
  secretKey.fill(0);
  ready.then(
    () => log('core ready'),
    (error: SerializedError) => {
      if (quitState !== 'running') return;
      fatal('FleetDeck: the core did not start', `${error.message}\n\n(${error.name}, ${error.code})`);
      quitWithError();
    },
  );
  return client;
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(RENDERER_DIR));

  const userData = app.getPath('userData');
  // The lab fleet on or off, and where it listens: <userData>/desktop-settings.json, overridden
  // for one run by --no-lab / --lab / --lab-loopback.
  const labChoice = desktopLabChoice(userData, process.argv, LAB_ENTRY, log);
  log(labChoice.summary);
  let key: Buffer;
  try {
    const k = loadOrCreateDesktopKey({
      userDataDir: userData,
      safeStorage,
      platform: process.platform,
      allowPlaintext: process.env.FLEETDECK_ALLOW_PLAINTEXT_KEY === '1',
    });
    log(`credential key: ${k.protection} at ${k.path}${k.migratedFromPlaintext ? ' (moved from a plaintext key file)' : ''}`);
    key = k.key;
  } catch (err) {
    const title = err instanceof DesktopKeyError ? err.title : 'FleetDeck: credential key';
    fatal(title, err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }

  let nativeBinding: string;
  try {
    nativeBinding = sqliteNativeBinding();
  } catch (err) {
    key.fill(0);
    fatal('FleetDeck: SQLite for Electron is missing', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }

  ipcMain.handle(IPC_CALL, handleCall);
  core = startCore(userData, key, nativeBinding, labChoice.lab);
  createMainWindow();
}

function onBeforeQuit(event: Electron.Event): void {
  if (quitState === 'done' || !core) return;
  event.preventDefault();
  if (quitState === 'disposing') return;
  quitState = 'disposing';
  ipcCalls.dispose();
  const c = core;
  void c
    .dispose()
    .catch((err: unknown) => log(`core dispose: ${err instanceof Error ? err.message : String(err)}`))
    .finally(() => {
      quitState = 'done';
      if (exitCode !== 0) app.exit(exitCode);
      else app.quit();
    });
}

// ---- before ready: everything here must run synchronously at load ----

// A separate profile (tests, a second site): must be set before the single-instance lock.
if (process.env.FLEETDECK_USER_DATA_DIR) app.setPath('userData', resolve(process.env.FLEETDECK_USER_DATA_DIR));

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

// Two shells on one profile would open one SQLite store and start two labs on one set of ports.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && core && BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
  app.on('before-quit', onBeforeQuit);
  app.whenReady().then(start).catch((err: unknown) => {
    fatal('FleetDeck could not start', err instanceof Error ? (err.stack ?? err.message) : String(err));
    app.exit(1);
  });
}
