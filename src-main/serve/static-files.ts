// Static files for serve mode: content types, security headers, and paths kept inside the root.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export interface StaticFile {
  body: Buffer;
  type: string;
}

/**
 * Resolves a URL path inside root; anything that would leave root is refused. Paths with
 * no file behind them fall back to index.html (the renderer routes itself).
 */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  const base = resolve(root);
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const full = resolve(join(base, normalize(rel)));
  if (full !== base && !full.startsWith(base + sep)) return null;
  for (const candidate of [full, join(base, 'index.html')]) {
    try {
      const s = await stat(candidate);
      if (!s.isFile()) continue;
      return { body: await readFile(candidate), type: TYPES[extname(candidate)] ?? 'application/octet-stream' };
    } catch {
      // try the next candidate
    }
  }
  return null;
}
