// The Inventory view in serve mode, against the real core and its lab fleet: export CSV
// and JSON as downloads, a CSV with five planted errors refused with every issue listed
// and nothing imported, a small valid CSV imported (the overview gains one device), a
// cancelled import (over HTTP: the upload aborted, nothing imported; over the WebSocket:
// its late answer still reported), and a viewer's disabled import.
// This spec changes the inventory: playwright.config.ts runs it after the specs that
// assert the lab's exact size.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page, type Route, type WebSocketRoute } from '@playwright/test';
import { shoot, signIn, valueOf } from './helpers';
import { CSV_HEADER, csvLine, NEW_SITE_CSV, plantFiveErrors } from './inventory-csv';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();

/** Every lab cabinet has a zero-U PDU: <site>-r<room>-c<row><position>-pdu, or -pdu-a and -pdu-b where it has both feeds (this one does). */
const KNOWN_LAB_HOSTNAME = 'bj1-r1-c0101-pdu-a';
const EXPORT_NAME = /^fleetdeck-inventory-\d{4}-\d{2}-\d{2}\.(csv|json)$/;

async function openInventory(page: Page): Promise<void> {
  await page.getByTestId('nav-inventory').click();
  await expect(page).toHaveURL(/#\/inventory$/);
  await expect(page.getByTestId('inventory')).toBeVisible();
}

/** Clicks an export button and returns the downloaded file. */
async function download(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

async function importCsv(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  await expect(page.getByTestId('import-chosen')).toContainText(`${name} ·`);
  await page.getByTestId('import-submit').click();
}

async function overviewTotals(page: Page): Promise<Record<'sites' | 'rooms' | 'cabinets' | 'devices', number>> {
  await page.getByTestId('nav-fleet').click();
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.getByTestId('total-devices')).toHaveAttribute('data-value', /^\d+$/);
  return {
    sites: await valueOf(page.getByTestId('total-sites')),
    rooms: await valueOf(page.getByTestId('total-rooms')),
    cabinets: await valueOf(page.getByTestId('total-cabinets')),
    devices: await valueOf(page.getByTestId('total-devices')),
  };
}

test('operator: export, a refused file with every issue, a valid import', async ({ page }) => {
  await signIn(page, serve.tokens.operator);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'operator');
  const before = await overviewTotals(page);
  await openInventory(page);
  await expect(page.getByTestId('crumb-fleet')).toBeVisible();
  await expect(page.getByTestId('import-role-note')).toHaveCount(0);

  // Export: the downloads are the core's files under a dated name.
  const csv = await download(page, 'export-csv');
  expect(csv.name).toMatch(EXPORT_NAME);
  expect(csv.name.endsWith('.csv')).toBe(true);
  expect(csv.text.startsWith(`${CSV_HEADER}\r\n`) || csv.text.startsWith(`${CSV_HEADER}\n`)).toBe(true);
  expect(csv.text).toContain(`,${KNOWN_LAB_HOSTNAME},`);
  await expect(page.getByTestId('export-done')).toContainText(csv.name);
  const json = await download(page, 'export-json');
  expect(json.name).toMatch(EXPORT_NAME);
  expect(json.name.endsWith('.json')).toBe(true);
  const doc = JSON.parse(json.text) as { format: string; devices: { hostname: string }[] };
  expect(doc.format).toBe('fleetdeck-inventory');
  expect(doc.devices).toHaveLength(before.devices);
  expect(doc.devices.some((d) => d.hostname === KNOWN_LAB_HOSTNAME)).toBe(true);

  // The export with five planted errors: refused, every issue listed by line.
  const planted = plantFiveErrors(csv.text);
  await importCsv(page, 'planted-errors.csv', planted.text);
  const invalid = page.getByTestId('import-invalid');
  await expect(invalid).toBeVisible();
  await expect(page.getByTestId('import-nothing')).toHaveText('Nothing was imported');
  await expect(page.getByTestId('import-message')).toHaveText('5 problems in the CSV file; nothing was imported');
  const rows = page.getByTestId('import-issue');
  await expect(rows).toHaveCount(5);
  for (const [i, want] of planted.issues.entries()) {
    const row = rows.nth(i);
    await expect(row).toHaveAttribute('data-line', String(want.line));
    await expect(row).toHaveAttribute('data-field', want.field);
    await expect(row.locator('td').first()).toHaveText(String(want.line));
    await expect(row).toContainText(want.says);
  }
  await page.getByTestId('import-issues').scrollIntoViewIfNeeded();
  await shoot(page, 'inventory-errors-en');

  // A small valid file: a new site down to one never-polled server.
  await importCsv(page, 'new-site.csv', NEW_SITE_CSV);
  await expect(page.getByTestId('import-result')).toBeVisible();
  await expect(page.getByTestId('import-invalid')).toHaveCount(0);
  for (const k of ['sites', 'rooms', 'rows', 'cabinets', 'devices']) {
    await expect(page.getByTestId(`import-count-${k}`)).toHaveAttribute('data-value', '1');
  }
  await shoot(page, 'inventory-imported-en');

  // One device more (the refused file's extra device is not there), one site, room, cabinet.
  const after = await overviewTotals(page);
  expect(after).toEqual({ sites: before.sites + 1, rooms: before.rooms + 1, cabinets: before.cabinets + 1, devices: before.devices + 1 });
  await expect(page.locator('[data-testid="site-card"][data-site-id="site-e2e"]')).toContainText('E2E Import Site');
});

test('operator: cancel an import (HTTP: the upload aborted; WebSocket: the late answer reported)', async ({ page }) => {
  // Hold the core's answer to inventory.import until the test lets it through.
  const held: string[] = [];
  const pageSides: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/api$/, (ws) => {
    pageSides.push(ws);
    const server = ws.connectToServer();
    const importCalls = new Set<number>();
    ws.onMessage((m) => {
      if (typeof m === 'string') {
        const msg = JSON.parse(m) as { type?: string; method?: string; id?: number };
        if (msg.type === 'call' && msg.method === 'inventory.import' && msg.id !== undefined) importCalls.add(msg.id);
      }
      server.send(m);
    });
    server.onMessage((m) => {
      if (typeof m === 'string' && importCalls.has((JSON.parse(m) as { id?: number }).id ?? -1)) held.push(m);
      else ws.send(m);
    });
  });
  // In serve mode the file goes over HTTP (POST /api/inventory/import): hold that request
  // before it reaches the server, so the cancel lands while the file is still uploading.
  const heldHttp: Route[] = [];
  await page.route(/\/api\/inventory\/import/, (route) => {
    held.push('http');
    heldHttp.push(route);
  });
  await signIn(page, serve.tokens.operator);
  await expect(page.getByTestId('overview')).toBeVisible();
  await openInventory(page);

  // A file the core refuses, so letting the answer through later changes nothing.
  const orphan = csvLine({
    record: 'device', id: 'dev-e2e-cancel', parent: 'cab-e2e-nowhere', kind: 'server', hostname: 'e2e-cancel',
    sn: 'E2E-SN-CANCEL', u_position: 1, u_height: 1, mgmt_ip: '127.31.0.2',
  });
  await importCsv(page, 'cancel-me.csv', `${CSV_HEADER}\n${orphan}\n`);
  const progress = page.getByTestId('import-progress');
  await expect(progress).toContainText('Importing cancel-me.csv');
  await expect(progress).toContainText('cancelling does not undo the import');
  await expect(page.getByTestId('import-submit')).toBeDisabled();
  await expect.poll(() => held.length).toBe(1);

  await page.getByTestId('import-cancel').click();
  await expect(page.getByTestId('import-cancelled')).toContainText('Stopped waiting for cancel-me.csv');
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
  await expect(page.getByTestId('import-submit')).toBeEnabled();

  if (heldHttp.length > 0) {
    // Over HTTP the upload is aborted before the server has the whole file: nothing imported, nothing late.
    await expect(page.getByTestId('import-upload-stopped')).toContainText('cancel-me.csv was stopped before the whole file was sent: nothing was imported');
    for (const route of heldHttp.splice(0)) await route.abort().catch(() => {});
    await expect(page.getByTestId('import-late')).toHaveCount(0);
  } else {
    // Over the WebSocket the core has the file: the late answer is still reported.
    for (const m of held.splice(0)) pageSides[0].send(m);
    await expect(page.getByTestId('import-late')).toHaveAttribute('data-late', 'refused');
    await expect(page.getByTestId('import-late')).toContainText('cancel-me.csv was refused, nothing was imported');
  }
  await expect(page.getByTestId('import-invalid')).toHaveCount(0);
});

test('viewer: import controls disabled with the role note; export and zh-CN', async ({ page }) => {
  await signIn(page, serve.tokens.viewer);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');
  await openInventory(page);
  await expect(page.getByTestId('import-file')).toBeDisabled();
  await expect(page.getByTestId('import-format')).toBeDisabled();
  await expect(page.getByTestId('import-submit')).toBeDisabled();
  await expect(page.getByTestId('import-role-note')).toHaveText('Imports need the operator role; your role is viewer. The core checks it too.');
  await expect(page.getByTestId('export-csv')).toBeEnabled();
  await expect(page.getByTestId('export-json')).toBeEnabled();

  // The route survives a reload (the token is remembered), and the view speaks Chinese.
  await page.reload();
  await expect(page.getByTestId('inventory')).toBeVisible();
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('inventory-title')).toHaveText('资产清单导入与导出');
  await expect(page.getByTestId('nav-inventory')).toHaveText('资产清单');
  await expect(page.getByTestId('import-submit')).toHaveText('校验并导入');
  await expect(page.getByTestId('import-role-note')).toContainText('导入需要操作员角色');
  await shoot(page, 'inventory-viewer-zh');
  await page.getByTestId('lang-en').click();
});
