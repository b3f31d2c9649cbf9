// The template editor in serve mode, end to end. An admin opens the templates tab, starts a
// new template from the skeleton and saves it as e2e-twenty (version 1, the page follows it to
// #/workflows/templates/e2e-twenty). Then, in the same editor, the admin pastes a 20-step
// template (an approval for the run, then 18 per-host HTTP callbacks, a closing approval)
// whose step s14 binds the approval's approvedAt (a number) to http.callback's method (a
// string): the core refuses it, and the refusal under the editor names step s14 and its field;
// nothing is saved. The admin fixes the binding and saves: version 2, shown on the page, in the
// templates list (who saved it) and through the API (20 steps; version 1 kept). The tools list
// beside the editor shows wf.approval's outputs with their types. An operator sees the same
// template read-only: no Save, no New template, a note saying why. Then the editor with a
// refusal and the tools list in zh-CN hold no Latin word besides the template's and the
// tools' own data.
import { expect, test, type Page } from '@playwright/test';
import type { WfToolInfo } from '../../src-shared/domain/workflow-tools';
import { connect, type TestClient } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { readServeInfo } from './serve-info';
import { check, dataMatcher, expectNoLatin, goHash, openInChinese, type Found } from './zh-cn-check';

const serve = readServeInfo();
const ID = 'e2e-twenty';
const NAME = 'E2E twenty steps';
const NAME_V1 = 'E2E twenty steps (first draft)';

/** The 20-step template; `method` is what step s14 gives http.callback's method. */
function twenty(method: string): Record<string, unknown> {
  const steps: Record<string, unknown>[] = [{ id: 's01', title: 'Approve the batch', tool: 'wf.approval', scope: 'run', inputs: { message: 'Go ahead?' } }];
  for (let n = 2; n <= 19; n++) {
    const id = `s${String(n).padStart(2, '0')}`;
    steps.push({
      id, tool: 'http.callback', scope: 'host',
      inputs: { method: n === 14 ? method : 'POST', url: `\${params.receiver}/${id}`, body: { host: '${host.hostname}', approvedBy: '${steps.s01.outputs.approvedBy}' } },
    });
  }
  steps.push({ id: 's20', title: 'Close the batch', tool: 'wf.approval', scope: 'run', inputs: { message: 'All told?' } });
  return { id: ID, name: NAME, params: [{ name: 'receiver', type: 'string', required: true }], steps };
}

let admin: TestClient;
let adminActor = '';

test.beforeAll(async () => {
  admin = await connect(serve.url, serve.tokens.admin);
  adminActor = admin.actor;
  const tools: WfToolInfo[] = await admin.call('workflows.tools', {});
  expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['wf.approval', 'http.callback', 'cmdb.set']));
});

test.afterAll(async () => {
  await admin?.close();
});

async function typeTemplate(page: Page, value: unknown): Promise<void> {
  await page.getByTestId('wf-tpl-text').fill(JSON.stringify(value, null, 2));
  await expect(page.getByTestId('wf-tpl-dirty')).toBeVisible();
}

test('an admin saves a new template, is refused a 20-step version naming the step, fixes it and saves version 2', async ({ page }) => {
  await signIn(page, serve.tokens.admin);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'admin');
  await goHash(page, '#/workflows/templates');
  await page.getByTestId('wf-template-new').click();
  await expect(page).toHaveURL(/#\/workflows\/new-template$/);
  await expect(page.getByTestId('wf-tpl-text')).toHaveValue(/"id": "new-flow"/);
  await expect(page.getByTestId('wf-tpl-save')).toBeEnabled();

  // Version 1: the skeleton under its own id and name.
  const skeleton = JSON.parse(await page.getByTestId('wf-tpl-text').inputValue()) as Record<string, unknown>;
  await typeTemplate(page, { ...skeleton, id: ID, name: NAME_V1 });
  await page.getByTestId('wf-tpl-save').click();
  await expect(page).toHaveURL(new RegExp(`#/workflows/templates/${ID}$`));
  await expect(page.getByTestId('wf-tpl-saved')).toHaveAttribute('data-version', '1');
  await expect(page.getByTestId('wf-tpl-meta')).toHaveAttribute('data-version', '1');

  // The 20 steps with s14's method bound to a number: refused, naming the step and the field.
  await typeTemplate(page, twenty('${steps.s01.outputs.approvedAt}'));
  await page.getByTestId('wf-tpl-save').click();
  const refusal = page.getByTestId('wf-tpl-refusal');
  await expect(refusal).toBeVisible();
  await expect(refusal.getByTestId('wf-tpl-issue')).toHaveCount(1);
  const issue = refusal.getByTestId('wf-tpl-issue').first();
  await expect(issue).toHaveAttribute('data-step', 's14');
  await expect(issue).toHaveAttribute('data-field', 'method');
  await expect(issue).toContainText('Step s14');
  await expect(issue).toContainText('${steps.s01.outputs.approvedAt} is a number');
  await expect(page.getByTestId('wf-tpl-saved')).toHaveCount(0);
  await expect(page.getByTestId('wf-tpl-dirty')).toBeVisible();
  expect((await admin.call('workflows.template', { id: ID })).version).toBe(1);
  await shoot(page, 'workflow-template-refused-en');

  // Text that is not JSON is named before anything is sent.
  await page.getByTestId('wf-tpl-text').fill('{ "id": "e2e-twenty", ');
  await page.getByTestId('wf-tpl-save').click();
  await expect(page.getByTestId('wf-tpl-problem')).toHaveText('Not saved: the text is not valid JSON (line 1, column 23).');

  // Fixed: version 2.
  await typeTemplate(page, twenty('POST'));
  await page.getByTestId('wf-tpl-save').click();
  await expect(page.getByTestId('wf-tpl-saved')).toHaveAttribute('data-version', '2');
  await expect(page.getByTestId('wf-tpl-saved')).toHaveText('Saved as version 2.');
  await expect(page.getByTestId('wf-tpl-refusal')).toHaveCount(0);
  await expect(page.getByTestId('wf-tpl-meta')).toHaveAttribute('data-version', '2');
  await expect(page.getByTestId('wf-tpl-meta')).toContainText(adminActor);
  await expect(page.getByTestId('wf-tpl-dirty')).toHaveCount(0);
  const saved = await admin.call('workflows.template', { id: ID });
  expect(saved).toMatchObject({ version: 2, name: NAME, savedBy: adminActor });
  expect(saved.template.steps).toHaveLength(20);
  expect((await admin.call('workflows.template', { id: ID, version: 1 })).name).toBe(NAME_V1);

  // The tools beside it: wf.approval's outputs, typed as the bindings are checked.
  await page.getByTestId('wf-tools-find').fill('wf.approval');
  const approval = page.locator('[data-testid="wf-tool"][data-tool="wf.approval"]');
  await expect(approval).toHaveAttribute('open', '');
  await expect(approval.locator('[data-testid="wf-tool-outputs"] [data-field="approvedAt"]')).toHaveAttribute('data-type', 'number');
  await expect(approval.locator('[data-testid="wf-tool-inputs"] [data-field="message"]')).toHaveAttribute('data-optional', 'true');
  await shoot(page, 'workflow-template-saved-en');

  // The templates list: version 2, saved by the admin.
  await page.getByTestId('wf-back-templates').click();
  const row = page.locator(`[data-testid="wf-template-row"][data-template-id="${ID}"]`);
  await expect(row.locator('td.num').first()).toHaveText('2');
  await expect(row).toContainText(adminActor);
  await expect(row.getByTestId('wf-template-open')).toHaveAttribute('data-mode', 'edit');
});

test('an operator reads a template without Save or New template', async ({ page }) => {
  await signIn(page, serve.tokens.operator);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'operator');
  await goHash(page, '#/workflows/templates');
  const row = page.locator(`[data-testid="wf-template-row"][data-template-id="${ID}"]`);
  await expect(row).toBeVisible();
  await expect(page.getByTestId('wf-template-new')).toHaveCount(0);
  await expect(row.getByTestId('wf-template-open')).toHaveText('View');
  await row.getByTestId('wf-template-open').click();
  await expect(page.getByTestId('wf-template-view')).toHaveAttribute('data-editable', 'false');
  await expect(page.getByTestId('wf-tpl-text')).toHaveValue(/"id": "s20"/);
  await expect(page.getByTestId('wf-tpl-text')).toHaveAttribute('readonly', '');
  await expect(page.getByTestId('wf-tpl-save')).toHaveCount(0);
  await expect(page.getByTestId('wf-tpl-role-note')).toContainText('needs the admin role');
  await expect(page.locator('[data-testid="wf-tool"][data-tool="cmdb.set"]')).toBeVisible();
});

test('zh-CN: the editor with a refusal and the tools list speak Chinese', async ({ page }) => {
  const bad: Found[] = [];
  const data = dataMatcher(['English', ID, NAME, NAME_V1, adminActor]);
  // The template's text, its ids and the tools' own names, titles, types and values are data (marked wf-data).
  const skip = ['.wf-data'];
  await openInChinese(page, serve.tokens.admin, serve.url);
  await goHash(page, '#/workflows/templates');
  await expect(page.getByTestId('wf-template-new')).toHaveText('新建模板');
  await check(page, 'workflow templates', data, bad, skip);
  await goHash(page, `#/workflows/templates/${ID}`);
  await expect(page.getByTestId('wf-tpl-meta')).toHaveAttribute('data-version', '2');
  await typeTemplate(page, twenty('${steps.s01.outputs.approvedAt}'));
  await page.getByTestId('wf-tpl-save').click();
  await expect(page.getByTestId('wf-tpl-refusal')).toContainText('未保存：核心发现 1 个问题。');
  await page.locator('[data-testid="wf-tool"][data-tool="http.callback"] summary').click();
  await expect(page.locator('[data-testid="wf-tool"][data-tool="http.callback"] [data-testid="wf-tool-inputs"]')).toBeVisible();
  await check(page, 'workflow template editor', data, bad, skip);
  await shoot(page, 'workflow-template-refused-zh-cn');
  await goHash(page, '#/workflows/new-template');
  await expect(page.getByTestId('wf-tpl-text')).toHaveValue(/"id": "new-flow"/);
  await check(page, 'workflow new template', data, bad, skip);
  expectNoLatin(bad);
});
