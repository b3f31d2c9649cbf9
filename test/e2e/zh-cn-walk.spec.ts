// zh-CN end to end: signed in with the language switched to 中文, walk every view (overview
// with its events strip, a room, a cabinet elevation with the lab panel, a device page with
// its BMC read, the run view, the inventory view, the agents page) and two error states (a dead device's BMC
// as an operator, a viewer's pages without the controls it cannot use). On each, every
// visible text node is collected and any Latin word that is neither the fleet's own data
// (hostnames, SN, IPs, ids, site/room/row/cabinet names, the BMC's sensor names: read from
// the API) nor on the small allow-list (units, protocol names, the brand) fails the test.
// The overview is saved as a screenshot, and a CJK font must render it (the shipped one where
// the system has none).
// The admin pages too: the credentials with the form open for each kind, and the audit (its
// records' action, target and detail are the trail's data, as the core wrote them). Read
// only: nothing is saved in the shared instance. The 3D room (every colour mode's legend, the
// tooltip, a selection with a device landed on), the elevation's Locate control (off and
// counting down; stopped again), a cabinet's and a row's label sheet and the scan page (with
// an SN that is not found), as an operator. (The place forms, a place's refused delete
// and a replacing import's preview are walked in zh-CN by places.spec.ts on its own instance.)
import { expect, test, type Page } from '@playwright/test';
import { CREDENTIAL_KINDS, type InventoryDocument } from '../../src-shared/domain';
import { connect, type TestClient } from '../support/ws-client';
import { shoot } from './helpers';
import { check, dataMatcher, expectNoLatin, goHash, openInChinese, type Found } from './zh-cn-check';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();
const CJK_FAMILY = 'Noto Sans SC Variable';

let operator: TestClient;
let data: RegExp;
const dataValues: string[] = [];
let inventory: InventoryDocument;

test.beforeAll(async () => {
  operator = await connect(serve.url, serve.tokens.operator);
  inventory = JSON.parse((await operator.call('inventory.export', { format: 'json' })).text) as InventoryDocument;
  // Every string the inventory holds for its records (names, cities, hostnames, SN, IPs, ids).
  const values: string[] = ['English']; // the language switch names the other language in its own words
  for (const list of [inventory.sites, inventory.rooms, inventory.rows, inventory.cabinets, inventory.devices]) {
    for (const record of list as readonly object[]) values.push(...Object.values(record).filter((v): v is string => typeof v === 'string'));
  }
  // The session's actor id (role@address, as serve mode names a token's session) is an id too.
  values.push(...['viewer', 'operator', 'admin'].map((r) => `${r}@`));
  // The BMC's own sensor names (like hostnames, its data): read from the first server's BMC.
  const server = inventory.devices.find((d) => d.kind === 'server' && d.bmcAddress);
  if (server) {
    const bmc = await operator.call('device.bmc', { deviceId: server.id });
    for (const s of bmc.sensors) values.push(s.name);
    for (const e of bmc.sel) values.push(e.sensor);
  }
  dataValues.push(...values);
  data = dataMatcher(dataValues);
});

/** Adds the open device's interface names (its own data, like hostnames) to the data. */
async function addInterfaceNames(page: Page): Promise<void> {
  const deviceId = (await page.getByTestId('device-view').getAttribute('data-device-id')) ?? '';
  const detail = await operator.call('device.detail', { deviceId });
  dataValues.push(...detail.interfaces.map((i) => i.name));
  data = dataMatcher(dataValues);
}

/** Interface names in the events strip (other specs take links down) are the devices' data too. */
async function addEventInterfaceNames(): Promise<void> {
  const events = await operator.call('events.recent', { limit: 500 });
  for (const e of events) if (e.code === 'interface.changed' && typeof e.params?.name === 'string') dataValues.push(e.params.name);
  data = dataMatcher(dataValues);
}

test.afterAll(async () => {
  await operator?.close();
});

test('zh-CN: every view as a viewer speaks Chinese, in a CJK font (the system\'s or the shipped one)', async ({ page }) => {
  test.setTimeout(240_000);
  const bad: Found[] = [];
  await openInChinese(page, serve.tokens.viewer, serve.url);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');

  // Overview with the events strip, once the first polls have landed.
  await expect.poll(async () => Number(await page.getByTestId('total-answering').getAttribute('data-value')), { timeout: 150_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('events-strip')).toBeVisible();
  await addEventInterfaceNames();
  await check(page, 'overview', data, bad);
  // A CJK font renders the Chinese, as Chromium reports for the overview's heading (CDP's
  // platform fonts): the system's when it has one (styles.css puts it first), else the shipped
  // Noto Sans SC, of which only the slices on screen were fetched.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'main h1' });
  const { fonts: used } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  const font = await page.evaluate(async (family) => {
    const fonts = (globalThis as unknown as { document: { fonts: any } }).document.fonts; // eslint-disable-line @typescript-eslint/no-explicit-any
    await fonts.ready;
    const faces = [...fonts].filter((f: { family: string }) => f.family.replace(/["']/g, '') === family);
    return {
      faces: faces.length,
      loaded: faces.filter((f: { status: string }) => f.status === 'loaded').length,
      check: fonts.check(`16px "${family}"`, '机队总览中文'),
    };
  }, CJK_FAMILY);
  await shoot(page, 'overview-zh-cn');
  const cjk = used.filter((f) => /Noto Sans (CJK )?SC|PingFang|YaHei|WenQuanYi|Source Han/i.test(f.familyName));
  expect(cjk.map((f) => f.familyName), `fonts rendering the heading: ${JSON.stringify(used)}`).not.toHaveLength(0);
  expect(font.faces).toBeGreaterThan(90);
  if (cjk.some((f) => f.isCustomFont)) {
    expect(font.loaded).toBeGreaterThan(0);
    expect(font.loaded).toBeLessThan(font.faces); // only the slices on screen were fetched
    expect(font.check).toBe(true);
  } else {
    expect(font.loaded).toBe(0); // a system CJK font: none of the shipped slices was fetched
  }

  // A room, then a cabinet elevation with a device selected: the lab panel offers a viewer no buttons.
  await page.getByTestId('room-row').first().click();
  await expect(page.getByTestId('cabinet-tile').first()).toBeVisible();
  await check(page, 'room', data, bad);
  await page.locator('[data-testid="cabinet-tile"]:not([data-devices="0"])').first().click();
  await expect(page.getByTestId('rack-device').first()).toBeVisible();
  const server = page.locator('[data-testid="rack-device"][data-kind="server"]').first();
  await server.click();
  await expect(page.getByTestId('device-details')).toBeVisible();
  await expect(page.getByTestId('fault-kill')).toHaveCount(0);
  await expect(page.getByTestId('fault-trip-pdu')).toHaveCount(0);
  await expect(page.getByTestId('fault-role-note')).toContainText('操作员');
  await check(page, 'elevation', data, bad);

  // The device page with its BMC read: no power controls for a viewer.
  await page.getByTestId('open-device').click();
  await expect(page.getByTestId('device-hostname')).toBeVisible();
  await expect(page.getByTestId('control-role-note')).toBeVisible();
  await expect(page.getByTestId('power-off')).toHaveCount(0);
  await page.getByTestId('bmc-load').click();
  await expect(page.getByTestId('bmc-section')).toHaveAttribute('data-state', 'loaded');
  await expect(page.getByTestId('bmc-sensor-type').first()).not.toHaveText(/[A-Za-z]/);
  await addInterfaceNames(page);
  await check(page, 'device', data, bad);
  await shoot(page, 'device-zh-cn');

  // The run view (a viewer sees it disabled with the role note) and the inventory view.
  await goHash(page, '#/run');
  await expect(page.getByTestId('run-view')).toBeVisible();
  await check(page, 'run', data, bad);
  await goHash(page, '#/inventory');
  await expect(page.getByTestId('inventory-title')).toBeVisible();
  await check(page, 'inventory', data, bad);

  // The agents page: the console's identity (its fingerprint is data, like a host key's) and
  // whatever agents the shared instance holds (their ids, hosts, versions and actors are data).
  const agentsIdentity = await operator.call('agents.identity', undefined);
  const agents = await operator.call('agents.list', undefined);
  dataValues.push(agentsIdentity.fingerprint256, ...agents.flatMap((a) => [a.id, a.hostname ?? '', a.deviceId ?? '', a.version ?? '', a.enrolledBy, a.revokedBy ?? '']));
  data = dataMatcher(dataValues);
  await goHash(page, '#/agents');
  await expect(page.getByTestId('agents-fingerprint')).toHaveText(agentsIdentity.fingerprint256);
  await expect(page.getByTestId('agents-empty').or(page.getByTestId('agents-table'))).toBeVisible();
  await check(page, 'agents', data, bad);

  expectNoLatin(bad);
});

test('zh-CN: a dead device\'s BMC and a run, as an operator, in words', async ({ page }) => {
  test.setTimeout(240_000);
  const bad: Found[] = [];
  const victim = inventory.devices.filter((d) => d.kind === 'server' && d.bmcAddress && !d.sshCredential).at(-1)!;
  const sshHost = inventory.devices.find((d) => d.sshCredential)!;
  await operator.call('lab.fault', { kind: 'kill-device', deviceId: victim.id });
  try {
    await openInChinese(page, serve.tokens.operator, serve.url);
    await goHash(page, `#/device/${victim.id}`);
    await expect(page.getByTestId('device-hostname')).toHaveText(victim.hostname);
    await page.getByTestId('bmc-load').click();
    const error = page.getByTestId('bmc-error');
    await expect(error).toBeVisible();
    await expect(error).toHaveAttribute('data-code', 'UNAVAILABLE');
    // The headline and the text in words; the class name only under the folded details.
    await expect(error.locator('.banner-headline')).toHaveText('不可用');
    await expect(error.getByTestId('banner-details')).not.toHaveAttribute('open', /.*/);
    await check(page, 'dead device', data, bad);
    await shoot(page, 'device-bmc-no-answer-zh-cn');

    // A run on one SSH host: results and totals in words.
    await goHash(page, '#/run');
    await expect(page.getByTestId('run-view')).toBeVisible();
    const room = inventory.rooms.find((r) => inventory.rows.some((row) => row.roomId === r.id && inventory.cabinets.some((c) => c.rowId === row.id && c.id === sshHost.cabinetId)))!;
    await page.getByTestId('run-room').selectOption(room.id);
    await page.getByTestId('run-cabinet').selectOption(sshHost.cabinetId);
    await expect(page.getByTestId('run-candidate').first()).toBeVisible();
    await page.getByTestId('run-command').fill('true');
    await page.getByTestId('run-start').click();
    await expect(page.getByTestId('run-finished')).toBeVisible({ timeout: 60_000 });
    await check(page, 'run finished', data, bad);
  } finally {
    await operator.call('lab.fault', { kind: 'revive-device', deviceId: victim.id });
  }
  expectNoLatin(bad);
});

test('zh-CN: the admin pages (credentials with a form open, the audit) in words', async ({ page }) => {
  test.setTimeout(120_000);
  const bad: Found[] = [];
  // The stored credentials' ids and names are the operators' data, like hostnames.
  const admin = await connect(serve.url, serve.tokens.admin);
  try {
    for (const c of await admin.call('credentials.list', undefined)) dataValues.push(c.id, c.name);
  } finally {
    await admin.close();
  }
  data = dataMatcher(dataValues);
  await openInChinese(page, serve.tokens.admin, serve.url);
  await goHash(page, '#/credentials');
  await expect(page.getByTestId('credentials-view')).toBeVisible();
  await expect(page.getByTestId('cred-new')).toBeVisible();
  await check(page, 'credentials', data, bad);
  await page.getByTestId('cred-new').click();
  await expect(page.getByTestId('cred-form')).toBeVisible();
  for (const kind of CREDENTIAL_KINDS) {
    await page.getByTestId('cred-kind').selectOption(kind);
    await expect(page.getByTestId('cred-form')).toHaveAttribute('data-kind', kind);
    await check(page, `credential form (${kind})`, data, bad);
  }
  await page.getByTestId('cred-cancel').click();
  await expect(page.getByTestId('cred-form')).toHaveCount(0);

  await goHash(page, '#/audit');
  await expect(page.getByTestId('audit-view')).toBeVisible();
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  // The trail's own records: who (the actor: a session's transport and address), the action, the target, the detail.
  const records = ['[data-testid="audit-row"] td:nth-child(2)', '[data-testid="audit-row"] td:nth-child(4)', '[data-testid="audit-target"]', '[data-testid="audit-row"] td:nth-child(7)'];
  await check(page, 'audit', data, bad, records);
  await shoot(page, 'admin-audit-zh-cn');
  expectNoLatin(bad);
});

const ROOM3D_MODES = ['status', 'power', 'inlet', 'feed', 'alarms'] as const;
type Room3dHook = { frames: number; flying: boolean; project(id: string): { x: number; y: number } | null };

test('zh-CN: the 3D room, Locate on the elevation, the label sheets and the scan page, as an operator', async ({ page }) => {
  test.setTimeout(240_000);
  const bad: Found[] = [];
  // A server with a BMC halfway down the inventory (away from the other specs' targets), its cabinet, row and room.
  const servers = inventory.devices.filter((d) => d.kind === 'server' && d.bmcAddress);
  const server = servers[Math.floor(servers.length / 2)]!;
  const cabinet = inventory.cabinets.find((c) => c.id === server.cabinetId)!;
  const row = inventory.rows.find((r) => r.id === cabinet.rowId)!;
  const notFound = 'NOSUCH-SN-0001';
  dataValues.push(notFound);
  data = dataMatcher(dataValues);
  const hook = () => page.evaluate(() => {
    const h = (globalThis as unknown as { __room3d?: Room3dHook }).__room3d;
    return h ? { frames: h.frames, flying: h.flying } : null;
  });
  const settled = async () => {
    await expect.poll(async () => (await hook())?.frames ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await hook())?.flying ?? true, { timeout: 10_000 }).toBe(false);
  };
  await openInChinese(page, serve.tokens.operator, serve.url);
  await page.setViewportSize({ width: 1280, height: 800 });
  try {
    // The 3D room: each colour mode with its legend.
    await goHash(page, `#/room3d/${encodeURIComponent(row.roomId)}`);
    await expect(page.getByTestId('room3d-stage')).toBeVisible();
    await settled();
    for (const m of ROOM3D_MODES) {
      await page.getByTestId(`room3d-mode-${m}`).click();
      await expect(page.getByTestId('room3d-legend')).toHaveAttribute('data-mode', m);
      await check(page, `room3d (${m})`, data, bad);
    }
    await page.getByTestId('room3d-mode-status').click();
    // A cabinet flown to with a device landed on (the side panel), then the tooltip over it.
    await goHash(page, `#/room3d/${encodeURIComponent(row.roomId)}?cabinet=${encodeURIComponent(cabinet.id)}&device=${encodeURIComponent(server.id)}`);
    await expect(page.getByTestId('room3d-landed')).toHaveAttribute('data-device-id', server.id);
    await settled();
    const at = await page.evaluate((id) => (globalThis as unknown as { __room3d?: Room3dHook }).__room3d?.project(id) ?? null, cabinet.id);
    const box = await page.getByTestId('room3d-stage').boundingBox();
    if (!at || !box) throw new Error('the cabinet is not on screen');
    await page.mouse.move(box.x + at.x, box.y + at.y);
    await expect(page.getByTestId('room3d-tooltip')).toBeVisible();
    await check(page, 'room3d (selected, tooltip)', data, bad);
    await page.mouse.move(0, 0);

    // The elevation with the server selected: Locate, then its countdown, then stopped.
    await goHash(page, `#/cabinet/${encodeURIComponent(cabinet.id)}?device=${encodeURIComponent(server.id)}`);
    await expect(page.getByTestId('device-details')).toHaveAttribute('data-device-id', server.id);
    await expect(page.getByTestId('locate-start')).toBeVisible();
    await check(page, 'elevation (operator, Locate)', data, bad);
    await page.getByTestId('locate-minutes').selectOption('1');
    await page.getByTestId('locate-start').click();
    await expect(page.getByTestId('locate-countdown')).toBeVisible();
    await expect(page.getByTestId('locate-countdown')).toContainText('识别灯');
    await check(page, 'elevation (Locate on)', data, bad);
    await page.getByTestId('locate-stop').click();
    await expect(page.getByTestId('locate-countdown')).toHaveCount(0);

    // The label sheets of the cabinet and of its row.
    await goHash(page, `#/labels/cabinet/${encodeURIComponent(cabinet.id)}`);
    await expect(page.getByTestId('label-sheet')).toHaveAttribute('data-ready', 'true');
    await expect(page.locator(`[data-testid="label"][data-device-id="${server.id}"]`)).toContainText(`序列号 ${server.sn}`);
    await check(page, 'labels (cabinet)', data, bad);
    await goHash(page, `#/labels/row/${encodeURIComponent(row.id)}`);
    await expect(page.getByTestId('label-sheet')).toHaveAttribute('data-scope', 'row');
    await expect(page.getByTestId('label-sheet')).toHaveAttribute('data-ready', 'true');
    await check(page, 'labels (row)', data, bad);

    // The scan page, and an SN no device has.
    await goHash(page, '#/scan');
    await expect(page.getByTestId('scan-view')).toBeVisible();
    await check(page, 'scan', data, bad);
    await page.getByTestId('scan-input').fill(notFound);
    await page.getByTestId('scan-submit').click();
    await expect(page.getByTestId('scan-not-found')).toContainText(notFound);
    await check(page, 'scan (not found)', data, bad);
  } finally {
    await operator.call('device.identify', { deviceId: server.id, seconds: 0 });
  }
  expectNoLatin(bad);
});
