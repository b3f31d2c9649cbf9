// The overview at fleet scale, against the real serve mode with its answers rewritten: the
// page's WebSocket is routed and fleet.overview (and every onDidChangeOverview) replaced by
// an 83,000-device fleet, one of whose sites has no SNMP credential at all. No tile's
// number overflows; the never-polled site is grey "not monitored", not a red 0 %; the
// unreachable count is shown. Screenshots in test-results/screenshots.
import { expect, test, type Page } from '@playwright/test';
import type { FleetOverview, RoomOverview, SiteOverview } from '../../src-shared/domain';
import { shoot, signIn, valueOf } from './helpers';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();

function room(id: string, siteId: string, name: string, devices: number, answering: number, notMonitored: number, degraded = 0): RoomOverview {
  const polled = devices - notMonitored;
  return { id, siteId, name, cabinets: Math.ceil(devices / 20), devices, answering, polled, degraded, unreachable: polled - answering, notMonitored };
}

function site(id: string, name: string, city: string, rooms: RoomOverview[]): SiteOverview {
  const sum = (k: 'devices' | 'answering' | 'polled' | 'unreachable' | 'notMonitored') => rooms.reduce((n, r) => n + r[k], 0);
  return { id, name, city, devices: sum('devices'), answering: sum('answering'), polled: sum('polled'), unreachable: sum('unreachable'), notMonitored: sum('notMonitored'), rooms };
}

const SITES: SiteOverview[] = [
  site('site-big', 'Beijing Yizhuang Campus North', 'Beijing', [
    room('room-big-1', 'site-big', 'Hall 1 (north wing, ground floor)', 25_000, 24_990, 0, 120),
    room('room-big-2', 'site-big', 'Hall 2', 25_000, 24_960, 0),
    room('room-big-3', 'site-big', 'Hall 3', 21_000, 21_000, 0),
  ]),
  site('site-nm', 'Shanghai Waigaoqiao (new, no credentials yet)', 'Shanghai', [
    room('room-nm-1', 'site-nm', 'Hall A', 7_000, 0, 7_000),
    room('room-nm-2', 'site-nm', 'Hall B', 5_000, 0, 5_000),
  ]),
];

export const SCALE_OVERVIEW: FleetOverview = {
  generatedAt: Date.now(),
  fleet: 'configured',
  totals: {
    sites: 2,
    rooms: 5,
    cabinets: SITES.flatMap((s) => s.rooms).reduce((n, r) => n + r.cabinets, 0),
    devices: 83_000,
    answering: 70_950,
    polled: 71_000,
    pollable: 71_000,
    unreachable: 50,
    notMonitored: 12_000,
  },
  sites: SITES,
};

/** Routes the page's WebSocket through, replacing every overview the core sends. */
async function serveScaleOverview(page: Page): Promise<void> {
  await page.routeWebSocket(/\/api$/, (ws) => {
    const server = ws.connectToServer();
    const overviewCalls = new Set<number>();
    ws.onMessage((m) => {
      if (typeof m === 'string') {
        const msg = JSON.parse(m) as { type?: string; method?: string; id?: number };
        if (msg.type === 'call' && msg.method === 'fleet.overview' && msg.id !== undefined) overviewCalls.add(msg.id);
      }
      server.send(m);
    });
    server.onMessage((m) => {
      if (typeof m !== 'string') return ws.send(m);
      const msg = JSON.parse(m) as { type?: string; id?: number; event?: string; ok?: boolean };
      if (msg.type === 'result' && msg.id !== undefined && overviewCalls.has(msg.id) && msg.ok) {
        ws.send(JSON.stringify({ ...msg, result: { ...SCALE_OVERVIEW, generatedAt: Date.now() } }));
      } else if (msg.type === 'event' && msg.event === 'onDidChangeOverview') {
        ws.send(JSON.stringify({ ...msg, payload: { ...SCALE_OVERVIEW, generatedAt: Date.now() } }));
      } else ws.send(m);
    });
  });
}

/** Elements inside the overview whose content is wider than their box (clipped or spilling). */
async function overflowing(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const [selector, what] of [
    ['.totals .total', 'tile'],
    ['.totals .total-value', 'tile value'],
    ['.site-card', 'site card'],
    ['.site-card .site-big', 'site figure'],
    ['.room-table td.num', 'room cell'],
  ] as const) {
    const wide = await page.locator(selector).evaluateAll((els) =>
      els
        .filter((e) => e.scrollWidth > e.clientWidth + 1)
        .map((e) => `${e.textContent ?? ''} (${e.scrollWidth} > ${e.clientWidth})`),
    );
    out.push(...wide.map((w) => `${what}: ${w}`));
  }
  const spills = await page.locator('.site-card').evaluateAll((cards) =>
    cards.flatMap((card) => {
      const box = card.getBoundingClientRect();
      const big = card.querySelector('.site-big')?.getBoundingClientRect();
      return big && big.right > box.right + 1 ? [`site figure spills its card by ${big.right - box.right}px`] : [];
    }),
  );
  return [...out, ...spills];
}

for (const viewport of [
  { width: 1600, height: 1000 },
  { width: 1280, height: 800 },
  { width: 3840, height: 2160 },
]) {
  test(`83,000 devices fit their tiles at ${viewport.width}x${viewport.height}`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await serveScaleOverview(page);
    await signIn(page, serve.tokens.viewer);
    await expect(page.getByTestId('overview')).toBeVisible();
    await expect(page.getByTestId('total-devices')).toHaveAttribute('data-value', '83000');

    // Compact figures with the exact count kept in data-value and the title.
    await expect(page.getByTestId('total-devices')).toHaveText('83.0k');
    await expect(page.getByTestId('total-devices')).toHaveAttribute('title', '83,000');
    await expect(page.getByTestId('total-answering')).toHaveText('70.9k');
    expect(await valueOf(page.getByTestId('total-unreachable'))).toBe(50);
    expect(await valueOf(page.getByTestId('total-not-monitored'))).toBe(12_000);
    await expect(page.getByTestId('total-not-monitored')).toHaveText('12.0k');
    expect(await overflowing(page)).toEqual([]);

    // The never-polled site: grey, "not monitored", no red anywhere in it.
    const nm = page.locator('[data-testid="site-card"][data-site-id="site-nm"]');
    await expect(nm).toHaveAttribute('data-tone', 'empty');
    await expect(nm.getByTestId('site-answering')).toHaveText('Not monitored');
    await expect(nm.getByTestId('site-unmonitored-note')).toBeVisible();
    await expect(nm.locator('.tone-text-bad, .tone-bad, .tone-border-bad, [data-tone="bad"]')).toHaveCount(0);
    for (const cell of await nm.getByTestId('room-answering').all()) await expect(cell).toHaveAttribute('data-tone', 'empty');
    await expect(nm.getByTestId('site-not-monitored')).toHaveAttribute('data-value', '12000');

    // The monitored site: good, its unreachable devices counted.
    const big = page.locator('[data-testid="site-card"][data-site-id="site-big"]');
    await expect(big).toHaveAttribute('data-tone', 'good');
    await expect(big.locator('[data-room-id="room-big-1"] [data-testid="room-answering"]')).toHaveAttribute('data-tone', 'warn'); // degraded devices
    await expect(big.getByTestId('site-unreachable')).toHaveAttribute('data-value', '50');
    await expect(big.getByTestId('site-answering')).toContainText('70.9k');
    await shoot(page, `overview-83k-${viewport.width}`);
  });
}

test('83,000 devices in zh-CN: counted in 万, still inside the tiles', async ({ page }) => {
  await serveScaleOverview(page);
  await signIn(page, serve.tokens.viewer);
  await expect(page.getByTestId('total-devices')).toHaveAttribute('data-value', '83000');
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('total-devices')).toHaveText('8.30万');
  await expect(page.locator('[data-site-id="site-nm"]').getByTestId('site-answering')).toHaveText('未监控');
  expect(await overflowing(page)).toEqual([]);
  await shoot(page, 'overview-83k-zh');
  await page.getByTestId('lang-en').click();
});
