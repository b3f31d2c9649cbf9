// fatal-report.ts: the shell's fatal errors block on a dialog for a person, and only log
// under test (FLEETDECK_TEST=1 or --no-dialogs), where nobody could close the dialog.
import { describe, expect, it } from 'vitest';
import { fatalReportMode, reportFatal } from '../../../src-main/electron/fatal-report';

function io() {
  const calls = { dialogs: [] as string[][], stderr: [] as string[] };
  return { calls, io: { showErrorBox: (t: string, c: string) => void calls.dialogs.push([t, c]), writeStderr: (s: string) => void calls.stderr.push(s) } };
}

describe('fatal error reports', () => {
  it('shows a dialog by default, and logs instead under test', () => {
    expect(fatalReportMode({}, ['/usr/bin/electron', 'out/main/index.js'])).toBe('dialog');
    expect(fatalReportMode({ FLEETDECK_TEST: '0' }, [])).toBe('dialog');
    expect(fatalReportMode({ FLEETDECK_TEST: '1' }, [])).toBe('stderr');
    expect(fatalReportMode({}, ['/usr/bin/electron', 'out/main/index.js', '--no-dialogs'])).toBe('stderr');
  });

  it('under test writes one stderr line and opens no dialog', () => {
    const { calls, io: sink } = io();
    reportFatal('stderr', sink, 'FleetDeck: SQLite for Electron is missing', 'better-sqlite3 has not been built\nfor Electron 41');
    expect(calls.dialogs).toEqual([]);
    expect(calls.stderr).toEqual(['[shell] fatal: FleetDeck: SQLite for Electron is missing: better-sqlite3 has not been built for Electron 41\n']);
  });

  it('for a person logs and shows the dialog', () => {
    const { calls, io: sink } = io();
    reportFatal('dialog', sink, 'FleetDeck: the core stopped', 'exited (code 9)');
    expect(calls.dialogs).toEqual([['FleetDeck: the core stopped', 'exited (code 9)']]);
    expect(calls.stderr).toHaveLength(1);
  });
});
