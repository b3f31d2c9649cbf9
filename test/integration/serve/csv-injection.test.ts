// Acceptance: spreadsheet formulas in inventory cells are neutralised in the CSV export (a
// leading single quote, the cell quoted), read back to the original values on re-import, and
// a host name that is not RFC 1123 (`=1+1`) is refused with a VALIDATION naming line and field;
// past a caller's bulk budget the routes answer 429.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryDocument } from '../../../src-shared/domain';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { startServeServer, type ServeServer } from '../../../src-main/serve/serve-server';
import { download, upload } from './fixtures/http-bulk';

const EVIL = ['=1+1', '+SUM(A1:A9)', '-2+3', '@cmd', '\tx', '\rx', "'=already quoted", '=HYPERLINK("http://evil.example","x")'];

const DOC: InventoryDocument = {
  format: 'fleetdeck-inventory',
  version: 1,
  sites: EVIL.map((v, i) => ({ id: `s${i}`, name: v, city: v })),
  rooms: [{ id: 'r1', siteId: 's0', name: '=room', widthM: 20, depthM: 10 }],
  rows: [{ id: 'w1', roomId: 'r1', name: '@row', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
  cabinets: [{ id: 'c1', rowId: 'w1', name: '+cab', position: 1, uHeight: 42, ratedPowerKw: 8, feedA: '-A', feedB: '=B', widthMm: 600, depthMm: 1200 }],
  devices: [
    {
      id: 'd1', cabinetId: 'c1', kind: 'server', hostname: 'web-01', sn: '=SN1', uPosition: 1, uHeight: 1, mgmtIp: '10.0.0.1', snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22,
      snmpCredential: 'snmp-ro', sshCredential: null, ipmiCredential: null, serviceTree: { company: '=Acme', department: '+d', product: '-p', cluster: '@c', service: 's' },
    },
  ],
};

interface Serve {
  core: Core;
  server: ServeServer;
  tokens: Record<string, string>;
}

const dirs: string[] = [];
const serves: Serve[] = [];
async function serveOne(): Promise<Serve> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-csvinj-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'index.html'), '<!doctype html>');
  const core = await createCore({ storePath: join(dir, 'fd.db'), secretKey: randomBytes(32), lab: false });
  // the credential DOC's device references (imports refuse unknown ones); '@' cells are covered by the names above
  await core.api.call({ actor: 'test', role: 'admin' }, 'credentials.put', { id: 'snmp-ro', kind: 'snmp-community', name: 'SNMP', secret: 'public' });
  const tokens = Object.fromEntries(core.auth.rotateTokens().map((t) => [t.role, t.token]));
  const server = await startServeServer({ core, staticDir: join(dir, 'www'), bind: '127.0.0.1', port: 0 });
  const s = { core, server, tokens };
  serves.push(s);
  return s;
}

let a: Serve;
let b: Serve;
beforeAll(async () => {
  [a, b] = [await serveOne(), await serveOne()];
});
afterAll(async () => {
  for (const s of serves) {
    await s.server.close();
    await s.core.dispose();
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('CSV injection', () => {
  it('neutralises formulas on export and restores them on re-import', async () => {
    expect((await upload(a.server.url, '/api/inventory/import?format=json', a.tokens.operator, JSON.stringify(DOC))).status).toBe(200);
    const csv = await download(a.server.url, '/api/inventory/export?format=csv', a.tokens.viewer);
    expect(csv.status).toBe(200);
    const text = csv.body;
    expect(text).toContain(`"'=1+1"`);
    expect(text).toContain(`"'+SUM(A1:A9)"`);
    expect(text).toContain(`"'-2+3"`);
    expect(text).toContain(`"'@cmd"`);
    expect(text).toContain(`"'\tx"`);
    expect(text).toContain(`"'\rx"`);
    expect(text).toContain(`"''=already quoted"`);
    expect(text).toContain(`"'=Acme/+d/-p/@c/s"`);
    // no cell of the file starts with a character a spreadsheet evaluates
    expect(text.split(/\r\n/).flatMap((l) => l.split(',')).filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);

    const imported = await upload(b.server.url, '/api/inventory/import?format=csv', b.tokens.operator, text);
    expect(imported.status).toBe(200);
    const back = JSON.parse((await download(b.server.url, '/api/inventory/export?format=json', b.tokens.viewer)).body) as InventoryDocument;
    const original = JSON.parse((await download(a.server.url, '/api/inventory/export?format=json', a.tokens.viewer)).body) as InventoryDocument;
    expect(back).toEqual(original);
    expect(back.sites.map((s) => s.name).sort()).toEqual([...EVIL].sort());
    expect((await download(b.server.url, '/api/inventory/export?format=csv', b.tokens.viewer)).body).toBe(text);
    const guarded = text.split(/,|\r\n/).filter((cell) => cell.startsWith(`"'`)).length;
    console.log(`csv injection: ${guarded} guarded cells exported as "'<cell>" and re-imported to the original values`);
  });

  it('refuses a host name that is not RFC 1123, naming the line and field', async () => {
    const csv = (await download(a.server.url, '/api/inventory/export?format=csv', a.tokens.viewer)).body.replace(',web-01,', ',=1+1,');
    // lines as the parser counts them: CRLF, LF or a lone CR (the '\rx' cells hold one)
    const line = csv.slice(0, csv.indexOf(',=1+1,')).split(/\r\n|\n|\r/).length;
    const r = await upload(a.server.url, '/api/inventory/import?format=csv', a.tokens.operator, csv);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION', params: { issues: [{ line, field: 'hostname', message: expect.stringContaining('RFC 1123') }] } } });
    const json = await upload(a.server.url, '/api/inventory/import?format=json', a.tokens.operator, JSON.stringify({ ...DOC, devices: [{ ...DOC.devices[0], hostname: 'web_01' }] }));
    expect(JSON.parse(json.body)).toMatchObject({ error: { code: 'VALIDATION', params: { issues: [{ field: 'hostname' }] } } });
  });

  it('answers 429 RATE_LIMITED with Retry-After past a caller\'s bulk budget', async () => {
    const replies = await Promise.all(Array.from({ length: 6 }, () => download(b.server.url, '/api/inventory/export?format=json', b.tokens.admin)));
    const limited = replies.filter((r) => r.status === 429);
    expect(replies.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(4);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(limited[0].body)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', params: { retryAfterMs: expect.any(Number) } } });
  });
});
