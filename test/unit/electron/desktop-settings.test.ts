// The desktop's settings file (lab on/off, lab loopback) and its command-line overrides,
// under plain Node: defaults without a file, a broken file never silently replaced.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_DESKTOP_SETTINGS, desktopLabChoice, desktopSettingsPath, DesktopSettingsError, loadDesktopSettings, parseDesktopArgs, saveDesktopSettings,
} from '../../../src-main/electron/desktop-settings';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fd-desktop-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the settings file', () => {
  it('is the defaults (lab on, loopback auto) when absent, and nothing is written', () => {
    expect(loadDesktopSettings(dir)).toEqual({ settings: DEFAULT_DESKTOP_SETTINGS, path: desktopSettingsPath(dir), source: 'defaults' });
    expect(() => readFileSync(desktopSettingsPath(dir))).toThrow();
  });

  it('round-trips what is saved, and fills in what a file leaves out', () => {
    saveDesktopSettings(dir, { lab: 'off', labLoopback: 'single' });
    expect(loadDesktopSettings(dir)).toMatchObject({ settings: { lab: 'off', labLoopback: 'single' }, source: 'file' });
    writeFileSync(desktopSettingsPath(dir), '{"lab":"off"}');
    expect(loadDesktopSettings(dir).settings).toEqual({ lab: 'off', labLoopback: 'auto' });
  });

  it.each([
    ['not JSON', '{"lab": off', /not JSON/],
    ['a wrong value', '{"lab":"maybe"}', /lab: /],
    ['a misspelt key', '{"labLoopbak":"single"}', /labLoopbak/],
    ['not an object', '[]', /\(top level\)/],
  ])('gives the defaults and one clear logged error for %s, and leaves the file as it is', (_what, text, why) => {
    writeFileSync(desktopSettingsPath(dir), text);
    const log: string[] = [];
    const loaded = loadDesktopSettings(dir, (l) => log.push(l));
    expect(loaded).toMatchObject({ settings: DEFAULT_DESKTOP_SETTINGS, source: 'broken' });
    expect(loaded.error).toMatch(why);
    expect(log).toHaveLength(1);
    expect(log[0]).toContain(desktopSettingsPath(dir));
    expect(log[0]).toMatch(/starting with the defaults .* left as it is/);
    expect(readFileSync(desktopSettingsPath(dir), 'utf8')).toBe(text);
  });

  it('refuses to overwrite a broken file unless told to', () => {
    writeFileSync(desktopSettingsPath(dir), 'garbage');
    expect(() => saveDesktopSettings(dir, { lab: 'off', labLoopback: 'auto' })).toThrow(DesktopSettingsError);
    expect(readFileSync(desktopSettingsPath(dir), 'utf8')).toBe('garbage');
    saveDesktopSettings(dir, { lab: 'off', labLoopback: 'auto' }, { replaceBroken: true });
    expect(loadDesktopSettings(dir).settings.lab).toBe('off');
  });

  it('refuses to save invalid settings', () => {
    expect(() => saveDesktopSettings(dir, { lab: 'sometimes' as 'on', labLoopback: 'auto' })).toThrow();
  });
});

describe('the command line', () => {
  it('reads --no-lab, --lab and --lab-loopback (both spellings) among Chromium switches', () => {
    expect(parseDesktopArgs(['/opt/FleetDeck/fleetdeck', '--enable-logging', '--no-lab'])).toEqual({ lab: 'off', errors: [] });
    expect(parseDesktopArgs(['electron', '.', '--lab-loopback', 'single'])).toEqual({ labLoopback: 'single', errors: [] });
    expect(parseDesktopArgs(['--lab-loopback=aliases', '--lab'])).toEqual({ lab: 'on', labLoopback: 'aliases', errors: [] });
    expect(parseDesktopArgs(['--lab-loopback=sideways']).errors).toEqual(['--lab-loopback must be aliases, single or auto, got "sideways"']);
    expect(parseDesktopArgs(['--lab-loopback']).errors).toEqual(['--lab-loopback must be aliases, single or auto, got nothing']);
  });
});

describe('the lab a desktop run starts', () => {
  it('is on, auto, by default', () => {
    expect(desktopLabChoice(dir, [], '/app/lab.js')).toEqual({
      lab: { entry: '/app/lab.js', loopback: 'auto' }, settings: DEFAULT_DESKTOP_SETTINGS, summary: 'lab fleet on, loopback auto (defaults)',
    });
  });

  it('follows the file, and the command line over it', () => {
    saveDesktopSettings(dir, { lab: 'off', labLoopback: 'single' });
    expect(desktopLabChoice(dir, [], '/app/lab.js')).toMatchObject({ lab: false, summary: `lab fleet off (${desktopSettingsPath(dir)})` });
    expect(desktopLabChoice(dir, ['--lab'], '/app/lab.js')).toMatchObject({ lab: { entry: '/app/lab.js', loopback: 'single' }, summary: 'lab fleet on, loopback single (command line)' });
    saveDesktopSettings(dir, { lab: 'on', labLoopback: 'aliases' });
    expect(desktopLabChoice(dir, ['--no-lab'], '/app/lab.js').lab).toBe(false);
  });

  it('starts the default lab from a broken file, logging the file and a bad flag', () => {
    writeFileSync(desktopSettingsPath(dir), '{');
    const log: string[] = [];
    const choice = desktopLabChoice(dir, ['--lab-loopback', 'nope'], '/app/lab.js', (l) => log.push(l));
    expect(choice.lab).toEqual({ entry: '/app/lab.js', loopback: 'auto' });
    expect(log).toHaveLength(2);
    expect(log[1]).toBe('desktop settings: --lab-loopback must be aliases, single or auto, got "nope"; ignored');
  });
});
