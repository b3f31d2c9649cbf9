// Acceptance: 100 k devices imported and exported over serve mode's streamed HTTP routes, the
// serve process's peak RSS printed; all or nothing (one bad row imports nothing); the status
// codes and audit of the routes (401, 403, 400, 413, 405), both formats round-trip. And the
// import route's replace=<kind>:<id> and dryRun=1, on the route handler in this process (a
// core on an in-memory store behind a 127.0.0.1 server): a preview writes nothing, a
// replacing import deletes, a malformed replace or dryRun is 400 naming the field.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallReply } from '../../../src-shared/api';
import type { ImportResult, InventoryDocument } from '../../../src-shared/domain';
import { createCore } from '../../../src-main/core/create-core';
import { createBulkRoutes } from '../../../src-main/serve/bulk-routes';
import { oneCabinet } from '../../support/one-cabinet';
import { SERVE_ENTRY, startServe, type ServeProcess } from '../../support/serve-process';
import { connect } from '../../support/ws-client';
import { bigInventoryCsv } from './fixtures/big-inventory';
import { download, upload } from './fixtures/http-bulk';
import { rssMb, sampleRss } from './fixtures/rss';

const built = existsSync(SERVE_ENTRY);
if (!built && process.env.CI) throw new Error(`${SERVE_ENTRY} is missing: npm test builds it before vitest`);
const DEVICES = 100_000;
const IMPORT = '/api/inventory/import';
const EXPORT = '/api/inventory/export';

let serve: ServeProcess | null = null;
afterAll(async () => {
  await serve?.stop();
});

describe.skipIf(!built)('bulk inventory over HTTP', () => {
  it('imports and exports 100 k devices streamed, all or nothing', async () => {
    serve = await startServe(['--no-lab']);
    const { url, tokens } = serve;
    const devicesNow = async (): Promise<number> => {
      const v = await connect(url, tokens.viewer);
      const o = await v.call('fleet.overview', undefined);
      await v.close();
      return o.totals.devices;
    };
    const figures: string[] = [];
    const note = (f: string): void => {
      figures.push(f);
      console.log(`bulk HTTP: ${f}`);
    };
    note(`serve RSS at start ${rssMb(serve.pid).toFixed(0)} MB`);

    // Refusals first: no token, a viewer, a bad format, too large, a wrong method.
    const small = bigInventoryCsv(3, { prefix: 'tiny' });
    expect((await upload(url, `${IMPORT}?format=csv`, null, small)).status).toBe(401);
    const forbidden = await upload(url, `${IMPORT}?format=csv`, tokens.viewer, small);
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', params: { method: 'inventory.import', required: 'operator' } } });
    expect((await upload(url, `${IMPORT}?format=xml`, tokens.operator, small)).status).toBe(400);
    const tooLarge = await upload(url, `${IMPORT}?format=csv`, tokens.operator, small, { declare: 300 * 1024 * 1024 }).catch((e: Error) => ({ status: -1, body: e.message }));
    expect(tooLarge.status).toBe(413);
    expect((await download(url, `${IMPORT}?format=csv`, tokens.operator)).status).toBe(405);
    expect((await download(url, `${EXPORT}?format=csv`, 'not-a-token-000000000000')).status).toBe(401);

    // One bad row of 100 k: refused whole, the line and field named.
    const bad = bigInventoryCsv(DEVICES, { bad: true });
    let rss = sampleRss(serve.pid);
    const refused = await upload(url, `${IMPORT}?format=csv`, tokens.operator, bad);
    note(`bad 100 k CSV (${(bad.length / 1e6).toFixed(1)} MB) refused, peak RSS ${rss.stop().toFixed(0)} MB`);
    expect(refused.status).toBe(400);
    const reply = JSON.parse(refused.body) as CallReply;
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION', params: { issues: [{ line: bad.trimEnd().split('\r\n').length, field: 'hostname' }] } } });
    expect(await devicesNow()).toBe(0);

    // The good file, chunked (no Content-Length).
    const good = bigInventoryCsv(DEVICES);
    rss = sampleRss(serve.pid);
    let t = performance.now();
    const imported = await upload(url, `${IMPORT}?format=csv`, tokens.operator, good, { chunked: true });
    note(`import 100 k CSV (${(good.length / 1e6).toFixed(1)} MB) ${(performance.now() - t).toFixed(0)} ms, peak RSS ${rss.stop().toFixed(0)} MB`);
    expect(imported.status).toBe(200);
    expect((JSON.parse(imported.body) as { ok: true; result: ImportResult }).result.imported.devices).toBe(DEVICES);
    expect(await devicesNow()).toBe(DEVICES);

    for (const format of ['csv', 'json'] as const) {
      rss = sampleRss(serve.pid);
      t = performance.now();
      const got = await download(url, `${EXPORT}?format=${format}`, tokens.viewer);
      note(`export ${format} ${(got.body.length / 1e6).toFixed(1)} MB in ${got.chunks} chunks ${(performance.now() - t).toFixed(0)} ms, peak RSS ${rss.stop().toFixed(0)} MB`);
      expect(got.status).toBe(200);
      expect(got.headers['transfer-encoding']).toBe('chunked');
      expect(got.headers['content-type']).toBe(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json');
      expect(got.headers['content-disposition']).toBe(`attachment; filename="fleetdeck-inventory.${format}"`);
      // canonical order (by id) differs from the file's; the same lines
      if (format === 'csv') expect(got.body.split('\r\n').sort()).toEqual(good.split('\r\n').sort());
      else {
        expect(JSON.parse(got.body).devices).toHaveLength(DEVICES);
        // the JSON export re-imports (an update of every record) over the same route
        rss = sampleRss(serve.pid);
        t = performance.now();
        const again = await upload(url, `${IMPORT}?format=json`, tokens.operator, got.body);
        note(`re-import 100 k JSON ${(performance.now() - t).toFixed(0)} ms, peak RSS ${rss.stop().toFixed(0)} MB`);
        expect(again.status).toBe(200);
      }
    }
    expect(await devicesNow()).toBe(DEVICES);

    const admin = await connect(url, tokens.admin);
    const audit = (await admin.call('audit.list', { limit: 20 })).filter((e) => e.action === 'inventory.import');
    await admin.close();
    expect(audit.map((e) => e.outcome)).toEqual(expect.arrayContaining(['refused', 'failed', 'succeeded']));
    expect(audit.find((e) => e.outcome === 'failed')?.target).toBe(`csv file, ${Buffer.byteLength(bad)} bytes`);
    expect(audit.find((e) => e.outcome === 'succeeded' && e.target.startsWith('csv'))?.target).toBe('csv file, streamed');
  }, 300_000);
});

describe('the import route: replace and dryRun', () => {
  it('previews, then replaces a cabinet; refuses a malformed replace or dryRun with 400', async () => {
    const core = await createCore({ storePath: ':memory:', secretKey: randomBytes(32), lab: false, bmcSensors: false });
    const routes = createBulkRoutes(core);
    const server: Server = createServer((req, res) => {
      if (!routes.handle(req, res)) res.writeHead(404).end();
    });
    try {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const token = (role: string): string => core.auth.rotateTokens().find((t) => t.role === role)!.token;
      const operator = token('operator');
      const dev = (id: string, u: number) => ({
        id, cabinetId: 'c', kind: 'server' as const, hostname: id, sn: `SN-${id}`, uPosition: u, uHeight: 1, mgmtIp: '127.0.0.1', snmpPort: 30000 + u,
        bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
      });
      const full = JSON.stringify(oneCabinet([dev('a', 1), dev('b', 2), dev('c', 3)]));
      expect((await upload(url, `${IMPORT}?format=json`, operator, full)).status).toBe(200);
      // read in process: the route's lane allows a few bulk calls a second
      const exported = async (): Promise<string> => (await core.api.call({ actor: 'vic', role: 'viewer' }, 'inventory.export', { format: 'json' })).text;
      const before = await exported();

      const only = JSON.stringify(oneCabinet([dev('a', 1)]));
      const preview = await upload(url, `${IMPORT}?format=json&replace=cabinet:c&dryRun=1`, operator, only);
      expect(preview.status).toBe(200);
      const previewed = (JSON.parse(preview.body) as { ok: true; result: ImportResult }).result;
      expect(previewed).toMatchObject({ dryRun: true, replace: { kind: 'cabinet', id: 'c' }, deleted: { devices: 2 } });
      expect(previewed.deletedRecords).toEqual([{ kind: 'device', id: 'b', name: 'b' }, { kind: 'device', id: 'c', name: 'c' }]);
      expect(await exported()).toBe(before);

      for (const bad of ['replace=shelf:c', 'replace=cabinet:', 'replace=c', 'dryRun=maybe']) {
        const r = await upload(url, `${IMPORT}?format=json&${bad}`, operator, only);
        expect(r.status, bad).toBe(400);
        const field = bad.split('=')[0];
        expect(JSON.parse(r.body), bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', params: { field } } });
        expect((JSON.parse(r.body) as { error: { message: string } }).error.message, bad).toContain(field);
      }
      expect(await exported()).toBe(before);

      const done = await upload(url, `${IMPORT}?format=json&replace=cabinet:c`, operator, only, { chunked: true });
      expect(done.status).toBe(200);
      expect((JSON.parse(done.body) as { result: ImportResult }).result).toMatchObject({ dryRun: false, deleted: { devices: 2 } });
      expect((JSON.parse(await exported()) as InventoryDocument).devices.map((d) => d.id)).toEqual(['a']);
    } finally {
      routes.dispose();
      await new Promise((r) => server.close(r));
      await core.dispose();
    }
  });
});
