// The dashboard in a real browser (Debian's Chromium, headless), against the real services; the model
// server is the model-simulator stand-in (see stack.js). Each test names what the user does. The browser
// is signed in with the stack's admin key unless a test signs in itself.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SAMPLE_DATASET, randomKey, startStack } from '../stack.js';
import { launch, shoot, signedInContext } from '../browser.js';
import { client } from '../api.js';

const UUID = /[0-9a-f-]{36}/;
const DESKTOP = { viewport: { width: 1280, height: 900 } };
let stack;
let api;
let browser;
let page;
let datasetId;
let mixedJob;

before(async () => {
  stack = await startStack();
  api = client(stack.baseUrl, stack.adminKey);
  // the database outlives a run, and a key's datasets count against its quota: the same file is imported once
  const sha256 = createHash('sha256').update(readFileSync(SAMPLE_DATASET)).digest('hex');
  const imported = (await api.get('/api/datasets')).find((d) => d.name === 'sample-problems' && d.sha256 === sha256);
  datasetId = imported?.id ?? (await api.importDataset('sample-problems', SAMPLE_DATASET)).id;
  browser = await launch();
  page = await (await signedInContext(browser, stack.adminKey, DESKTOP)).newPage();
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
  assert.match(await page.locator(`tr[data-job="${mixedJob}"]`).textContent(), /COMPLETED.*sample-problems.*sim-mixed.*stand-in.*bootstrap-admin/);
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

test('signsInWithAKeyAndSeesTheJobs', async () => {
  const context = await browser.newContext(DESKTOP);
  const tab = await context.newPage();
  await tab.goto(`${stack.baseUrl}/#/jobs`);
  await tab.locator('form#sign-in').waitFor();
  assert.equal(await tab.evaluate(() => document.activeElement.id), 'sign-in-token', 'the key field has the focus');
  assert.equal(await tab.locator('.top nav').isVisible(), false, 'no pages before signing in');
  await tab.locator('#sign-in-provider').waitFor(); // the stack configures an identity provider
  await shoot(tab, 'sign-in');

  await tab.keyboard.type(randomKey());
  await tab.keyboard.press('Enter');
  const error = tab.locator('#sign-in-error');
  await tab.locator('#sign-in-error:not(:empty)').waitFor();
  assert.match(await error.textContent(), /did not accept this key/);
  assert.equal(await tab.getAttribute('#sign-in-token', 'aria-invalid'), 'true');
  assert.ok(await tab.locator('form#sign-in').isVisible(), 'a wrong key stays on sign-in');
  assert.equal(await tab.evaluate(() => sessionStorage.getItem('evalfleet.token')), null);
  await tab.setViewportSize({ width: 390, height: 844 });
  assert.ok(await tab.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling on a phone');
  await tab.setViewportSize(DESKTOP.viewport);

  await tab.fill('#sign-in-token', stack.adminKey);
  await tab.keyboard.press('Enter');
  await tab.locator(`#jobs tr[data-job="${mixedJob}"]`).waitFor();
  assert.match(await tab.locator('#caller').textContent(), /bootstrap-admin\s*admin/);
  assert.match(await tab.locator(`tr[data-job="${mixedJob}"]`).textContent(), /bootstrap-admin/, 'the list says who started the job');
  assert.equal(await tab.evaluate(() => sessionStorage.getItem('evalfleet.token')), stack.adminKey, 'the key is kept for this tab');
  assert.equal(await tab.evaluate(() => localStorage.length), 0, 'and nowhere that outlives it');
  assert.ok(!tab.url().includes(stack.adminKey));

  await tab.focus('#sign-out');
  await tab.keyboard.press('Enter');
  await tab.locator('form#sign-in').waitFor();
  assert.equal(await tab.evaluate(() => sessionStorage.getItem('evalfleet.token')), null);
  await context.close();
});

test('signsInWithTheIdentityProvider', async () => {
  // the provider's pages are answered here: its login passes at once and sends the browser back with a code
  const idp = stack.identityProvider;
  const cors = { 'Access-Control-Allow-Origin': stack.baseUrl };
  let login;
  let tokenRequest;
  const context = await browser.newContext(DESKTOP);
  await context.route(`${new URL(idp.issuer).origin}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.endsWith('/.well-known/openid-configuration')) {
      return route.fulfill({ headers: cors, json: { issuer: idp.issuer, authorization_endpoint: `${idp.issuer}/auth`, token_endpoint: `${idp.issuer}/token` } });
    }
    if (url.pathname.endsWith('/auth')) {
      login = url.searchParams;
      const back = `${login.get('redirect_uri')}?${new URLSearchParams({ code: 'one-time-code', state: login.get('state') })}`;
      return route.fulfill({ contentType: 'text/html', body: `<script>location.replace(${JSON.stringify(back)})</script>` });
    }
    tokenRequest = new URLSearchParams(route.request().postData());
    return route.fulfill({ headers: cors, json: { access_token: idp.token({ sub: 'ada', roles: ['evaluator'] }), token_type: 'Bearer', expires_in: 600 } });
  });
  const tab = await context.newPage();
  await tab.goto(`${stack.baseUrl}/#/fleet`);
  const button = tab.locator('#sign-in-provider');
  assert.equal(await button.textContent(), `Sign in with ${idp.name}`);
  await button.focus();
  await tab.keyboard.press('Enter');
  await tab.locator('#workers').waitFor(); // back where the person was, signed in
  assert.match(await tab.locator('#caller').textContent(), /ada\s*evaluator/);
  assert.equal(new URL(tab.url()).search, '', 'the code is gone from the address');

  assert.equal(login.get('client_id'), idp.clientId);
  assert.equal(login.get('redirect_uri'), `${stack.baseUrl}/`);
  assert.equal(login.get('code_challenge_method'), 'S256');
  assert.equal(tokenRequest.get('code'), 'one-time-code');
  assert.equal(createHash('sha256').update(tokenRequest.get('code_verifier')).digest('base64url'), login.get('code_challenge'), 'PKCE: the verifier matches the challenge');
  await context.close();
});

test('aViewerCannotStartOrCancelAJob', async () => {
  const viewer = await api.createKey(`dashboard-viewer-${Date.now()}`, 'viewer');
  assert.equal(viewer.role, 'viewer');
  // long enough to be running while the viewer looks at it (480 model requests, 4 at a time)
  const { id: running } = await api.post('/api/jobs', { datasetId, endpoint: 'sim-mixed', model: 'stand-in', samplesPerProblem: 40 });
  const context = await signedInContext(browser, viewer.key, DESKTOP);
  const tab = await context.newPage();
  try {
    await tab.goto(`${stack.baseUrl}/#/jobs`);
    await tab.locator(`#jobs tr[data-job="${running}"]`).waitFor();
    assert.match(await tab.locator('#caller').textContent(), new RegExp(`${viewer.name}\\s*viewer`));
    assert.equal(await tab.locator('a[href="#/new"]:visible').count(), 0, 'no New job control for a viewer');

    await tab.goto(`${stack.baseUrl}/#/jobs/${running}`);
    await tab.locator('section.job .actions').waitFor();
    assert.match(await tab.locator('section.job').getAttribute('data-status'), /PENDING|RUNNING/);
    assert.match(await tab.locator('.subtitle').textContent(), /by bootstrap-admin/);
    assert.equal(await tab.locator('.actions button').count(), 0, 'no Cancel for a viewer');
    assert.ok(await tab.locator('.actions a', { hasText: 'results.csv' }).isVisible(), 'a viewer still downloads results');

    await tab.goto(`${stack.baseUrl}/#/datasets`);
    await tab.locator('#datasets').waitFor();
    assert.equal(await tab.locator('form#upload').count(), 0, 'no Import for a viewer');

    // the form by its address: the API refuses, and the page says so where the viewer pressed
    const before = (await api.get('/api/jobs?page=0&size=1')).totalItems;
    await tab.goto(`${stack.baseUrl}/#/new`);
    await tab.locator('#role-notice').waitFor();
    await tab.selectOption('#f-datasetId', datasetId);
    await tab.selectOption('#f-endpoint', 'sim-mixed');
    await tab.fill('#f-model', 'stand-in');
    await tab.fill('#f-samplesPerProblem', '1');
    await tab.click('#new-job button[type=submit]');
    const refusal = tab.locator('.form-status .field-error');
    await refusal.waitFor();
    const answer = await fetch(`${stack.baseUrl}/api/jobs`, {
      method: 'POST', headers: { Authorization: `Bearer ${viewer.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ datasetId, endpoint: 'sim-mixed', model: 'stand-in', samplesPerProblem: 1 }),
    });
    assert.equal(answer.status, 403);
    assert.equal(await refusal.textContent(), (await answer.json()).detail, 'the page shows the API\'s problem detail');
    assert.equal((await api.get('/api/jobs?page=0&size=1')).totalItems, before, 'no job was started');
  } finally {
    await context.close();
    await api.post(`/api/jobs/${running}/cancel`).catch(() => {});
  }
});

test('anEvaluatorCancelsItsOwnJobButNotAnothers', async () => {
  const evaluator = await api.createKey(`dashboard-evaluator-${Date.now()}`, 'evaluator');
  const long = { datasetId, endpoint: 'sim-mixed', model: 'stand-in', samplesPerProblem: 40 };
  const { id: own } = await client(stack.baseUrl, evaluator.key).post('/api/jobs', long);
  const { id: anothers } = await api.post('/api/jobs', long);
  const context = await signedInContext(browser, evaluator.key, DESKTOP);
  const tab = await context.newPage();
  try {
    await tab.goto(`${stack.baseUrl}/#/jobs/${anothers}`);
    await tab.locator('section.job .actions').waitFor();
    assert.equal(await tab.locator('.actions button').count(), 0, 'no Cancel on a job someone else started');

    await tab.goto(`${stack.baseUrl}/#/jobs/${own}`);
    assert.match(await tab.locator('.subtitle').textContent(), new RegExp(`by ${evaluator.name}`));
    const cancel = tab.locator('.actions button', { hasText: 'Cancel job' });
    await cancel.focus();
    await tab.keyboard.press('Enter');
    await tab.locator('section.job[data-status="CANCELLED"]').waitFor();
  } finally {
    await context.close();
    for (const id of [own, anothers]) await api.post(`/api/jobs/${id}/cancel`).catch(() => {});
  }
});

test('aRevokedKeyIsSentBackToSignIn', async () => {
  const evaluator = await api.createKey(`dashboard-evaluator-${Date.now()}`, 'evaluator');
  const context = await signedInContext(browser, evaluator.key, DESKTOP);
  const tab = await context.newPage();
  await tab.goto(`${stack.baseUrl}/#/fleet`);
  await tab.locator('#workers').waitFor();
  assert.match(await tab.locator('#caller').textContent(), /evaluator/);
  await api.delete(`/api/keys/${evaluator.id}`);
  // the fleet page asks again every 5 s; that call's 401 ends the session
  const reason = tab.locator('#sign-in-reason');
  await reason.waitFor({ timeout: 30000 });
  assert.match(await reason.textContent(), /expired or been revoked/);
  assert.ok(await tab.locator('form#sign-in').isVisible());
  await context.close();
});

test('downloadsAJobsResultsAsCsv', async () => {
  await page.goto(`${stack.baseUrl}/#/jobs/${mixedJob}`);
  const link = page.locator('.actions a', { hasText: 'results.csv' });
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), `/api/jobs/${mixedJob}/results.csv`, 'the address is the API\'s');
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(file.suggestedFilename(), `job-${mixedJob}-results.csv`);
  const csv = readFileSync(await file.path(), 'utf8');
  const [header, ...rows] = csv.trim().split(/\r?\n/);
  assert.match(header, /created_by/);
  assert.ok(rows.length >= 12 * 3, 'a line per sample');
  assert.ok(!csv.includes(stack.adminKey), 'the key is not in the export');
});

test('keepsFollowingAJobWhenItsEventStreamDrops', async () => {
  // the stream is answered here: one event, then the connection ends, as when a proxy cuts it
  const path = `/api/jobs/${mixedJob}/events`;
  const requests = [];
  await page.route(`**${path}`, (route) => {
    const request = route.request();
    requests.push({ url: request.url(), headers: request.headers() });
    const body = requests.length === 1
      ? ': a comment\r\nid: 5\r\nevent: progress\r\ndata: {"tasksDone":\r\ndata: 5}\r\n\r\n'
      : 'event: finished\ndata: {"tasksDone":12}\n\n';
    return route.fulfill({ status: 200, contentType: 'text/event-stream', body });
  });
  await page.goto(`${stack.baseUrl}/#/fleet`);
  await page.locator('#workers').waitFor();
  const events = await page.evaluate((stream) => import('/js/events.js').then(({ eventStream }) => new Promise((done) => {
    const seen = [];
    const source = eventStream(stream, {
      progress: (e) => seen.push([e.type, JSON.parse(e.data).tasksDone, e.lastEventId]),
      finished: (e) => {
        seen.push([e.type, JSON.parse(e.data).tasksDone, e.lastEventId]);
        source.close();
        done(seen);
      },
    });
  })), path);
  await page.unroute(`**${path}`);
  assert.deepEqual(events, [['progress', 5, '5'], ['finished', 12, '5']]);
  assert.equal(requests.length, 2, 'it connected again after the stream ended');
  for (const request of requests) {
    assert.equal(request.headers.authorization, `Bearer ${stack.adminKey}`);
    assert.ok(!request.url.includes(stack.adminKey), 'the key is never in the address');
  }
  assert.equal(requests[1].headers['last-event-id'], '5', 'and said where it was');
});
