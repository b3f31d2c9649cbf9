// The desktop's own settings: whether it starts the lab fleet and where the lab listens,
// kept in desktop-settings.json in the desktop's userData directory, with command-line
// overrides (--no-lab, --lab, --lab-loopback M) for one run. No 'electron' import: main.ts
// passes app.getPath('userData') and process.argv in, so all of it runs under plain Node.
// A broken file gives the defaults and one clear logged error, and is never overwritten
// without being asked to (save refuses it unless told to replace it).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { LabConfig } from '../core/config';

export const DESKTOP_SETTINGS_FILE = 'desktop-settings.json';

const loopbackSchema = z.enum(['aliases', 'single', 'auto']);
export const desktopSettingsSchema = z.strictObject({
  /** off: the desktop starts without the lab fleet (a configured fleet only). */
  lab: z.enum(['on', 'off']).default('on'),
  /** Where the lab's devices listen (see src-main/lab/loopback.ts); auto falls back to 127.0.0.1 only. */
  labLoopback: loopbackSchema.default('auto'),
});
export type DesktopSettings = z.output<typeof desktopSettingsSchema>;

export const DEFAULT_DESKTOP_SETTINGS: DesktopSettings = Object.freeze({ lab: 'on', labLoopback: 'auto' });

export interface LoadedDesktopSettings {
  settings: DesktopSettings;
  path: string;
  /** file: read from the file; defaults: there is no file; broken: the file is unreadable or invalid, defaults used. */
  source: 'file' | 'defaults' | 'broken';
  /** Why the file was not used (source 'broken'). */
  error?: string;
}

export function desktopSettingsPath(userDataDir: string): string {
  return join(userDataDir, DESKTOP_SETTINGS_FILE);
}

/** Reads the settings; a missing file is the defaults (nothing is written), a broken one the defaults and a logged error. */
export function loadDesktopSettings(userDataDir: string, log: (line: string) => void = () => {}): LoadedDesktopSettings {
  const path = desktopSettingsPath(userDataDir);
  if (!existsSync(path)) return { settings: { ...DEFAULT_DESKTOP_SETTINGS }, path, source: 'defaults' };
  let error: string;
  try {
    const parsed = desktopSettingsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (parsed.success) return { settings: parsed.data, path, source: 'file' };
    error = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('; ');
  } catch (err) {
    error = err instanceof SyntaxError ? `not JSON: ${err.message}` : err instanceof Error ? err.message : String(err);
  }
  log(`desktop settings: ${path} is not valid (${error}); starting with the defaults (lab on, loopback auto); the file is left as it is: fix or delete it`);
  return { settings: { ...DEFAULT_DESKTOP_SETTINGS }, path, source: 'broken', error };
}

export class DesktopSettingsError extends Error {
  override readonly name = 'DesktopSettingsError';
}

/**
 * Writes the settings (validated) through a temporary file and a rename. A file that is there
 * but broken is someone's work: it is replaced only with `replaceBroken`.
 */
export function saveDesktopSettings(userDataDir: string, settings: DesktopSettings, opts: { replaceBroken?: boolean } = {}): string {
  const valid = desktopSettingsSchema.parse(settings);
  const current = loadDesktopSettings(userDataDir);
  if (current.source === 'broken' && !opts.replaceBroken) {
    throw new DesktopSettingsError(`${current.path} is not valid (${current.error}): not overwriting it; fix or delete it, or save with replaceBroken`);
  }
  mkdirSync(userDataDir, { recursive: true });
  const tmp = `${current.path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o644 });
  renameSync(tmp, current.path);
  return current.path;
}

export interface DesktopArgs {
  lab?: 'on' | 'off';
  labLoopback?: DesktopSettings['labLoopback'];
  /** Our own flags given wrongly (e.g. --lab-loopback sideways); everything else in argv is not ours and ignored. */
  errors: string[];
}

/** The overrides in a command line (Electron's argv holds Chromium's switches too: only ours are read). */
export function parseDesktopArgs(argv: readonly string[]): DesktopArgs {
  const out: DesktopArgs = { errors: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-lab') out.lab = 'off';
    else if (a === '--lab') out.lab = 'on';
    else if (a === '--lab-loopback' || a.startsWith('--lab-loopback=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      const parsed = loopbackSchema.safeParse(value);
      if (parsed.success) out.labLoopback = parsed.data;
      else out.errors.push(`--lab-loopback must be aliases, single or auto, got ${value === undefined ? 'nothing' : `"${value}"`}`);
    }
  }
  return out;
}

export interface DesktopLabChoice {
  /** What the core's config takes as `lab`: false starts none. */
  lab: LabConfig | false;
  /** The settings in force for this run (file or defaults, then the command line). */
  settings: DesktopSettings;
  /** One line for the log: what was chosen and from where. */
  summary: string;
}

/** The lab this desktop run starts: the settings file, then the command line on top. Logs a broken file or bad flag. */
export function desktopLabChoice(userDataDir: string, argv: readonly string[], labEntry: string, log: (line: string) => void = () => {}): DesktopLabChoice {
  const loaded = loadDesktopSettings(userDataDir, log);
  const args = parseDesktopArgs(argv);
  for (const e of args.errors) log(`desktop settings: ${e}; ignored`);
  const settings: DesktopSettings = { lab: args.lab ?? loaded.settings.lab, labLoopback: args.labLoopback ?? loaded.settings.labLoopback };
  const from = args.lab || args.labLoopback ? 'command line' : loaded.source === 'file' ? loaded.path : 'defaults';
  return {
    lab: settings.lab === 'off' ? false : { entry: labEntry, loopback: settings.labLoopback },
    settings,
    summary: settings.lab === 'off' ? `lab fleet off (${from})` : `lab fleet on, loopback ${settings.labLoopback} (${from})`,
  };
}
