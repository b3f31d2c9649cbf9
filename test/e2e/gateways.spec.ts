// The gateway health view (#/gateways) against the shared serve instance, whose lab (on its
// own aliases, --lab-prefix 127.21) runs a real MGW cluster at 127.21.0.x (the core's lab
// module starts it: src-main/core/lab-link/lab-gateways.ts): a viewer reaches the view from the
// nav and sees cluster `lab` with its 3 nodes coming to ready and its 3 backends up on every
// node, and the core answers gateways.clusters with it. Everything is waited for by polling
// (the nodes may still be starting when this spec runs). The empty state (no cluster) is the
// store's unit test's (test/unit/renderer/stores/gateways.test.ts).
import { expect, test } from '@playwright/test';
import { connect } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();
const READY_MS = 90_000;

test('gateways: a viewer opens the view from the nav and sees the lab cluster ready with its backends up', async ({ page }) => {
  const viewer = await connect(serve.url, serve.tokens.viewer);
  try {
    await expect.poll(async () => {
      const clusters = await viewer.call('gateways.clusters', undefined);
      return clusters.map((c) => `${c.id}:${c.ready}/${c.nodes.length}`);
    }, { timeout: READY_MS }).toEqual(['lab:3/3']);
  } finally {
    await viewer.close();
  }
  await signIn(page, serve.tokens.viewer);
  await page.getByTestId('nav-gateways').click();
  await expect(page).toHaveURL(/#\/gateways$/);
  await expect(page.getByTestId('gateways-none')).toHaveCount(0);
  const card = page.getByTestId('gateway-cluster');
  await expect(card).toHaveCount(1);
  await expect(card).toHaveAttribute('data-cluster-id', 'lab');
  await expect(card).toHaveAttribute('data-nodes', '3');
  await expect(card).toHaveAttribute('data-ready', '3', { timeout: READY_MS });
  await expect(card.getByTestId('gateway-ready')).toContainText('3 of 3');
  await expect(card).toContainText('127.21.0.1:5300');

  const nodes = card.getByTestId('gateway-node');
  await expect(nodes).toHaveCount(3);
  for (const [i, id] of ['gw1', 'gw2', 'gw3'].entries()) {
    await expect(nodes.nth(i)).toHaveAttribute('data-node', id);
    await expect(nodes.nth(i)).toHaveAttribute('data-state', 'ready', { timeout: READY_MS });
  }
  await expect(card.getByTestId('gateway-node-error')).toHaveCount(0);

  const backends = card.getByTestId('gateway-backend');
  await expect(backends).toHaveCount(3, { timeout: READY_MS });
  for (const [j, name] of ['be1', 'be2', 'be3'].entries()) {
    const row = backends.nth(j);
    await expect(row).toHaveAttribute('data-backend', name);
    await expect(row).toHaveAttribute('data-of', '3');
    await expect(row).toHaveAttribute('data-up', '3', { timeout: READY_MS });
  }
  await shoot(page, 'gateways-lab');
});
