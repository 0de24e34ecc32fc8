// The dashboard in a real browser (Debian's Chromium, headless), against the real services; the model
// server is the model-simulator stand-in (see stack.js). Each test names what the user does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLE_DATASET, startStack } from '../stack.js';
import { launch, shoot, signedInContext } from '../browser.js';
import { client } from '../api.js';

const UUID = /[0-9a-f-]{36}/;
let stack;
let api;
let browser;
let page;
let datasetId;
let mixedJob;

before(async () => {
  stack = await startStack();
  api = client(stack.baseUrl, stack.adminKey);
  datasetId = (await api.importDataset('sample-problems', SAMPLE_DATASET)).id;
  browser = await launch();
  page = await (await signedInContext(browser, stack.adminKey, { viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(30000);
}, { timeout: 300000 });

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('startsAJobFromTheFormAndWatchesItFinish', async () => {
  await page.goto(`${stack.baseUrl}/#/new`);
  await page.selectOption('#f-datasetId', datasetId);
  await page.selectOption('#f-endpoint', 'sim-mixed');
  await page.fill('#f-model', 'stand-in');
  await page.fill('#f-samplesPerProblem', '0');
  await page.click('button[type=submit]');
  const error = page.locator('[data-error-for="samplesPerProblem"]');
  await error.waitFor();
  assert.match(await error.textContent(), /greater than or equal to 1/);
  assert.equal(await page.getAttribute('#f-samplesPerProblem', 'aria-invalid'), 'true');
  await shoot(page, 'new-job');

  await page.fill('#f-samplesPerProblem', '3');
  await page.click('button[type=submit]');
  await page.waitForURL(/#\/jobs\/[0-9a-f-]{36}$/);
  mixedJob = page.url().match(UUID)[0];
  await page.evaluate(() => { window.sameDocument = true; });
  await page.locator('section.job[data-status="COMPLETED"]').waitFor({ timeout: 90000 });
  assert.equal(await page.evaluate(() => window.sameDocument), true, 'the page followed the job without reloading');
  assert.match(await page.locator('.live').textContent(), /12 \/ 12/);
  await page.locator('table.passatk').waitFor();
  assert.equal(await page.locator('.grid a.cell').count(), 12);
  await shoot(page, 'job');

  await page.goto(`${stack.baseUrl}/#/jobs`);
  await page.locator(`tr[data-job="${mixedJob}"]`).waitFor();
  assert.match(await page.locator(`tr[data-job="${mixedJob}"]`).textContent(), /COMPLETED.*sample-problems.*sim-mixed.*stand-in/);
  await shoot(page, 'jobs');
});

test('opensAFailingProblemAndReadsItsFeedback', async () => {
  await page.goto(`${stack.baseUrl}/#/jobs/${mixedJob}`);
  const wrong = page.locator('.failures details[data-cause="WRONG_ANSWER"]');
  if ((await wrong.getAttribute('open')) === null) await wrong.locator('summary').click();
  await wrong.locator('a').first().click();
  await page.waitForURL(/\/problems\//);
  const failed = page.locator('article.sample[data-verdict="FAILED"]').first();
  await failed.waitFor();
  const feedback = await failed.locator('.feedback').textContent();
  assert.ok(feedback.trim().length > 0, 'a failed sample shows the scoring feedback');
  assert.ok(await page.locator('pre.code code.hljs').count() > 0, 'prompt and code are highlighted');
  await shoot(page, 'problem');
});

test('opensAMurphyTreeAndReadsANodesFeedback', async () => {
  const { id } = await api.post('/api/jobs', {
    datasetId, endpoint: 'sim-repair', model: 'stand-in', problems: ['Sample/0', 'Sample/1', 'Sample/2', 'Sample/3'],
    strategy: { type: 'murphy', candidates: 3, turns: 2, pruningBudget: 2, feedback: 'full' },
  });
  await api.finished(id);
  await page.goto(`${stack.baseUrl}/#/jobs/${id}`);
  await page.locator('canvas.turn-chart').waitFor();
  assert.match(await page.locator('.warning').first().textContent(), /oracle feedback/);
  await shoot(page, 'murphy-job');

  await page.goto(`${stack.baseUrl}/#/jobs/${id}/problems/Sample%2F0`);
  const nodes = page.locator('.tree button.node');
  await nodes.first().waitFor();
  assert.equal(await nodes.count(), 5, '3 candidates and 2 repairs');
  const repaired = page.locator('.tree ul ul button.node').first();
  await repaired.focus();
  await page.keyboard.press('Enter');
  const panel = page.locator('.node-panel');
  await panel.locator('h3').waitFor();
  assert.match(await panel.textContent(), /turn 2/);
  assert.match(await panel.textContent(), /Execution feedback/, 'the repair prompt carries its parent\'s feedback');
  await shoot(page, 'murphy-tree');
});

test('comparesTwoJobsAndFollowsAFlippedProblem', async () => {
  // the simulator answers the first 3 requests per problem with a known share right and every later one
  // wrong, so the same job again loses exactly the problems the first one solved
  const { id: second } = await api.post('/api/jobs', { datasetId, endpoint: 'sim-mixed', model: 'stand-in', samplesPerProblem: 3 });
  await api.finished(second);
  await page.goto(`${stack.baseUrl}/#/compare`);
  await page.selectOption('#job-a', mixedJob);
  await page.selectOption('#job-b', second);
  await page.click('.compare-form button');
  await page.locator('#by-k').waitFor();
  assert.match(await page.locator('#by-k').textContent(), /pass@1.*points/);
  const flipped = page.locator('.only-a li');
  assert.ok(await flipped.count() > 0, 'problems solved only by a are listed');
  await shoot(page, 'compare');
  await flipped.first().locator('a', { hasText: 'b' }).click();
  await page.waitForURL(new RegExp(`#/jobs/${second}/problems/`));
  await page.locator('article.sample').first().waitFor();
});

test('seesTheFleetAndImportsADatasetWithLineErrors', async () => {
  await page.goto(`${stack.baseUrl}/#/fleet`);
  await page.locator('#workers').waitFor();
  assert.match(await page.locator('#workers').textContent(), /dashboard-test-worker.*UP/);
  await shoot(page, 'fleet');

  await page.goto(`${stack.baseUrl}/#/datasets`);
  await page.setInputFiles('#upload-file', { name: 'broken.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from('{"task_id": "X/0", "prompt": "def f():\\n"}\nnot json\n') });
  await page.click('#upload button');
  await page.locator('table.line-errors').waitFor();
  assert.match(await page.locator('table.line-errors').textContent(), /2/);
  await shoot(page, 'datasets');
});

test('readsAJobOnAPhoneWidthScreenAndByKeyboard', async () => {
  const phone = await (await signedInContext(browser, stack.adminKey, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 })).newPage();
  await phone.goto(`${stack.baseUrl}/#/jobs/${mixedJob}`);
  await phone.locator('section.job[data-status="COMPLETED"]').waitFor();
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling');
  await shoot(phone, 'job-phone');
  await phone.focus('.grid a.cell');
  await phone.keyboard.press('Enter');
  await phone.waitForURL(/\/problems\/Sample%2F0/);
  await phone.locator('article.sample').first().waitFor();
  await phone.close();
});
