// The gateway health view (#/gateways) against the shared serve instance, whose lab runs no MGW
// cluster yet: a viewer reaches it from the nav and is told no cluster is configured and where
// they are listed (the console config's gateways.clusters); the core answers gateways.clusters
// with an empty list. The view's figures with a live cluster are covered by the store's unit
// tests and the core's scrape test against a real cluster (test/integration/mgw).
import { expect, test } from '@playwright/test';
import { connect } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();

test('gateways: a viewer opens the view from the nav; with no cluster configured it says so', async ({ page }) => {
  const viewer = await connect(serve.url, serve.tokens.viewer);
  try {
    expect(await viewer.call('gateways.clusters', undefined)).toEqual([]);
  } finally {
    await viewer.close();
  }
  await signIn(page, serve.tokens.viewer);
  await page.getByTestId('nav-gateways').click();
  await expect(page).toHaveURL(/#\/gateways$/);
  await expect(page.getByTestId('gateways-none')).toBeVisible();
  await expect(page.getByTestId('gateways-none')).toContainText('gateways.clusters');
  await expect(page.getByTestId('gateway-cluster')).toHaveCount(0);
  await shoot(page, 'gateways-none');
});
