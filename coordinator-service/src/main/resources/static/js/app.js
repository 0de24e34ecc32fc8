// The dashboard: a hash router over a handful of pages, each reading the public REST API as the
// signed-in caller (an API key or an identity provider's bearer token, kept for this tab only).
import { jobsPage } from './jobs.js';
import { newJobPage } from './new-job.js';
import { jobPage } from './job.js';
import { problemPage } from './problem.js';
import { comparePage } from './compare.js';
import { fleetPage } from './fleet.js';
import { datasetsPage, datasetPage } from './datasets.js';
import { signInPage } from './sign-in.js';
import { finishSignIn } from './oidc.js';

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

function leavePage() {
  leave.forEach((fn) => fn());
  leave = [];
}

// The token lives in sessionStorage: it goes with the tab, and never into a URL or a cookie.
const TOKEN = 'evalfleet.token';
const token = () => sessionStorage.getItem(TOKEN);

/** Who is signed in, from GET /api/me: {name, role, kind}; null when it could not say; undefined before asking. */
let caller;
let signingIn = false; // a 401 then means "wrong key", said on the form, not "signed out"
let signInMessage = '';
let rendering = 0; // the latest render; an earlier one still loading does not overwrite it

async function render() {
  leavePage();
  if (!token()) {
    showSignIn();
    return;
  }
  const current = ++rendering;
  try {
    if (caller === undefined) await whoAmI();
  } catch {
    return; // the stored token was not accepted: signOut has shown the sign-in view
  }
  if (current !== rendering) return;
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
        if (current === rendering) main.replaceChildren(view);
      } catch (e) {
        if (e instanceof SignedOut || current !== rendering) return;
        main.replaceChildren(el('div', { class: 'error', role: 'alert' }, el('h1', {}, 'Could not load the page'), el('p', {}, e.message)));
      }
      return;
    }
  }
  main.replaceChildren(el('h1', {}, 'Not found'), el('p', {}, el('a', { href: '#/jobs' }, 'Jobs')));
}

window.addEventListener('hashchange', render);
window.addEventListener('DOMContentLoaded', start);

/** The first render; on the way back from the identity provider, signs in with its token first. */
async function start() {
  let returned = null;
  try {
    returned = await finishSignIn();
  } catch (e) {
    signInMessage = e.message;
  }
  if (returned) {
    try {
      await signIn(returned);
      return;
    } catch (e) {
      signInMessage = `The API did not accept the identity provider's token: ${e.message}`;
    }
  }
  render();
}

async function whoAmI() {
  try {
    caller = await api('/api/me');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    caller = null; // not told who (say, a 5xx): every control shows, and the API decides what the caller may do
  }
  showCaller();
}

/** The signed-in caller ({name, role, kind}), or null when the API does not say. */
export const me = () => caller || null;

/**
 * Whether the caller's role allows an action. The API decides in the end (its 403 is shown where the
 * action was tried); this only keeps away controls that would certainly be refused. "start" a job and
 * "import" a dataset: evaluator and admin; "change" a job (cancel, retry): an evaluator its own, an admin any.
 */
export function may(action, job) {
  const role = caller?.role;
  if (role === 'viewer') return false;
  if (role === 'evaluator' && action === 'change' && job?.createdBy && caller.name) return job.createdBy === caller.name;
  return true;
}

/** Signs in with an API key or bearer token: asks the API who that is; rejects with the API's message. */
export async function signIn(value) {
  sessionStorage.setItem(TOKEN, value);
  caller = undefined;
  signingIn = true;
  try {
    caller = await api('/api/me');
  } catch (e) {
    sessionStorage.removeItem(TOKEN);
    caller = undefined;
    throw e;
  } finally {
    signingIn = false;
  }
  signInMessage = '';
  showCaller();
  if (!location.hash || location.hash === '#/') location.hash = '#/jobs';
  else render();
}

/** Forgets the token and shows the sign-in view with a message (why the user is back there). */
export function signOut(message = 'Signed out.') {
  sessionStorage.removeItem(TOKEN);
  caller = undefined;
  datasetNames = null;
  signInMessage = message;
  rendering++;
  leavePage();
  showSignIn();
}

function showSignIn() {
  showCaller();
  document.querySelectorAll('[data-nav]').forEach((a) => a.removeAttribute('aria-current'));
  document.getElementById('main').replaceChildren(signInPage(signInMessage));
  document.getElementById('sign-in-token').focus();
}

/** The header: who is signed in with which role, and Sign out; pages the role may not use are hidden. */
function showCaller() {
  const signedIn = Boolean(token());
  document.querySelector('.top nav').hidden = !signedIn;
  document.querySelectorAll('[data-needs]').forEach((node) => { node.hidden = !may(node.dataset.needs); });
  const who = document.getElementById('caller');
  who.hidden = !signedIn;
  who.replaceChildren(...(signedIn ? [
    caller ? el('span', { class: 'caller-name', title: caller.kind === 'jwt' ? 'signed in with a bearer token' : 'signed in with an API key' }, caller.name) : '',
    caller ? el('span', { class: `badge role role-${caller.role}` }, caller.role) : '',
    el('button', { type: 'button', id: 'sign-out', onclick: () => signOut() }, 'Sign out'),
  ] : []));
}

/** The API said the caller is not (or no longer) signed in: the sign-in view is shown, the page stops. */
export class SignedOut extends Error {}

/** An HTTP error from the API, with the RFC 9457 problem detail when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * Every call to the API goes through here: it sends the caller's token as `Authorization: Bearer`, and a
 * 401 (no key, or one expired or revoked) ends the session and shows the sign-in view.
 */
export async function request(path, init = {}) {
  const headers = { ...init.headers };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401 && !signingIn) {
    const problem = await response.json().catch(() => null);
    signOut(`The API no longer accepts your key${problem?.detail ? ` (${problem.detail})` : ''}: it may have expired or been revoked. Sign in again.`);
    throw new SignedOut(problem?.detail || 'not signed in');
  }
  return response;
}

/** GET (or another method with a JSON body) against the API; resolves to the parsed JSON. */
export async function api(path, { method = 'GET', body, form } = {}) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (form) init.body = form;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await request(path, init);
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/**
 * A link to an API file (CSV, JSONL, manifest) that downloads it with the caller's token: the href stays
 * the API's address, as a curl user would call it, but a plain link could not send the header.
 */
export function download(href, label, { report = (message) => alert(message), ...attrs } = {}) {
  return el('a', { ...attrs, href, download: '', onclick: async (event) => {
    event.preventDefault();
    const link = event.currentTarget;
    link.setAttribute('aria-busy', 'true');
    try {
      const response = await request(href);
      if (!response.ok) {
        const problem = await response.json().catch(() => null);
        throw new ApiError(response.status, problem);
      }
      const name = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') || '')?.[1] || href.split('/').pop();
      const url = URL.createObjectURL(await response.blob());
      el('a', { href: url, download: name }).click();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      if (!(e instanceof SignedOut)) report(`${label}: ${e.message}`);
    } finally {
      link.removeAttribute('aria-busy');
    }
  } }, label);
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
