// The 3D room in a browser without WebGL: Chromium launched with WebGL and the 3D APIs
// switched off (checked in the page: no webgl2 and no webgl context), #/room3d/<a lab room>
// shows the clear message and, in the canvas's place, the 2D room's cabinet tiles (every
// cabinet of the room, as inventory.cabinets lists them), no canvas; a tile opens the
// cabinet's elevation as in the 2D room. The same page in zh-CN holds no Latin word beyond
// the fleet's own names and the allow-list (zh-cn-check.ts).
import { expect, test } from '@playwright/test';
import type { InventoryDocument } from '../../src-shared/domain';
import { connect } from '../support/ws-client';
import { signIn } from './helpers';
import { check, dataMatcher, expectNoLatin, goHash, openInChinese, type Found } from './zh-cn-check';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();

test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-webgl', '--disable-3d-apis'] } });

// The spec has no DOM lib: the page's globals, typed just enough.
type PageGlobals = { document: { createElement(tag: 'canvas'): { getContext(kind: string): unknown } }; location: { hash: string } };

test('no WebGL: the 3D room says so and shows the room in 2D, without a canvas', async ({ page }) => {
  const client = await connect(serve.url, serve.tokens.viewer);
  let roomId: string;
  let roomName: string;
  let cabinetIds: string[];
  try {
    const overview = await client.call('fleet.overview', undefined);
    const room = overview.sites.flatMap((s) => s.rooms).find((r) => r.devices > 0);
    if (!room) throw new Error('no lab room with devices');
    roomId = room.id;
    roomName = room.name;
    cabinetIds = (await client.call('inventory.cabinets', { roomId })).map((c) => c.id);
  } finally {
    await client.close();
  }
  expect(cabinetIds.length).toBeGreaterThan(0);

  await signIn(page, serve.tokens.viewer);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');
  // This browser really has no WebGL, else the test proves nothing.
  const contexts = await page.evaluate(() => {
    const c = (globalThis as unknown as PageGlobals).document.createElement('canvas');
    return { webgl2: c.getContext('webgl2') !== null, webgl: c.getContext('webgl') !== null };
  });
  expect(contexts).toEqual({ webgl2: false, webgl: false });

  await page.evaluate((h) => ((globalThis as unknown as PageGlobals).location.hash = h), `#/room3d/${encodeURIComponent(roomId)}`);
  await expect(page.getByTestId('room3d')).toHaveAttribute('data-room-id', roomId);
  const message = page.getByTestId('room3d-no-webgl');
  await expect(message).toBeVisible();
  await expect(message).toContainText('WebGL is not available');
  await expect(page.getByTestId('room3d-title')).toContainText(roomName);
  // The 2D room inline: every cabinet of the room as a tile, grouped in rows.
  const flat = page.getByTestId('room3d-flat');
  await expect(flat.getByTestId('cabinet-tile')).toHaveCount(cabinetIds.length);
  await expect(flat.getByTestId('row-group').first()).toBeVisible();
  const shown = await flat.getByTestId('cabinet-tile').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { cabinetId?: string } }).dataset.cabinetId ?? ''));
  expect(new Set(shown)).toEqual(new Set(cabinetIds));
  await expect(page.locator('canvas')).toHaveCount(0);
  await expect(page.getByTestId('room3d-stage')).toHaveCount(0);

  // A tile opens its cabinet, as in the 2D room.
  const first = flat.locator('[data-testid="cabinet-tile"]:not([data-devices="0"])').first();
  const cabinetId = (await first.getAttribute('data-cabinet-id')) ?? '';
  await first.click();
  await expect(page).toHaveURL(new RegExp(`#/cabinet/${cabinetId}`));
  await expect(page.getByTestId('elevation')).toBeVisible();
});

test('no WebGL, in zh-CN: the message and the 2D room speak Chinese', async ({ page }) => {
  const client = await connect(serve.url, serve.tokens.viewer);
  let inventory: InventoryDocument;
  try {
    inventory = JSON.parse((await client.call('inventory.export', { format: 'json' })).text) as InventoryDocument;
  } finally {
    await client.close();
  }
  // The fleet's own names (rooms, rows, cabinets...) are data, not UI text; 'English' is the language switch.
  const values: string[] = ['English', 'viewer@'];
  for (const list of [inventory.sites, inventory.rooms, inventory.rows, inventory.cabinets]) {
    for (const record of list as readonly object[]) values.push(...Object.values(record).filter((v): v is string => typeof v === 'string'));
  }
  const room = inventory.rooms[0];
  if (!room) throw new Error('no lab room');
  await openInChinese(page, serve.tokens.viewer, serve.url);
  await goHash(page, `#/room3d/${encodeURIComponent(room.id)}`);
  await expect(page.getByTestId('room3d-no-webgl')).toContainText('WebGL 不可用');
  await expect(page.getByTestId('room3d-flat').getByTestId('cabinet-tile').first()).toBeVisible();
  const bad: Found[] = [];
  await check(page, 'room3d (no WebGL)', dataMatcher(values), bad);
  expectNoLatin(bad);
});
