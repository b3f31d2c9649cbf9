// The admin pages in serve mode, against the real core and the lab: create an SNMP v2c
// credential for the lab under a new id, see which devices use it (none yet; the lab's own
// credential is used by many), test it against a lab PDU with a real SNMP GET (ok, with the
// time), see a malformed SNMPv3 secret refused at save with the field named on the form, and
// filter the audit log to the new credential. The credential is deleted at the end.
import { expect, test, type Page } from '@playwright/test';
import { shoot, signIn } from './helpers';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();
/** The first poll of the lab may still be running when the spec starts. */
const POLL_TIMEOUT = { timeout: 150_000 };

/** A lab PDU that answers SNMP, found from the first room's first populated cabinet. */
async function answeringPdu(page: Page): Promise<string> {
  await page.getByTestId('room-row').first().click();
  await page.locator('[data-testid="cabinet-tile"]:not([data-devices="0"])').first().click();
  await expect(page.getByTestId('elevation')).toBeVisible();
  const pdu = page.locator('[data-testid="zero-u-pdu"][data-status="up"]').first();
  await expect(pdu).toBeVisible(POLL_TIMEOUT);
  return (await pdu.getAttribute('data-device-id')) ?? '';
}

test('admin: credential created, its usage, tested against a lab device, a bad v3 secret refused by field, the audit filtered', async ({ page }) => {
  test.setTimeout(POLL_TIMEOUT.timeout + 90_000);
  const id = `e2e-v2c-${Date.now().toString(36)}`;
  await signIn(page, serve.tokens.admin);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'admin');
  const deviceId = await answeringPdu(page);
  expect(deviceId).not.toBe('');

  // Create the credential from its form.
  await page.getByTestId('nav-credentials').click();
  await expect(page).toHaveURL(/#\/credentials$/);
  await expect(page.getByTestId('credentials-view')).toBeVisible();
  await expect(page.locator('[data-testid="cred-row"][data-id="lab-snmp"]')).toBeVisible();
  await page.getByTestId('cred-new').click();
  const form = page.getByTestId('cred-form');
  await expect(form).toHaveAttribute('data-kind', 'snmp-community');
  await page.getByTestId('cred-id').fill(id);
  await page.getByTestId('cred-name-input').fill('E2E lab community');
  await page.getByTestId('cred-field-community').fill('fleetdeck-lab');
  await page.getByTestId('cred-save').click();
  await expect(page.getByTestId('cred-saved')).toHaveAttribute('data-id', id);
  const row = page.locator(`[data-testid="cred-row"][data-id="${id}"]`);
  await expect(row).toHaveAttribute('data-kind', 'snmp-community');
  await expect(row.getByTestId('cred-secret')).toHaveText('set');
  await expect(row.getByTestId('cred-used-by')).toHaveText('no device');

  // Its usage: no device yet; the lab's own SNMP credential is used by the lab's devices.
  await page.locator('[data-testid="cred-row"][data-id="lab-snmp"]').getByTestId('cred-open').click();
  await expect(page.getByTestId('cred-panel')).toHaveAttribute('data-id', 'lab-snmp');
  await expect(page.getByTestId('cred-usage-row').first()).toBeVisible();
  await expect(page.locator(`[data-testid="cred-usage-row"][data-device-id="${deviceId}"]`)).toHaveAttribute('data-as', 'snmp');
  await row.getByTestId('cred-open').click();
  await expect(page.getByTestId('cred-panel')).toHaveAttribute('data-id', id);
  await expect(page.getByTestId('cred-usage-none')).toBeVisible();

  // A real SNMP GET with it against the lab PDU.
  await page.getByTestId('cred-test-device').fill(deviceId);
  await page.getByTestId('cred-test-run').click();
  const result = page.getByTestId('cred-test-result');
  await expect(result).toHaveAttribute('data-ok', 'true');
  await expect(result).toHaveAttribute('data-device-id', deviceId);
  await expect(page.getByTestId('cred-test-ok')).toContainText(/OK: answered in \d+ ms/);
  expect(Number(await result.getAttribute('data-ms'))).toBeGreaterThanOrEqual(0);
  await expect(page.getByTestId('cred-test-request')).toContainText('SNMP');
  await shoot(page, 'admin-credential-test-en');

  // A malformed v3 secret (auth key too short) is refused by the core, the field named on the form.
  await page.getByTestId('cred-new').click();
  await page.getByTestId('cred-kind').selectOption('snmp-v3');
  await expect(form).toHaveAttribute('data-kind', 'snmp-v3');
  await page.getByTestId('cred-id').fill(`${id}-v3`);
  await page.getByTestId('cred-name-input').fill('E2E bad v3');
  await page.getByTestId('cred-field-name').fill('noc');
  await page.getByTestId('cred-field-level').selectOption('authPriv');
  await page.getByTestId('cred-field-authProtocol').selectOption('sha');
  await page.getByTestId('cred-field-authKey').fill('short');
  await page.getByTestId('cred-field-privProtocol').selectOption('aes');
  await page.getByTestId('cred-field-privKey').fill('privkey-ok-123');
  await page.getByTestId('cred-save').click();
  await expect(page.getByTestId('cred-field-error-authKey')).toContainText('at least 8 characters');
  await expect(page.getByTestId('cred-field-error-authKey')).toHaveAttribute('data-field', 'secret.authKey');
  await expect(page.getByTestId('cred-form-refused')).toBeVisible();
  await expect(page.getByTestId('cred-field-authKey')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator(`[data-testid="cred-row"][data-id="${id}-v3"]`)).toHaveCount(0);
  await shoot(page, 'admin-credential-refused-en');
  await page.getByTestId('cred-cancel').click();

  // The audit, filtered to the new credential: its save and its test, newest first.
  await page.getByTestId('nav-audit').click();
  await expect(page).toHaveURL(/#\/audit$/);
  await expect(page.getByTestId('audit-view')).toBeVisible();
  await page.getByTestId('audit-filter-target').fill(id);
  await page.getByTestId('audit-apply').click();
  const rows = page.getByTestId('audit-row');
  await expect(rows.filter({ has: page.locator(`[data-testid="audit-target"]:text-is("credential ${id}")`) }).first()).toBeVisible();
  await expect(page.locator('[data-testid="audit-row"][data-action="credentials.put"]').first()).toBeVisible();
  await expect(page.locator('[data-testid="audit-row"][data-action="credentials.test"]').first()).toBeVisible();
  const n = await rows.count();
  const ats: number[] = [];
  for (let i = 0; i < n; i++) {
    await expect(rows.nth(i).getByTestId('audit-target')).toContainText(id);
    expect(['allowed', 'refused', 'failed', 'succeeded']).toContain(await rows.nth(i).getAttribute('data-outcome'));
    ats.push(Number(await rows.nth(i).getAttribute('data-at')));
  }
  expect(ats).toEqual([...ats].sort((a, b) => b - a));
  await page.getByTestId('audit-filter-outcome').selectOption('failed');
  await page.getByTestId('audit-apply').click();
  await expect(page.locator('[data-testid="audit-row"]:not([data-outcome="failed"])')).toHaveCount(0);
  await shoot(page, 'admin-audit-en');

  // Clean up: delete the credential (no device uses it).
  await page.getByTestId('nav-credentials').click();
  await page.locator(`[data-testid="cred-row"][data-id="${id}"]`).getByTestId('cred-delete').click();
  await page.getByTestId('cred-delete-submit').click();
  await expect(page.getByTestId('cred-removed')).toHaveAttribute('data-id', id);
  await expect(page.locator(`[data-testid="cred-row"][data-id="${id}"]`)).toHaveCount(0);
});

test('admin: a credential still in use is not deleted, the devices named', async ({ page }) => {
  await signIn(page, serve.tokens.admin);
  await page.getByTestId('nav-credentials').click();
  await page.locator('[data-testid="cred-row"][data-id="lab-snmp"]').getByTestId('cred-delete').click();
  await page.getByTestId('cred-delete-submit').click();
  await expect(page.getByTestId('cred-in-use')).toContainText(/Not deleted: \d+ devices? still uses? lab-snmp/);
  await page.getByTestId('cred-delete-cancel').click();
  await expect(page.locator('[data-testid="cred-row"][data-id="lab-snmp"]')).toBeVisible();
});
