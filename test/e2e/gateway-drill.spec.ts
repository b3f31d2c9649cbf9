// A failover drill from the gateway view against the shared serve instance's lab cluster (a
// real MGW cluster at 127.21.0.x: 3 node daemons, the lab's router, 3 agent backends; the lab
// module starts a killed node again): a viewer sees the drills but no form; an operator runs
// "kill -9 one node" with 200 test sessions, confirms, and watches the row go through its
// phases to done with 0 misses and 0 failback misses; the drill's end is in the audit trail
// with its figures. The cluster is back to 3 of 3 ready afterwards.
import { expect, test } from '@playwright/test';
import { connect } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();
const READY_MS = 90_000;
const DRILL_MS = 120_000;

async function clusterReady(): Promise<void> {
  const viewer = await connect(serve.url, serve.tokens.viewer);
  try {
    await expect.poll(async () => (await viewer.call('gateways.clusters', undefined)).map((c) => `${c.id}:${c.ready}/${c.nodes.length}`), { timeout: READY_MS }).toEqual(['lab:3/3']);
  } finally {
    await viewer.close();
  }
}

test('gateway drill: a viewer sees no drill form', async ({ page }) => {
  await clusterReady();
  await signIn(page, serve.tokens.viewer);
  await page.goto(`${serve.url}#/gateways`);
  const card = page.getByTestId('gateway-cluster');
  await expect(card.getByTestId('gateway-drill-role')).toBeVisible();
  await expect(card.getByTestId('gateway-drill-run')).toHaveCount(0);
});

test('gateway drill: an operator kills one lab node under test traffic: 0 misses, back with 0 failback misses, audited', async ({ page }) => {
  test.setTimeout(DRILL_MS + READY_MS * 2);
  await clusterReady();
  await signIn(page, serve.tokens.operator);
  await page.getByTestId('nav-gateways').click();
  const card = page.getByTestId('gateway-cluster');
  await expect(card).toHaveAttribute('data-ready', '3', { timeout: READY_MS });
  await card.getByTestId('gateway-drill-kind').selectOption('kill-one');
  await card.getByTestId('gateway-drill-sessions').fill('200');
  await card.getByTestId('gateway-drill-run').click();
  await card.getByTestId('gateway-drill-confirm').click();

  const row = card.getByTestId('gateway-drill').first();
  await expect(row).toBeVisible();
  // A killed node shows on the card while the drill measures.
  await expect(card.locator('[data-testid="gateway-node"][data-state="unreachable"], [data-testid="gateway-node"][data-state="resyncing"]').first()).toBeVisible({ timeout: DRILL_MS });
  await expect(row).toHaveAttribute('data-phase', /^(done|failed)$/, { timeout: DRILL_MS });
  await expect(row.getByTestId('gateway-drill-misses')).toHaveAttribute('data-value', '0');
  await expect(row.getByTestId('gateway-drill-failback-misses')).toHaveAttribute('data-value', '0');
  await expect(row).toHaveAttribute('data-phase', 'done');
  await expect(row.getByTestId('gateway-drill-window')).toContainText('ms');
  await expect(card).toHaveAttribute('data-ready', '3', { timeout: READY_MS });
  await shoot(page, 'gateway-drill-done');

  const admin = await connect(serve.url, serve.tokens.admin);
  try {
    const entries = await admin.call('audit.list', { action: 'gateways.drill', limit: 10 });
    expect(entries.map((e) => `${e.action}:${e.outcome}`)).toEqual(expect.arrayContaining(['gateways.drill:succeeded', 'gateways.drill.result:succeeded']));
    expect(entries.find((e) => e.action === 'gateways.drill.result')?.detail).toContain('misses 0');
  } finally {
    await admin.close();
  }
});
