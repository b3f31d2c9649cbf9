// What globalSetup learned from serve mode's stdout, handed to the specs and to
// globalTeardown through a JSON file (and the environment, which workers inherit).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = join(ROOT, 'test-results');
export const SERVE_INFO_FILE = join(RESULTS_DIR, 'e2e-serve.json');
export const SERVE_LOG_FILE = join(RESULTS_DIR, 'e2e-serve.log');
export const SCREENSHOT_DIR = join(RESULTS_DIR, 'screenshots');

export interface ServeInfo {
  url: string;
  pid: number;
  dataDir: string;
  tokens: { viewer: string; operator: string; admin: string };
}

export function readServeInfo(): ServeInfo {
  const file = process.env.FLEETDECK_E2E_SERVE_INFO ?? SERVE_INFO_FILE;
  return JSON.parse(readFileSync(file, 'utf8')) as ServeInfo;
}

export interface FoundSoFar {
  url?: string;
  tokens: Partial<ServeInfo['tokens']>;
}

/** Parses the lines serve mode prints (its stdout contract). */
export function parseServeLine(line: string, into: FoundSoFar): void {
  const url = /^FleetDeck serving (https?:\/\/\S+)$/.exec(line.trim());
  if (url) into.url = url[1];
  const token = /^token (viewer|operator|admin): (\S+)$/.exec(line.trim());
  if (token) into.tokens[token[1] as keyof ServeInfo['tokens']] = token[2];
}
