// Places and replacing imports end to end, on a serve instance of its own started with
// --no-lab (the other specs assert the shared lab's exact size): as an operator, through the
// UI only, a site, room, row and cabinet added from forms, the cabinet edited, two devices
// added from the device form, one moved, one deleted by its typed hostname; the non-empty
// cabinet's delete refused in words; a replacing import of the room previewed (the device
// it would delete listed) and imported (the elevation shows the file's device only). A
// viewer gets no place controls, the audit (admin) lists the changes, and no lab fault panel
// shows anywhere while the lab is off. Last, the same screens in zh-CN (the place forms, a
// refusal under its field, the refused delete, a replacing import's preview) with
// zh-cn-walk's "no stray Latin words" check.
import { expect, test, type Page } from '@playwright/test';
import { startServe, type ServeProcess } from '../support/serve-process';
import { shoot, signIn } from './helpers';
import type { InventoryDocument } from '../../src-shared/domain';
import { connect } from '../support/ws-client';
import { CSV_HEADER, csvLine } from './inventory-csv';
import { check, dataMatcher, expectNoLatin, openInChinese, type Found } from './zh-cn-check';

let serve: ServeProcess;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  serve = await startServe(['--no-lab']);
});

test.afterAll(async () => {
  await serve?.stop();
});

const node = (page: Page, kind: string, name: string) => page.locator(`[data-testid="place-node"][data-kind="${kind}"][data-name="${name}"]`);
/** A node's own line (its buttons, not those of the places it holds). */
const lineOf = (page: Page, kind: string, name: string) => node(page, kind, name).locator('> .place-line');

async function goHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => ((globalThis as unknown as { location: { hash: string } }).location.hash = h), hash);
}

/** The room of the first test as a file whose cabinet C1 holds another device (db-02 at U30). */
function hallFile(ids: { site: string; room: string; row: string; cabinet: string }, device: { id: string; sn: string; u: number; ip: string }): string {
  return [
    CSV_HEADER,
    csvLine({ record: 'room', id: ids.room, parent: ids.site, name: 'Hall 1' }),
    csvLine({ record: 'row', id: ids.row, parent: ids.room, name: 'Row A' }),
    csvLine({ record: 'cabinet', id: ids.cabinet, parent: ids.row, name: 'C1', position: 1, u_height: 44, rated_power_kw: 8 }),
    csvLine({ record: 'device', id: device.id, parent: ids.cabinet, kind: 'server', hostname: device.id, sn: device.sn, u_position: device.u, u_height: 2, mgmt_ip: device.ip, snmp_port: 161 }),
  ].join('\n');
}

async function fillPlace(page: Page, kind: string, values: Record<string, string>): Promise<void> {
  const form = page.locator(`[data-testid="place-form"][data-kind="${kind}"]`);
  await expect(form).toBeVisible();
  for (const [field, value] of Object.entries(values)) await form.getByTestId(`placeform-${field}`).fill(value);
  await form.getByTestId('placeform-save').click();
}

async function idOf(page: Page, kind: string, name: string): Promise<string> {
  return (await node(page, kind, name).getAttribute('data-id')) ?? '';
}

async function addDevice(page: Page, hostname: string, sn: string, ip: string): Promise<void> {
  await page.getByTestId('device-add').click();
  const form = page.locator('[data-testid="device-form"][data-mode="add"]');
  await form.getByTestId('devform-hostname').fill(hostname);
  await form.getByTestId('devform-sn').fill(sn);
  await form.getByTestId('devform-mgmtIp').fill(ip);
  await form.getByTestId('devform-save').click();
  await expect(page.locator(`[data-testid="device-saved"][data-device-id="${hostname}"]`)).toBeVisible();
  await expect(page.locator(`[data-testid="rack-device"][data-device-id="${hostname}"]`)).toBeVisible();
}

test('operator: places from forms, devices added, moved and deleted, a non-empty cabinet kept, a room replaced by a previewed import', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, serve.tokens.operator, serve.url);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'operator');
  await goHash(page, '#/inventory');
  const panel = page.getByTestId('places-panel');
  await expect(panel.getByTestId('places-empty')).toBeVisible();

  // Site, room, row and cabinet, ids made from the parent and the name.
  await panel.getByTestId('place-add-site').click();
  await fillPlace(page, 'site', { name: 'DC East', city: 'Hangzhou' });
  await expect(page.locator('[data-testid="place-saved"][data-kind="site"]')).toContainText('Site DC East added.');
  await lineOf(page, 'site', 'DC East').getByTestId('place-add').click();
  await fillPlace(page, 'room', { name: 'Hall 1' });
  await expect(node(page, 'room', 'Hall 1')).toBeVisible();
  await lineOf(page, 'room', 'Hall 1').getByTestId('place-add').click();
  await fillPlace(page, 'row', { name: 'Row A' });
  await expect(node(page, 'row', 'Row A')).toBeVisible();
  await lineOf(page, 'row', 'Row A').getByTestId('place-add').click();
  // A height the contract refuses is said under its field; a rated power that is not a number before sending.
  await fillPlace(page, 'cabinet', { name: 'C01', uHeight: '0', ratedPowerKw: 'lots' });
  await expect(page.getByTestId('placeform-error-ratedPowerKw')).toContainText('must be a number');
  await fillPlace(page, 'cabinet', { ratedPowerKw: '8' });
  await expect(page.getByTestId('placeform-error-uHeight')).toBeVisible();
  await fillPlace(page, 'cabinet', { uHeight: '42' });
  await expect(node(page, 'cabinet', 'C01')).toBeVisible();
  const siteId = await idOf(page, 'site', 'DC East');
  const roomId = await idOf(page, 'room', 'Hall 1');
  const rowId = await idOf(page, 'row', 'Row A');
  const cabinetId = await idOf(page, 'cabinet', 'C01');
  expect([siteId, roomId, rowId, cabinetId]).toEqual(['dc-east', 'dc-east-hall-1', 'dc-east-hall-1-row-a', 'dc-east-hall-1-row-a-c01']);

  // The cabinet edited: renamed, taller.
  await lineOf(page, 'cabinet', 'C01').getByTestId('place-edit').click();
  await fillPlace(page, 'cabinet', { name: 'C1', uHeight: '44' });
  await expect(page.locator('[data-testid="place-saved"][data-kind="cabinet"]')).toContainText('Cabinet C1 saved.');
  await expect(lineOf(page, 'cabinet', 'C1').getByTestId('place-facts')).toContainText('44U');

  // An empty row added and deleted by its typed name.
  await lineOf(page, 'room', 'Hall 1').getByTestId('place-add').click();
  await fillPlace(page, 'row', { name: 'Row B' });
  await lineOf(page, 'row', 'Row B').getByTestId('place-delete').click();
  const confirm = page.getByTestId('place-delete-confirm');
  await confirm.getByTestId('confirm-input').fill('Row B');
  await confirm.getByTestId('confirm-submit').click();
  await expect(page.getByTestId('place-deleted')).toContainText('Row Row B deleted.');
  await expect(node(page, 'row', 'Row B')).toHaveCount(0);

  // Two devices from the device form on the elevation; no lab fault panel with the lab off.
  await lineOf(page, 'cabinet', 'C1').getByTestId('place-name').click();
  await expect(page.getByTestId('elevation-title')).toContainText('C1');
  await expect(page.getByTestId('rack')).toHaveAttribute('data-u-height', '44');
  await addDevice(page, 'web-01', 'SN-WEB-01', '127.99.0.1');
  await addDevice(page, 'web-02', 'SN-WEB-02', '127.99.0.2');
  await expect(page.getByTestId('fault-panel')).toHaveCount(0);

  // web-02 moved to U10 from its device page; web-01 deleted by its typed hostname.
  await page.locator('[data-testid="rack-device"][data-device-id="web-02"]').dblclick();
  await expect(page.getByTestId('device-view')).toHaveAttribute('data-device-id', 'web-02');
  await expect(page.getByTestId('fault-panel')).toHaveCount(0);
  await page.getByTestId('device-edit').click();
  await page.getByTestId('devform-uPosition').fill('10');
  await page.getByTestId('devform-save').click();
  await expect(page.locator('[data-testid="device-saved"][data-device-id="web-02"]')).toBeVisible();
  await goHash(page, '#/device/web-01');
  await expect(page.getByTestId('device-view')).toHaveAttribute('data-device-id', 'web-01');
  await page.getByTestId('device-delete').click();
  const devConfirm = page.getByTestId('device-delete-confirm');
  await devConfirm.getByTestId('confirm-input').fill('web-01');
  await devConfirm.getByTestId('confirm-submit').click();
  await expect(page.getByTestId('device-deleted')).toContainText('web-01');
  await expect(page.getByTestId('rack-device')).toHaveCount(1);
  await expect(page.locator('[data-testid="rack-device"][data-device-id="web-02"]')).toHaveAttribute('title', /U10–U10/);

  // The cabinet still holds a device: its delete is refused, in words.
  await goHash(page, '#/inventory');
  await expect(lineOf(page, 'cabinet', 'C1').getByTestId('place-facts')).toContainText('1 device');
  await lineOf(page, 'cabinet', 'C1').getByTestId('place-delete').click();
  await confirm.getByTestId('confirm-input').fill('C1');
  await confirm.getByTestId('confirm-submit').click();
  await expect(confirm.getByTestId('place-delete-error')).toContainText('Cabinet C1 still holds 1 device: empty it first, or replace it by an import');
  await shoot(page, 'places-not-empty-en');
  await confirm.getByTestId('confirm-cancel').click();
  await expect(node(page, 'cabinet', 'C1')).toBeVisible();

  // The room replaced by a file whose cabinet holds another device: previewed, then imported.
  const ids = { site: siteId, room: roomId, row: rowId, cabinet: cabinetId };
  const csv = hallFile(ids, { id: 'db-01', sn: 'SN-DB-01', u: 20, ip: '127.99.0.20' });
  await page.getByTestId('import-replace').selectOption(`room:${roomId}`);
  await expect(page.getByTestId('import-replace-note')).toContainText('DC East / Hall 1');
  await page.getByTestId('import-file').setInputFiles({ name: 'hall-1.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByTestId('import-preview-submit').click();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  await expect(preview.getByTestId('import-scope')).toContainText('Replacing everything under Room DC East / Hall 1');
  await expect(preview.getByTestId('change-devices')).toHaveAttribute('data-added', '1');
  await expect(preview.getByTestId('change-devices')).toHaveAttribute('data-deleted', '1');
  await expect(preview.getByTestId('change-cabinets')).toHaveAttribute('data-updated', '1');
  await expect(preview.getByTestId('deleted-record')).toHaveCount(1);
  await expect(preview.locator('[data-testid="deleted-record"][data-kind="device"][data-id="web-02"]')).toContainText('web-02');
  await shoot(page, 'places-import-preview-en');
  // Nothing written yet: the cabinet still holds web-02.
  await expect(lineOf(page, 'cabinet', 'C1').getByTestId('place-facts')).toContainText('1 device');
  await preview.getByTestId('import-confirm').click();
  const result = page.getByTestId('import-result');
  await expect(result).toBeVisible();
  await expect(result.getByTestId('change-devices')).toHaveAttribute('data-deleted', '1');
  await expect(result.locator('[data-testid="deleted-record"][data-id="web-02"]')).toBeVisible();
  await lineOf(page, 'cabinet', 'C1').getByTestId('place-name').click();
  await expect(page.getByTestId('rack-device')).toHaveCount(1);
  await expect(page.locator('[data-testid="rack-device"][data-device-id="db-01"]')).toBeVisible();

  // The room view offers "Add cabinet" into its row.
  await goHash(page, `#/room/${encodeURIComponent(roomId)}`);
  await page.getByTestId('room-add-cabinet').click();
  await expect(page.getByTestId('placeform-parent')).toHaveValue(rowId);
  await fillPlace(page, 'cabinet', { name: 'C2', ratedPowerKw: '6' });
  await expect(page.locator('[data-testid="cabinet-tile"]')).toHaveCount(2);
});

test('viewer: the places tree without controls', async ({ page }) => {
  await signIn(page, serve.tokens.viewer, serve.url);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');
  await goHash(page, '#/inventory');
  const panel = page.getByTestId('places-panel');
  await expect(panel.locator('[data-testid="place-node"][data-kind="cabinet"]')).toHaveCount(2);
  await expect(panel.getByTestId('place-role-note')).toBeVisible();
  for (const id of ['place-add-site', 'place-add', 'place-edit', 'place-delete']) await expect(panel.getByTestId(id)).toHaveCount(0);
  await expect(page.getByTestId('import-preview-submit')).toBeDisabled();
  await panel.locator('[data-testid="place-node"][data-kind="room"] [data-testid="place-name"]').first().click();
  await expect(page.getByTestId('cabinet-tile').first()).toBeVisible();
  await expect(page.getByTestId('room-add-cabinet')).toHaveCount(0);
});

test('admin: the audit lists the place changes and the import', async ({ page }) => {
  await signIn(page, serve.tokens.admin, serve.url);
  await page.getByTestId('nav-audit').click();
  await expect(page.getByTestId('audit-view')).toBeVisible();
  for (const action of ['inventory.putLocation', 'inventory.deleteLocation', 'inventory.import', 'inventory.putDevice', 'inventory.deleteDevice']) {
    await expect(page.locator(`[data-testid="audit-row"][data-action="${action}"]`).first()).toBeVisible();
  }
  const refused = page.locator('[data-testid="audit-row"][data-action="inventory.deleteLocation"]').filter({ hasText: 'C1' });
  await expect(refused.first()).toBeVisible();
  await expect(page.locator('[data-testid="audit-row"][data-action="inventory.import"]').filter({ hasText: 'preview only' }).first()).toBeVisible();
});

test('zh-CN: the places, their forms, a refused delete and a replacing import\'s preview speak Chinese', async ({ page }) => {
  test.setTimeout(60_000);
  const bad: Found[] = [];
  const client = await connect(serve.url, serve.tokens.operator);
  const doc = JSON.parse((await client.call('inventory.export', { format: 'json' })).text) as InventoryDocument;
  await client.close();
  const values = ['English', 'hall-2.csv', ...['viewer', 'operator', 'admin'].map((r) => `${r}@`)];
  for (const list of [doc.sites, doc.rooms, doc.rows, doc.cabinets, doc.devices]) {
    for (const record of list as readonly object[]) values.push(...Object.values(record).filter((v): v is string => typeof v === 'string'));
  }
  const data = dataMatcher(values);
  const site = doc.sites[0];
  const room = doc.rooms[0];
  const row = doc.rows[0];
  const cabinet = doc.cabinets.find((c) => c.name === 'C1')!;

  await openInChinese(page, serve.tokens.operator, serve.url);
  await goHash(page, '#/inventory');
  await expect(lineOf(page, 'cabinet', 'C1')).toBeVisible();
  await check(page, 'places', data, bad);
  // Each kind's form: a new site, room, row and cabinet, opened and cancelled.
  for (const [kind, at] of [['site', null], ['room', lineOf(page, 'site', site.name)], ['row', lineOf(page, 'room', room.name)], ['cabinet', lineOf(page, 'row', row.name)]] as const) {
    await (at ? at.getByTestId('place-add') : page.getByTestId('place-add-site')).click();
    await expect(page.locator(`[data-testid="place-form"][data-kind="${kind}"]`)).toBeVisible();
    await check(page, `place form (${kind})`, data, bad);
    await page.getByTestId('placeform-cancel').click();
  }
  // The cabinet made too short for its device: the core's issue, worded under the field; a number that is not one.
  await lineOf(page, 'cabinet', 'C1').getByTestId('place-edit').click();
  await fillPlace(page, 'cabinet', { uHeight: '10', ratedPowerKw: '八' });
  await expect(page.getByTestId('placeform-error-ratedPowerKw')).toContainText('必须是数字');
  await fillPlace(page, 'cabinet', { ratedPowerKw: '8' });
  await expect(page.locator('[data-testid="placeform-error-uHeight"] [data-code="cabinet-too-short"]')).toBeVisible();
  await check(page, 'place form refused', data, bad);
  await page.getByTestId('placeform-cancel').click();
  // The non-empty cabinet's delete, refused in words.
  await lineOf(page, 'cabinet', 'C1').getByTestId('place-delete').click();
  const confirm = page.getByTestId('place-delete-confirm');
  await confirm.getByTestId('confirm-input').fill('C1');
  await confirm.getByTestId('confirm-submit').click();
  await expect(confirm.getByTestId('place-delete-error')).toContainText('机柜 C1 仍有 1 台设备：请先清空，或通过导入替换它');
  await check(page, 'place delete refused', data, bad);
  await shoot(page, 'places-not-empty-zh-cn');
  await confirm.getByTestId('confirm-cancel').click();
  // A replacing import's preview (nothing written): what it adds, updates and deletes.
  const file = hallFile({ site: site.id, room: room.id, row: row.id, cabinet: cabinet.id }, { id: 'db-01', sn: 'SN-DB-01', u: 30, ip: '127.99.0.20' });
  await page.getByTestId('import-replace').selectOption(`room:${room.id}`);
  await page.getByTestId('import-file').setInputFiles({ name: 'hall-2.csv', mimeType: 'text/csv', buffer: Buffer.from(file, 'utf8') });
  await page.getByTestId('import-preview-submit').click();
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await check(page, 'import preview', data, bad);
  await shoot(page, 'places-import-preview-zh-cn');
  // The room view with its "Add cabinet".
  await goHash(page, `#/room/${encodeURIComponent(room.id)}`);
  await expect(page.getByTestId('room-add-cabinet')).toBeVisible();
  await check(page, 'room', data, bad);
  expectNoLatin(bad);
});
