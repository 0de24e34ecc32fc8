// The dashboard: a hash router over a handful of pages, each reading the public REST API.
import { jobsPage } from './jobs.js';
import { newJobPage } from './new-job.js';
import { jobPage } from './job.js';
import { problemPage } from './problem.js';
import { comparePage } from './compare.js';
import { fleetPage } from './fleet.js';
import { datasetsPage, datasetPage } from './datasets.js';

const routes = [
  [/^\/?$/, () => jobsPage, 'jobs'],
  [/^\/jobs$/, () => jobsPage, 'jobs'],
  [/^\/new$/, () => newJobPage, 'new'],
  [/^\/jobs\/([0-9a-f-]{36})$/, () => jobPage, 'jobs'],
  [/^\/jobs\/([0-9a-f-]{36})\/problems\/(.+)$/, () => problemPage, 'jobs'],
  [/^\/compare$/, () => comparePage, 'compare'],
  [/^\/fleet$/, () => fleetPage, 'fleet'],
  [/^\/datasets$/, () => datasetsPage, 'datasets'],
  [/^\/datasets\/([0-9a-f-]{36})$/, () => datasetPage, 'datasets'],
];

let leave = [];

/** Registers what to stop (event streams, timers) when the user leaves the page. */
export function onLeave(fn) {
  leave.push(fn);
}

async function render() {
  leave.forEach((fn) => fn());
  leave = [];
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query || '');
  const main = document.getElementById('main');
  for (const [pattern, page, nav] of routes) {
    const match = path.match(pattern);
    if (match) {
      document.querySelectorAll('[data-nav]').forEach((a) => {
        if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      });
      main.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
      try {
        const view = await page()(...match.slice(1).map(decodeURIComponent), params);
        main.replaceChildren(view);
      } catch (e) {
        main.replaceChildren(el('div', { class: 'error', role: 'alert' }, el('h1', {}, 'Could not load the page'), el('p', {}, e.message)));
      }
      return;
    }
  }
  main.replaceChildren(el('h1', {}, 'Not found'), el('p', {}, el('a', { href: '#/jobs' }, 'Jobs')));
}

window.addEventListener('hashchange', render);
window.addEventListener('DOMContentLoaded', render);

/** An HTTP error from the API, with the RFC 9457 problem detail when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** GET (or another method with a JSON body) against the API; resolves to the parsed JSON. */
export async function api(path, { method = 'GET', body, form } = {}) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (form) init.body = form;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** Builds an element: el('a', {href: '#'}, 'text', child…). Attributes starting with "on" are listeners. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'style' && typeof value === 'object') Object.assign(node.style, value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export const pct = (x, digits = 1) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)} %`);
export const num = (x, digits = 0) => (x === null || x === undefined ? '–' : Number(x).toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
export const when = (t) => (t ? new Date(t).toLocaleString() : '–');
export const shortId = (id) => id.slice(0, 8);

/** A value with its 95 % interval: "42.1 % [38.0, 46.3]". */
export function withInterval(value, ci) {
  if (value === null || value === undefined) return '–';
  return ci ? `${pct(value)} [${(ci[0] * 100).toFixed(1)}, ${(ci[1] * 100).toFixed(1)}]` : pct(value);
}

export function statusBadge(status) {
  return el('span', { class: `badge status-${status.toLowerCase()}` }, status);
}

const VERDICT_LABELS = {
  PASSED: 'passed',
  FAILED: 'wrong answer',
  WRONG_ANSWER: 'wrong answer',
  TIMED_OUT: 'time-out',
  ERROR: 'error',
  NO_CODE: 'no code extracted',
  TASK_FAILED: 'task failed',
};

export function verdictLabel(verdict) {
  return VERDICT_LABELS[verdict] || verdict;
}

export function verdictBadge(verdict) {
  return el('span', { class: `badge verdict-${verdict.toLowerCase()}` }, verdictLabel(verdict));
}

/** A progress bar with its text, so the figure does not rest on the colour. */
export function progressBar(done, total, label) {
  const share = total ? done / total : 0;
  return el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done, 'aria-label': label || 'tasks done' },
    el('div', { class: 'bar', style: { width: `${(share * 100).toFixed(1)}%` } }),
    el('span', { class: 'progress-text' }, `${done} / ${total}`));
}

/** Python code, highlighted by highlight.js (served from its WebJar). */
export function code(text, language = 'python') {
  const block = el('code', { class: `language-${language}` }, text || '');
  if (window.hljs && text) {
    block.innerHTML = window.hljs.highlight(text, { language, ignoreIllegals: true }).value;
    block.classList.add('hljs');
  }
  return el('pre', { class: 'code', tabindex: 0 }, block);
}

export function plain(text) {
  return el('pre', { class: 'plain', tabindex: 0 }, text || '(empty)');
}

export const taskPath = (jobId, problem) => `#/jobs/${jobId}/problems/${encodeURIComponent(problem)}`;

let datasetNames = null;

/** Dataset names by id, read once per page load. */
export async function datasets() {
  if (!datasetNames) {
    const list = await api('/api/datasets');
    datasetNames = new Map(list.map((d) => [d.id, d]));
  }
  return datasetNames;
}

export function forgetDatasets() {
  datasetNames = null;
}

/** A small table from rows of cells; the first row is the header. */
export function table(header, rows, attrs = {}) {
  return el('div', { class: 'table-wrap' }, el('table', attrs,
    el('thead', {}, el('tr', {}, header.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c)))))));
}

/** Key–value pairs as a definition list. */
export function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter(Boolean).flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? '–')]));
}
