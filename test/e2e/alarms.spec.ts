// Alarms on the shared lab serve instance, through the UI: as admin, a rule's bad webhook is
// refused next to its field; two rules (device.status unreachable, pdu.power_w < 1; at once,
// critical) on one lab cabinet; trip that cabinet's PDU from the lab fault panel: the PDU's
// alarm is a root with the cabinet's device alarms grouped under it (collapsed, count shown,
// expandable), the shell announces them and its badge counts the roots on every view;
// acknowledge one (an empty comment is refused), it shows acknowledged with the comment, and
// its history has the acknowledgement; the device page lists it; the alarms view in zh-CN has no
// Latin UI text; the 3D room's alarms mode draws the cabinet in the critical colour; a
// maintenance window (added from the view) masks the alarms: dimmed with the window, out of
// the badge, the cabinet neutral in the room; ending it unmasks them; restore the PDU: the
// alarms resolve and the badge drops back. The rule is deleted at the end so other specs see none.
import { expect, test, type Page } from '@playwright/test';
import { connect } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { readServeInfo } from './serve-info';
import { check, dataMatcher, expectNoLatin, type Found } from './zh-cn-check';

const serve = readServeInfo();
const badge = (page: Page) => page.getByTestId('alarm-badge');
const badgeCount = async (page: Page) => Number(await badge(page).getAttribute('data-count'));

// The 3D room's test hook (see room3d.spec.ts), typed just enough.
type Hook = { frames: number; flying: boolean; project(id: string): { x: number; y: number } | null; pixelAt(x: number, y: number): number[] };
type W = { __room3d?: Hook };
async function cabinetPixel(page: Page, id: string): Promise<number[]> {
  return page.evaluate((c) => {
    const h = (globalThis as unknown as W).__room3d;
    const p = h?.project(c);
    return h && p ? h.pixelAt(p.x, p.y) : [-1, -1, -1, -1];
  }, id);
}
async function openRoomAt(page: Page, roomId: string, cabinetId: string): Promise<void> {
  await page.goto(`${serve.url}#/room3d/${encodeURIComponent(roomId)}?cabinet=${encodeURIComponent(cabinetId)}`);
  await expect(page.getByTestId('room3d-stage')).toHaveAttribute('data-selected', cabinetId);
  await expect.poll(() => page.evaluate(() => Boolean((globalThis as unknown as W).__room3d?.frames)), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as W).__room3d?.flying ?? true), { timeout: 10_000 }).toBe(false);
  await page.getByTestId('room3d-mode-alarms').click();
  await expect(page.getByTestId('room3d-legend')).toHaveAttribute('data-mode', 'alarms');
}
const red = (p: number[]) => (p[0] ?? 0) > 60 && (p[0] ?? 0) > (p[1] ?? 0) * 1.8;
const grey = (p: number[]) => (p[0] ?? 0) > 60 && Math.abs((p[0] ?? 0) - (p[1] ?? 0)) < 30 && Math.abs((p[1] ?? 0) - (p[2] ?? 0)) < 30;

test('alarms: rules from the UI, a tripped PDU raises one root with the cabinet grouped under it and the badge, acknowledge with a comment, restore resolves', async ({ page }) => {
  test.setTimeout(300_000);
  const admin = await connect(serve.url, serve.tokens.admin);
  let roomId = '';
  let cabinetId = '';
  let deviceId = '';
  const ruleIds: string[] = [];
  let windowId = '';
  let tripped = false;
  try {
    // A cabinet with PDUs and servers (a ToR too where there is one), all answering, in the last room with devices (away from the other specs' first-room cabinets).
    const overview = await admin.call('fleet.overview', undefined);
    roomId = overview.sites.flatMap((s) => s.rooms).filter((r) => r.devices > 0).at(-1)?.id ?? '';
    const layout = await admin.call('inventory.roomLayout', { roomId });
    await expect.poll(async () => (await admin.call('fleet.roomReadings', { roomId })).cabinets.filter((c) => c.worst === 'up').length, { timeout: 60_000 }).toBeGreaterThan(0);
    const readings = await admin.call('fleet.roomReadings', { roomId });
    const up = [...readings.cabinets.filter((c) => c.worst === 'up').map((c) => c.cabinetId)].reverse();
    const kindsOf = (id: string) => new Set(layout.devices.filter((d) => d.cabinetId === id).map((d) => d.kind));
    cabinetId = up.find((id) => ['pdu', 'server', 'switch'].every((k) => kindsOf(id).has(k as never))) ?? up.find((id) => kindsOf(id).has('pdu') && kindsOf(id).has('server')) ?? '';
    deviceId = layout.devices.find((d) => d.cabinetId === cabinetId && d.kind === 'server')?.id ?? '';
    expect(cabinetId).not.toBe('');
    const servers = layout.devices.filter((d) => d.cabinetId === cabinetId && d.kind === 'server').length;

    await signIn(page, serve.tokens.admin);
    await expect(page.getByTestId('nav-alarms')).toBeVisible();
    await page.getByTestId('nav-alarms').click();
    await expect(page.getByTestId('alarms-view')).toBeVisible();
    await expect(page.getByTestId('alarm-active')).not.toContainText('Loading');
    const before = await badgeCount(page);

    // Two rules from the form, on the cabinet, at once, critical: its devices unreachable, its PDUs dark.
    // A webhook that is not http(s) is refused by the core, shown at the field.
    const name = `E2E unreachable ${cabinetId}`;
    const pduName = `E2E PDU dark ${cabinetId}`;
    const form = page.getByTestId('alarm-rule-form');
    const fillCommon = async (n: string) => {
      await page.getByTestId('alarm-rule-add').click();
      await form.getByTestId('rule-name').fill(n);
      await form.getByTestId('rule-for').fill('0');
      await form.getByTestId('rule-severity').selectOption('critical');
      await form.getByTestId('rule-cabinets').fill(cabinetId);
    };
    const saved = async (n: string) => {
      await expect(page.getByTestId('alarm-rule-form')).toHaveCount(0);
      const ruleRow = page.getByTestId('alarm-rule').filter({ hasText: n });
      await expect(ruleRow).toBeVisible();
      await expect(ruleRow).toContainText(cabinetId);
      const id = (await ruleRow.getAttribute('data-rule-id')) ?? '';
      expect(id).not.toBe('');
      ruleIds.push(id);
      return id;
    };
    await fillCommon(name);
    await form.getByTestId('rule-kind').selectOption('state');
    await form.getByTestId('rule-state').fill('device.status');
    await form.getByTestId('rule-equals').fill('unreachable');
    await form.getByTestId('rule-webhook').fill('ftp://example.invalid/hook');
    await form.getByTestId('rule-save').click();
    await expect(form.getByTestId('alarm-rule-error-webhook')).toBeVisible();
    await form.getByTestId('rule-webhook').fill('');
    await form.getByTestId('rule-save').click();
    const ruleId = await saved(name);
    await fillCommon(pduName);
    await form.getByTestId('rule-kind').selectOption('metric');
    await form.getByTestId('rule-metric').fill('pdu.power_w');
    await form.getByTestId('rule-op').selectOption('<');
    await form.getByTestId('rule-value').fill('1');
    await form.getByTestId('rule-save').click();
    const pduRuleId = await saved(pduName);
    // Edit opens the form on the rule as it is.
    await page.locator(`[data-testid="alarm-rule"][data-rule-id="${pduRuleId}"]`).getByTestId('alarm-rule-edit').click();
    await expect(form.getByTestId('rule-name')).toHaveValue(pduName);
    await expect(form.getByTestId('rule-kind')).toHaveValue('metric');
    await expect(form.getByTestId('rule-value')).toHaveValue('1');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(form).toHaveCount(0);

    // Trip the cabinet's PDU from the lab fault panel on its elevation.
    await page.goto(`${serve.url}#/cabinet/${encodeURIComponent(cabinetId)}`);
    await expect(page.getByTestId('elevation')).toBeVisible();
    await page.getByTestId('fault-trip-pdu').click();
    await expect(page.getByTestId('fault-result')).toBeVisible();
    tripped = true;
    // The badge counts them on this view too.
    await expect.poll(() => badgeCount(page), { timeout: 90_000 }).toBeGreaterThan(before);
    await expect(badge(page)).toBeVisible();

    // The shell announces the new alarms on this view; its link opens the alarms view (and the notice goes).
    await expect(page.getByTestId('alarm-notice')).toBeVisible();
    await expect(page.getByTestId('alarm-notice-item').first()).toBeVisible();
    await page.getByTestId('alarm-notice-open').click();
    await expect(page.getByTestId('alarms-view')).toBeVisible();
    await expect(page.getByTestId('alarm-notice')).toHaveCount(0);

    // Roots first: the PDU's alarm heads the devices behind it (collapsed, with their count; expanding shows them).
    const mine = page.locator(`[data-testid="alarm-row"][data-rule-id="${pduRuleId}"]`);
    await expect(mine.first()).toBeVisible({ timeout: 90_000 });
    await expect(mine.first()).toHaveAttribute('data-state', 'firing');
    await expect(mine.first().getByTestId('alarm-severity')).toHaveAttribute('data-severity', 'critical');
    const toggle = page.locator(`[data-testid="alarm-row"][data-rule-id="${pduRuleId}"] [data-testid="alarm-group-toggle"]`);
    await expect.poll(async () => Number((await toggle.first().getAttribute('data-count').catch(() => '0')) ?? 0), { timeout: 60_000 }).toBeGreaterThanOrEqual(servers);
    // A whole-cabinet trip darkens both feeds: still one root (the other PDU's alarm is grouped under it).
    await expect(mine).toHaveCount(1);
    const grouped = Number(await toggle.first().getAttribute('data-count'));
    await expect(page.getByTestId('alarm-member')).toHaveCount(0);
    await toggle.first().click();
    await expect(page.getByTestId('alarm-member')).toHaveCount(grouped);
    await expect(page.locator(`[data-testid="alarm-member"][data-rule-id="${ruleId}"]`).first()).toBeVisible();
    // The badge counts what the list shows as roots: a tripped PDU is not one alarm per server.
    const roots = await page.locator('[data-testid="alarm-row"][data-state="firing"][data-masked="no"]').count();
    await expect.poll(() => badgeCount(page)).toBe(roots);
    const rows = await page.locator(`[data-rule-id="${ruleId}"][data-state="firing"], [data-rule-id="${pduRuleId}"][data-state="firing"]`).count();
    console.log(`alarms: ${rows} firing alarms of the rules on ${cabinetId}, ${roots} roots, ${grouped} grouped under the first PDU's; badge ${before} -> ${await badgeCount(page)} (title: ${await badge(page).getAttribute('title')})`);
    await shoot(page, 'alarms-firing');

    // Acknowledge the first with a comment (an empty one is refused by the form).
    const first = mine.first();
    const alarmId = (await first.getAttribute('data-alarm-id')) ?? '';
    const row = page.locator(`[data-testid="alarm-row"][data-alarm-id="${alarmId}"]`);
    await row.getByTestId('alarm-ack').click();
    await row.getByTestId('alarm-ack-submit').click();
    await expect(row.getByTestId('alarm-ack-required')).toBeVisible();
    const comment = `breaker checked by e2e ${Date.now()}`;
    await row.getByTestId('alarm-ack-comment-input').fill(comment);
    await row.getByTestId('alarm-ack-submit').click();
    await expect(row.getByTestId('alarm-state')).toHaveAttribute('data-acked', 'yes');
    await expect(row.getByTestId('alarm-ack-comment')).toHaveText(comment);
    await expect(row.getByTestId('alarm-ack')).toHaveCount(0);
    await row.getByTestId('alarm-history-toggle').click();
    await expect(page.getByTestId('alarm-history').locator('[data-kind="acked"]')).toContainText(comment);
    await expect(page.getByTestId('alarm-history').locator('[data-kind="fired"]')).toHaveCount(1);
    await shoot(page, 'alarms-acknowledged');

    // The alarmed device's page lists its alarm.
    const objectId = (await row.getAttribute('data-object-id')) ?? deviceId;
    await page.goto(`${serve.url}#/device/${encodeURIComponent(objectId)}`);
    await expect(page.locator(`[data-testid="device-alarm"][data-alarm-id="${alarmId}"]`)).toBeVisible();
    await expect(page.locator(`[data-testid="device-alarm"][data-alarm-id="${alarmId}"]`).getByTestId('alarm-state')).toHaveAttribute('data-acked', 'yes');
    await expect(badge(page)).toHaveAttribute('data-count', /[1-9]/);

    // The alarms view in zh-CN: every UI word Chinese (ids, names, the comment and the actor are data).
    await page.getByTestId('nav-alarms').click();
    await expect(page.locator(`[data-testid="alarm-row"][data-alarm-id="${alarmId}"]`)).toBeVisible();
    await page.getByTestId('lang-zh-CN').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    const ids = await page.locator('[data-object-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-object-id') ?? ''));
    const bad: Found[] = [];
    // With the rule and window forms open too.
    await page.getByTestId('alarm-rule-add').click();
    await page.getByTestId('alarm-window-add').click();
    await expect(page.getByTestId('alarm-window-form')).toBeVisible();
    await check(page, 'alarms', dataMatcher([...ids, name, pduName, ...ruleIds, cabinetId, comment, admin.actor, 'admin@127.0.0.1']), bad, ['[data-testid="lang-switch"]']);
    // The CJK font's slices load as text needs them: wait for them before the screenshot.
    await page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready.then(() => undefined));
    await shoot(page, 'alarms-zh-cn');
    await page.getByTestId('lang-en').click();
    await page.getByTestId('alarm-rule-form').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('alarm-window-form').getByRole('button', { name: 'Cancel' }).click();
    expectNoLatin(bad);

    // The 3D room's alarms mode: the cabinet in the critical colour.
    await openRoomAt(page, roomId, cabinetId);
    await expect.poll(async () => red(await cabinetPixel(page, cabinetId)), { timeout: 30_000, intervals: [500] }).toBe(true);
    console.log(`alarms: room pixel ${(await cabinetPixel(page, cabinetId)).join(',')} (critical)`);

    // A maintenance window on the cabinet, from the view: its alarms masked (dimmed, with the window), out of the badge.
    await page.getByTestId('nav-alarms').click();
    await page.getByTestId('alarm-window-add').click();
    await page.getByTestId('window-cabinets').fill(cabinetId);
    await page.getByTestId('window-minutes').fill('30');
    await page.getByTestId('window-reason').fill('e2e rewiring');
    await page.getByTestId('window-save').click();
    const win = page.getByTestId('alarm-window').filter({ hasText: 'e2e rewiring' });
    await expect(win).toHaveAttribute('data-active', 'yes');
    windowId = (await win.getAttribute('data-window-id')) ?? '';
    await expect(page.locator(`[data-testid="alarm-row"][data-rule-id="${pduRuleId}"][data-masked="no"]`)).toHaveCount(0, { timeout: 30_000 });
    await expect(row).toHaveAttribute('data-masked', 'yes');
    await expect(row.getByTestId('alarm-masked-by')).toContainText('e2e rewiring');
    await expect.poll(() => badgeCount(page), { timeout: 30_000 }).toBe(before);
    await shoot(page, 'alarms-masked');
    await openRoomAt(page, roomId, cabinetId);
    await expect.poll(async () => grey(await cabinetPixel(page, cabinetId)), { timeout: 30_000, intervals: [500] }).toBe(true);
    console.log(`alarms: room pixel ${(await cabinetPixel(page, cabinetId)).join(',')} (masked)`);

    // Ending the window brings them back.
    await page.getByTestId('nav-alarms').click();
    await page.locator(`[data-testid="alarm-window"][data-window-id="${windowId}"]`).getByTestId('alarm-window-end').click();
    await expect(page.locator(`[data-testid="alarm-window"][data-window-id="${windowId}"]`)).toHaveCount(0);
    windowId = '';
    await expect(row).toHaveAttribute('data-masked', 'no', { timeout: 30_000 });
    await expect.poll(() => badgeCount(page), { timeout: 30_000 }).toBeGreaterThan(before);

    // Restore: the rule's alarms resolve, the badge drops back.
    await page.goto(`${serve.url}#/cabinet/${encodeURIComponent(cabinetId)}`);
    await page.getByTestId('fault-restore-pdu').click();
    await expect(page.getByTestId('fault-result')).toBeVisible();
    tripped = false;
    await page.getByTestId('nav-alarms').click();
    await expect(page.locator(`[data-rule-id="${ruleId}"][data-state="firing"], [data-rule-id="${pduRuleId}"][data-state="firing"]`)).toHaveCount(0, { timeout: 120_000 });
    await expect.poll(() => badgeCount(page), { timeout: 30_000 }).toBe(before);
    const resolved = await admin.call('alarms.list', { state: 'resolved' });
    expect(resolved.filter((a) => ruleIds.includes(a.ruleId)).length).toBeGreaterThanOrEqual(rows);

    // Delete the rules from the UI.
    for (const id of [...ruleIds]) {
      await page.locator(`[data-testid="alarm-rule"][data-rule-id="${id}"]`).getByTestId('alarm-rule-delete').click();
      await expect(page.locator(`[data-testid="alarm-rule"][data-rule-id="${id}"]`)).toHaveCount(0);
      ruleIds.splice(ruleIds.indexOf(id), 1);
    }
  } finally {
    if (tripped && cabinetId) await admin.call('lab.fault', { kind: 'restore-pdu', cabinetId }).catch(() => undefined);
    if (windowId) await admin.call('alarms.endWindow', { id: windowId }).catch(() => undefined);
    for (const id of ruleIds) await admin.call('alarms.deleteRule', { id }).catch(() => undefined);
    await admin.close();
  }
});

test('alarms: a viewer sees the alarms view with no acknowledge and no rule controls', async ({ page }) => {
  await signIn(page, serve.tokens.viewer);
  await page.getByTestId('nav-alarms').click();
  await expect(page.getByTestId('alarms-view')).toBeVisible();
  await expect(page.getByTestId('alarm-rules')).toBeVisible();
  await expect(page.getByTestId('alarm-rule-add')).toHaveCount(0);
  await expect(page.getByTestId('alarm-window-add')).toHaveCount(0);
  await expect(page.getByTestId('alarm-ack')).toHaveCount(0);
});
