import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  createAppProtocolHandler,
  isAppUrl,
  resolveAppPath,
} from '../../../src-main/electron/app-protocol';

describe('app:// protocol', () => {
  let base: string;
  let root: string;
  let handler: (r: Request) => Promise<Response>;

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'fd-app-'));
    root = join(base, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'font.woff2'), Buffer.from([1, 2, 3]));
    writeFileSync(join(base, 'secret.key'), 'outside the renderer');
    symlinkSync(join(base, 'secret.key'), join(root, 'assets', 'link.js'));
    handler = createAppProtocolHandler(root);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('recognises only app://fleetdeck as its origin', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://fleetdeck/assets/x.js')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('https://fleetdeck/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it.each([
    'app://fleetdeck/../secret.key',
    'app://fleetdeck/%2e%2e/secret.key',
    'app://fleetdeck/assets/..%2f..%2fsecret.key',
    'app://fleetdeck/..%5csecret.key',
    'app://fleetdeck/%2fetc%2fpasswd',
    'app://fleetdeck/index.html%00.js',
    'app://fleetdeck/%E0%A4%A',
    'app://other/index.html',
  ])('never resolves %s outside the root', (url) => {
    const p = resolveAppPath(root, url);
    expect(p === null || p.startsWith(root + '/'), String(p)).toBe(true);
  });

  it('maps / to index.html and keeps paths under the root', () => {
    expect(resolveAppPath(root, 'app://fleetdeck/')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://fleetdeck/assets/index-abc.js?v=1#x')).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveAppPath(root, 'app://fleetdeck/..%2f..%2fsecret.key')).toBeNull();
  });

  it('serves files with their type and the CSP', async () => {
    const res = await handler(new Request('app://fleetdeck/assets/index-abc.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('console.log(1)');
    const font = await handler(new Request('app://fleetdeck/assets/font.woff2'));
    expect(font.headers.get('content-type')).toBe('font/woff2');
  });

  it('puts the CSP on errors too, and never serves outside the root', async () => {
    for (const url of ['app://fleetdeck/../secret.key', 'app://fleetdeck/%2e%2e%2fsecret.key', 'app://fleetdeck/assets/link.js', 'app://fleetdeck/missing.js']) {
      const res = await handler(new Request(url));
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).not.toContain('outside the renderer');
    }
  });

  it('falls back to index.html for extensionless client routes', async () => {
    const res = await handler(new Request('app://fleetdeck/rooms/r1'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('answers GET and HEAD only', async () => {
    expect((await handler(new Request(APP_ENTRY_URL, { method: 'POST', body: 'x' }))).status).toBe(405);
    const head = await handler(new Request(APP_ENTRY_URL, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('has the CSP the architecture asks for', () => {
    for (const d of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "img-src 'self' data:"]) {
      expect(CONTENT_SECURITY_POLICY).toContain(d);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
  });
});
