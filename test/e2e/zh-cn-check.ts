// The zh-CN walks' check: every visible text node of a page, with the fleet's own data
// (read from the API by the spec) and a small allow-list (units, protocol names, the brand)
// taken out, must hold no Latin word. Shared by zh-cn-walk.spec.ts and places.spec.ts.
import { expect, type Page } from '@playwright/test';

/** Latin words a zh-CN screen may show: protocol and standard names, units, the brand. */
export const ALLOWED_WORDS = new Set([
  'FleetDeck', 'NOC', 'SNMP', 'SNMPv1', 'SNMPv2c', 'SNMPv3', 'IPMI', 'BMC', 'SSH', 'SEL', 'PDU', 'CSV', 'JSON', 'DCMI', 'ACPI',
  'PXE', 'BIOS', 'IP', 'ID', 'Trap', 'Inform', 'U', 'SHA256', 'WebGL', 'DNS',
  // the trade's name for the configuration database (seed 000's flows check and change its status)
  'CMDB',
  // the label sheet's paper size (ISO 216)
  'A4',
  // SNMP's version and USM user name (RFC 3414's securityName), SSH key file formats
  'v2c', 'securityName', 'OpenSSH', 'PEM',
  // units
  'W', 'kW', 'V', 'A', 'C', 'F', 'K', 'Hz', 'RPM', 'CFM', 'ms', 's', 'b', 'kb', 'Mb', 'Gb', 'Tb', 'B', 'KB', 'MB', 'GB', 'kPa',
]);
/** Latin tokens with a shape the allow-list covers: rack units (U12), versions (v2). */
const ALLOWED_SHAPES = [/^U\d+$/, /^v\d+(\.\d+)*$/i, /^[0-9a-f]{8,}$/i];

/** Text this renderer cannot word yet because the core sends it as English only (reported, not hidden): none now. */
const KNOWN_GAPS: string[] = [];
/** Not UI text: what hosts printed, commands typed, and key fingerprints. */
const NOT_UI = ['pre', 'code.run-cmd', '[data-testid="host-key-fingerprint"] code', 'input', 'textarea', 'option'];

export interface Found {
  view: string;
  text: string;
  words: string[];
}

/** Every visible text node of the page, with the test id of its nearest marked ancestor. */
export async function visibleTexts(page: Page, skip: string[]): Promise<{ text: string; where: string }[]> {
  return page.evaluate((skipSelectors) => {
    const out: { text: string; where: string }[] = [];
    const doc = (globalThis as unknown as { document: any }).document; // eslint-disable-line @typescript-eslint/no-explicit-any
    const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = String(n.nodeValue ?? '').trim();
      const el = n.parentElement;
      if (!text || !el) continue;
      if (skipSelectors.some((s: string) => el.closest(s))) continue;
      if (typeof el.checkVisibility === 'function' ? !el.checkVisibility({ visibilityProperty: true }) : el.getClientRects().length === 0) continue;
      out.push({ text, where: el.closest('[data-testid]')?.getAttribute('data-testid') ?? el.tagName });
    }
    return out;
  }, skip);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The fleet's own data: removed from a text before its words are judged. */
export function dataMatcher(values: Iterable<string>): RegExp {
  const list = [...new Set([...values].filter((v) => v && /[A-Za-z]/.test(v)))].sort((a, b) => b.length - a.length);
  return new RegExp(list.map(escapeRe).join('|'), 'g');
}

export function latinWords(text: string, data: RegExp): string[] {
  // Key fingerprints inside a sentence (a host-key event) are data, as in the fingerprint's own <code>.
  const rest = text.replace(data, ' ').replace(/SHA256:[A-Za-z0-9+/=]+/g, ' ');
  const words = rest.match(/[A-Za-z][A-Za-z0-9]*/g) ?? [];
  return words.filter((w) => !ALLOWED_WORDS.has(w) && !ALLOWED_SHAPES.some((re) => re.test(w)));
}

/** `skip`: more selectors whose text is data on this screen (the audit trail's records). */
export async function check(page: Page, view: string, data: RegExp, bad: Found[], skip: string[] = []): Promise<void> {
  for (const { text, where } of await visibleTexts(page, [...NOT_UI, ...KNOWN_GAPS, ...skip])) {
    const words = latinWords(text, data);
    if (words.length > 0) bad.push({ view: `${view} [${where}]`, text, words });
  }
}

export async function openInChinese(page: Page, token: string, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByTestId('login-token').fill(token);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('overview')).toBeVisible();
}

export async function goHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => ((globalThis as unknown as { location: { hash: string } }).location.hash = h), hash);
}

/** Fails with every Latin-only string found, by view. */
export function expectNoLatin(bad: Found[]): void {
  expect(bad, `Latin-only UI strings on zh-CN screens:\n${bad.map((b) => `${b.view}: "${b.text}" (${b.words.join(', ')})`).join('\n')}`).toEqual([]);
}
