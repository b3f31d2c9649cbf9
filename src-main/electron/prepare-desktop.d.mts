// Types for prepare-desktop.mjs (npm start's prestart step), so its unit test is typed.
export interface ElectronStatus {
  installed: boolean;
  version: string | null;
  binary: string | null;
  present: boolean;
  source: 'ELECTRON_OVERRIDE_DIST_PATH' | 'node_modules/electron/dist' | null;
  problem: string | null;
}
export interface SqliteStatus {
  version: string | null;
  target: string;
  present: boolean;
}
type Env = Record<string, string | undefined>;
export function isMainModule(metaUrl: string, argv1?: string): boolean;
export function nativeBindingPath(electronVersion: string, platform?: string, arch?: string, root?: string): string;
export function electronExecutable(platform?: string): string;
export function electronStatus(opts?: { root?: string; env?: Env; platform?: string }): ElectronStatus;
export function sqlitePrebuild(opts?: { root?: string; platform?: string; arch?: string }): string | null;
export function sqliteStatus(opts: { root?: string; electronVersion: string; platform?: string; arch?: string }): SqliteStatus;
export function findNodeGyp(opts?: { root?: string; env?: Env; execPath?: string }): string | null;
export function prepareDesktop(opts?: { root?: string; env?: Env; check?: boolean; fromSource?: boolean; log?: (line: string) => void }): { ok: boolean; lines: string[] };
