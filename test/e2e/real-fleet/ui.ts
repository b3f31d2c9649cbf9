// Page steps of the real-fleet acceptance test, all through the served UI: sign in at a given
// serve URL, import an inventory CSV on the Inventory page, fill and save the credential form
// (#/credentials) and the device form (Add on a cabinet elevation), open a cabinet and a
// device page by clicking through the overview, the room and the elevation.
import { expect, type Page } from '@playwright/test';
import { csvLine, CSV_HEADER } from '../inventory-csv';

/** The one site/room/row/cabinet the devices go into. */
export const PLACE = { site: 'rf-site', room: 'rf-room', row: 'rf-row', cabinet: 'rf-cab' } as const;

export const PLACES_CSV = [
  CSV_HEADER,
  csvLine({ record: 'site', id: PLACE.site, name: 'Real Fleet Site', city: 'Loopback' }),
  csvLine({ record: 'room', id: PLACE.room, parent: PLACE.site, name: 'Real Room' }),
  csvLine({ record: 'row', id: PLACE.row, parent: PLACE.room, name: 'Row R' }),
  csvLine({ record: 'cabinet', id: PLACE.cabinet, parent: PLACE.row, name: 'RF01', position: 1, u_height: 42, rated_power_kw: 6 }),
  '',
].join('\n');

export async function signInAt(page: Page, url: string, token: string, role: 'admin' | 'operator' | 'viewer'): Promise<void> {
  await page.goto(url);
  await page.getByTestId('lang-en').click();
  await page.getByTestId('login-token').fill(token);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', role);
}

export async function openOverview(page: Page): Promise<void> {
  await page.getByTestId('nav-fleet').click();
  await expect(page.getByTestId('overview')).toBeVisible();
}

/** Imports a CSV through the Inventory page's file control and waits for its result. */
export async function importCsv(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('nav-inventory').click();
  await expect(page.getByTestId('inventory')).toBeVisible();
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  await expect(page.getByTestId('import-chosen')).toContainText(`${name} ·`);
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-result')).toBeVisible();
  await expect(page.getByTestId('import-invalid')).toHaveCount(0);
}

export async function openCredentials(page: Page): Promise<void> {
  await page.getByTestId('nav-credentials').click();
  await expect(page.getByTestId('credentials-view')).toBeVisible();
}

/** Fills the open credential form's secret fields: selects by option value, the rest typed. */
export async function fillSecret(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(fields)) {
    const input = page.getByTestId(`cred-field-${key}`);
    if ((await input.evaluate((e) => e.tagName)) === 'SELECT') await input.selectOption(value);
    else await input.fill(value);
  }
}

/** Opens a new credential form of a kind and fills it (not saved). */
export async function startCredential(page: Page, id: string, kind: string, name: string, fields: Record<string, string>): Promise<void> {
  await page.getByTestId('cred-new').click();
  await page.getByTestId('cred-kind').selectOption(kind);
  await expect(page.getByTestId('cred-form')).toHaveAttribute('data-kind', kind);
  await page.getByTestId('cred-id').fill(id);
  await page.getByTestId('cred-name-input').fill(name);
  await fillSecret(page, fields);
}

export async function saveCredential(page: Page, id: string): Promise<void> {
  await page.getByTestId('cred-save').click();
  await expect(page.getByTestId('cred-saved')).toHaveAttribute('data-id', id);
  await expect(page.locator(`[data-testid="cred-row"][data-id="${id}"]`)).toBeVisible();
}

export async function addCredential(page: Page, id: string, kind: string, name: string, fields: Record<string, string>): Promise<void> {
  await startCredential(page, id, kind, name, fields);
  await saveCredential(page, id);
}

/** Overview → the room → the cabinet's elevation. */
export async function openCabinet(page: Page): Promise<void> {
  await openOverview(page);
  await page.locator(`[data-testid="room-row"][data-room-id="${PLACE.room}"]`).click();
  await page.locator(`[data-testid="cabinet-tile"]`).first().click();
  await expect(page.getByTestId('elevation')).toHaveAttribute('data-cabinet-id', PLACE.cabinet);
  await expect(page.getByTestId('rack')).toBeVisible();
}

export interface DeviceInput {
  id: string;
  kind: 'server' | 'switch' | 'pdu' | 'gateway';
  hostname: string;
  sn: string;
  uPosition: number;
  uHeight: number;
  mgmtIp: string;
  snmpPort?: number;
  bmcAddress?: string;
  bmcPort?: number;
  sshPort?: number;
  snmpCredential?: string;
  sshCredential?: string;
  ipmiCredential?: string;
}

/** "Add device" on the open elevation, the form filled and saved. */
export async function addDevice(page: Page, d: DeviceInput): Promise<void> {
  await page.getByTestId('device-add').click();
  const form = page.getByTestId('device-form');
  await expect(form).toHaveAttribute('data-mode', 'add');
  await page.getByTestId('devform-id').fill(d.id);
  await page.getByTestId('devform-kind').selectOption(d.kind);
  const text: [string, string | number | undefined][] = [
    ['hostname', d.hostname], ['sn', d.sn], ['uPosition', d.uPosition], ['uHeight', d.uHeight], ['mgmtIp', d.mgmtIp],
    ['snmpPort', d.snmpPort], ['bmcAddress', d.bmcAddress], ['bmcPort', d.bmcPort], ['sshPort', d.sshPort],
  ];
  for (const [f, v] of text) if (v !== undefined) await page.getByTestId(`devform-${f}`).fill(String(v));
  for (const slot of ['snmpCredential', 'sshCredential', 'ipmiCredential'] as const) {
    await page.getByTestId(`devform-${slot}`).selectOption(d[slot] ?? '');
  }
  await page.getByTestId('devform-save').click();
  await expect(page.getByTestId('device-saved')).toHaveAttribute('data-device-id', d.id);
  await expect(form).toHaveCount(0);
  await expect(page.locator(`[data-testid="rack-device"][data-device-id="${d.id}"]`)).toBeVisible();
}

/** From the elevation: select the device, "Open device details". */
export async function openDevice(page: Page, id: string): Promise<void> {
  await openCabinet(page);
  await page.locator(`[data-testid="rack-device"][data-device-id="${id}"]`).click();
  await expect(page.getByTestId('device-details')).toHaveAttribute('data-device-id', id);
  await page.getByTestId('open-device').click();
  await expect(page.getByTestId('device-view')).toHaveAttribute('data-device-id', id);
  await expect(page.getByTestId('device-hostname')).toBeVisible();
}

export async function total(page: Page, id: string): Promise<number> {
  return Number(await page.getByTestId(`total-${id}`).getAttribute('data-value'));
}
