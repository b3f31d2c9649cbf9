// The reports folder: file names (<kind>-<day>.<locale>.<format>), atomic writes (a temp file
// beside the target, then a rename, so a reader or a failure never sees a partial file; the
// temp file is removed when anything fails), the history (the report files in the folder) and
// reading one back by name. Names that are not report names are never read or listed, so a
// download id cannot walk out of the folder. The schedule file (.schedule.json) lives here too.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  REPORT_FORMATS, REPORT_KINDS, REPORT_LOCALES,
  type ReportFile, type ReportFileLocale, type ReportFormat, type ReportKind,
} from '../../../src-shared/api/reports';

const NAME = new RegExp(`^(${REPORT_KINDS.join('|')})-(\\d{4}-\\d{2}-\\d{2})\\.(${REPORT_LOCALES.join('|')})\\.(${REPORT_FORMATS.join('|')})$`);

export function reportFileName(kind: ReportKind, day: string, locale: ReportFileLocale, format: ReportFormat): string {
  return `${kind}-${day}.${locale}.${format}`;
}

/** A report file name's parts; null for any other name. */
export function parseReportFileName(name: string): Omit<ReportFile, 'size' | 'createdAt'> | null {
  const m = NAME.exec(name);
  if (!m) return null;
  return { id: name, kind: m[1] as ReportKind, day: m[2], locale: m[3] as ReportFileLocale, format: m[4] as ReportFormat };
}

/** Writes the bytes as folder/name through a temp file and a rename; on failure nothing new is left. */
export async function writeAtomically(folder: string, name: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const temp = join(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, join(folder, name));
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
}

/** The report files in the folder, newest first (an absent folder has none). */
export async function listReportFiles(folder: string): Promise<ReportFile[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`The reports folder ${folder} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const files: ReportFile[] = [];
  for (const name of names) {
    const parts = parseReportFileName(name);
    if (!parts) continue;
    const st = await stat(join(folder, name)).catch(() => null);
    if (st?.isFile()) files.push({ ...parts, size: st.size, createdAt: Math.round(st.mtimeMs) });
  }
  return files.sort((a, b) => b.createdAt - a.createdAt || b.day.localeCompare(a.day) || a.id.localeCompare(b.id));
}

/** One report file's bytes; null when the name is not a report name or there is no such file. */
export async function readReportFile(folder: string, name: string): Promise<Buffer | null> {
  if (!parseReportFileName(name)) return null;
  try {
    return await readFile(join(folder, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export const SCHEDULE_FILE = '.schedule.json';

/** The folder's JSON file (the schedule and its last run day); null when absent or unreadable. */
export async function readJsonFile(folder: string, name: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(folder, name), 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/** The default reports folder: `reports` beside the store's file (a ':memory:' store: under the OS temp folder). */
export function defaultReportsFolder(storePath: string): string {
  return storePath === ':memory:' || storePath === '' ? join(tmpdir(), 'fleetdeck-reports') : join(dirname(resolve(storePath)), 'reports');
}
