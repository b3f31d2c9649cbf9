// How the desktop shell reports an error it cannot go on from: a blocking native dialog
// for the person at the desktop, or (under test, FLEETDECK_TEST=1 or --no-dialogs) a line
// on stderr, since a dialog nobody can click would hang the launch test until its timeout.
// Either way the shell then exits non-zero (main.ts). No electron import.

export type FatalReportMode = 'dialog' | 'stderr';

export function fatalReportMode(env: Readonly<Record<string, string | undefined>>, argv: readonly string[]): FatalReportMode {
  return env.FLEETDECK_TEST === '1' || argv.includes('--no-dialogs') ? 'stderr' : 'dialog';
}

export interface FatalReportIo {
  showErrorBox(title: string, content: string): void;
  writeStderr(text: string): void;
}

/** Always on stderr (a log keeps it); in a dialog too unless under test. */
export function reportFatal(mode: FatalReportMode, io: FatalReportIo, title: string, message: string): void {
  io.writeStderr(`[shell] fatal: ${title}: ${message.replace(/\n+/g, ' ')}\n`);
  if (mode === 'dialog') io.showErrorBox(title, message);
}
