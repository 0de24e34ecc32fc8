// How long the job page takes for a HumanEval job of 164 problems × 200 samples (32,800), in the
// browser: from navigation to the page's data shown (pass@k table, 164-cell grid, failures by cause).
// The job is made from a generated samples.jsonl through POST /api/jobs/from-samples (no model is
// called; every sample is scored). Usage: node benchmark.js [path to HumanEval.jsonl.gz]
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, startStack } from './stack.js';
import { launch, signedInContext } from './browser.js';
import { client } from './api.js';

const file = resolve(process.argv[2] || process.env.EVALFLEET_HUMANEVAL || `${ROOT}/../shared/datasets/HumanEval.jsonl.gz`);
const SAMPLES = 200;
const raw = readFileSync(file);
const problems = gunzipSync(raw).toString().split('\n').filter(Boolean).map((line) => JSON.parse(line));
// sample i of problem p is the reference for i < (p * 37) % 201 and a wrong answer otherwise
const lines = [];
problems.forEach((p, index) => {
  const right = (index * 37) % (SAMPLES + 1);
  for (let i = 0; i < SAMPLES; i++) {
    lines.push(JSON.stringify({ task_id: p.task_id, completion: i < right ? p.canonical_solution : '    return None\n' }));
  }
});

const stack = await startStack();
try {
  const api = client(stack.baseUrl, stack.adminKey);
  const post = async (path, body, type) => {
    const response = await fetch(stack.baseUrl + path, { method: 'POST', body, headers: { 'Content-Type': type, Authorization: `Bearer ${stack.adminKey}` } });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const dataset = await post('/api/datasets?name=humaneval', raw, 'application/gzip');
  const started = Date.now();
  const { id } = await post(`/api/jobs/from-samples?datasetId=${dataset.id}&timeoutSeconds=3`, lines.join('\n'), 'application/x-ndjson');
  const job = await api.finished(id, 3600);
  console.log(`job ${id}: ${job.status}, ${job.samples.stored} samples, scored in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  for (const path of ['', '/problems', '/failures', '/report', `/samples?problem=${encodeURIComponent('HumanEval/0')}&size=10`]) {
    const t = performance.now();
    await api.get(`/api/jobs/${id}${path}`);
    console.log(`GET /api/jobs/{id}${path}: ${(performance.now() - t).toFixed(0)} ms`);
  }
  const browser = await launch();
  const times = [];
  for (let round = 0; round < 6; round++) {
    const context = await signedInContext(browser, stack.adminKey, { viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const t = Date.now();
    await page.goto(`${stack.baseUrl}/#/jobs/${id}`);
    await page.locator('table.passatk').waitFor({ timeout: 60000 });
    await page.locator('.grid a.cell').nth(163).waitFor();
    await page.locator('.failures details').first().waitFor();
    times.push(Date.now() - t);
    const problem = Date.now();
    await page.goto(`${stack.baseUrl}/#/jobs/${id}/problems/HumanEval%2F1`);
    await page.locator('article.sample').first().waitFor();
    console.log(`round ${round + 1}: job page ${times.at(-1)} ms, problem page ${Date.now() - problem} ms`);
    await context.close();
  }
  await browser.close();
  const warm = times.slice(1).sort((a, b) => a - b);
  console.log(`job page, navigation to data shown: first ${times[0]} ms; then median ${warm[Math.floor(warm.length / 2)]} ms, range ${warm[0]}–${warm.at(-1)} ms`);
} finally {
  await stack.stop();
}
