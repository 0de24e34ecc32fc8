// Jobs: newest first, live status and progress for running jobs, filters over the loaded page.
import { api, el, datasets, may, onLeave, pct, progressBar, shortId, statusBadge, when, withInterval } from './app.js';
import { eventStream } from './events.js';

const FINISHED = ['COMPLETED', 'FAILED', 'CANCELLED'];
const LIVE_STREAMS = 3; // a browser keeps six connections per origin; leave room for the page's requests
const whenShort = (t) => (t ? new Date(t).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) : '–');

export async function jobsPage(params) {
  const page = Number(params.get('page') || 0);
  const size = 50;
  const [jobPage, names] = await Promise.all([api(`/api/jobs?page=${page}&size=${size}`), datasets()]);
  const jobs = jobPage.items;
  const filters = { dataset: params.get('dataset') || '', model: params.get('model') || '', status: params.get('status') || '' };

  const body = el('tbody');
  const rows = new Map();
  const datasetName = (job) => names.get(job.datasetId)?.name || shortId(job.datasetId);

  function row(job) {
    const progress = el('td', {}, progressBar(job.tasks.completed + job.tasks.failed + job.tasks.cancelled, job.tasks.total));
    const status = el('td', {}, statusBadge(job.status));
    const pass = el('td', { class: 'num' }, passAt1(job));
    const tr = el('tr', { 'data-job': job.id },
      el('td', {}, el('a', { href: `#/jobs/${job.id}` }, shortId(job.id))),
      status, progress, pass,
      el('td', {}, datasetName(job)), el('td', {}, job.endpoint), el('td', {}, job.model),
      el('td', {}, job.strategy?.type === 'murphy' ? 'murphy' : `n = ${job.samplesPerProblem}`),
      el('td', { title: when(job.createdAt) }, whenShort(job.createdAt)), el('td', {}, job.createdBy || '–'));
    rows.set(job.id, { tr, status, progress, pass });
    return tr;
  }

  function shown(job) {
    return (!filters.dataset || job.datasetId === filters.dataset)
      && (!filters.model || job.model.toLowerCase().includes(filters.model.toLowerCase()))
      && (!filters.status || job.status === filters.status);
  }

  function fill() {
    const visible = jobs.filter(shown);
    body.replaceChildren(...(visible.length ? visible.map(row) : [el('tr', {}, el('td', { colspan: 10, class: 'muted' }, 'No jobs match.'))]));
    follow(visible.filter((job) => !FINISHED.includes(job.status)).slice(0, LIVE_STREAMS));
  }

  let streams = [];
  function follow(running) {
    streams.forEach((s) => s.close());
    streams = running.map((job) => {
      const update = (event) => {
        const p = JSON.parse(event.data);
        const r = rows.get(job.id);
        if (!r) return;
        r.status.replaceChildren(statusBadge(p.status));
        r.progress.replaceChildren(progressBar(p.tasksDone, p.tasksTotal));
        r.pass.replaceChildren(p.passAt1 === null ? '–' : `${pct(p.passAt1)} (running)`);
        if (p.finished) {
          source.close();
          api(`/api/jobs/${job.id}`).then((view) => {
            Object.assign(job, view);
            r.pass.replaceChildren(passAt1(view));
          });
        }
      };
      const source = eventStream(`/api/jobs/${job.id}/events`, { progress: update, finished: update });
      return source;
    });
  }
  onLeave(() => streams.forEach((s) => s.close()));
  // new jobs started elsewhere appear without a reload
  const timer = setInterval(async () => {
    if (page !== 0) return;
    const latest = await api(`/api/jobs?page=0&size=${size}`).catch(() => null);
    if (latest && latest.items.length && (!jobs.length || latest.items[0].id !== jobs[0].id)) {
      jobs.splice(0, jobs.length, ...latest.items);
      fill();
    }
  }, 5000);
  onLeave(() => clearInterval(timer));

  const setFilter = (key) => (event) => {
    filters[key] = event.target.value;
    const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    history.replaceState(null, '', `#/jobs${query.size ? `?${query}` : ''}`);
    fill();
  };
  const datasetOptions = [...new Set(jobs.map((j) => j.datasetId))];
  const filterBar = el('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
    el('label', {}, 'Dataset ', el('select', { name: 'dataset', onchange: setFilter('dataset') },
      el('option', { value: '' }, 'all'),
      datasetOptions.map((id) => el('option', { value: id, selected: id === filters.dataset }, names.get(id)?.name || shortId(id))))),
    el('label', {}, 'Model ', el('input', { name: 'model', type: 'search', value: filters.model, oninput: setFilter('model') })),
    el('label', {}, 'Status ', el('select', { name: 'status', onchange: setFilter('status') },
      el('option', { value: '' }, 'all'),
      ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'].map((s) => el('option', { value: s, selected: s === filters.status }, s)))));

  fill();
  const pager = el('nav', { class: 'pager', 'aria-label': 'Pages of jobs' },
    page > 0 ? el('a', { href: `#/jobs?page=${page - 1}` }, '← newer') : '',
    el('span', {}, ` page ${page + 1} of ${Math.max(jobPage.totalPages, 1)} (${jobPage.totalItems} jobs) `),
    page + 1 < jobPage.totalPages ? el('a', { href: `#/jobs?page=${page + 1}` }, 'older →') : '');

  return el('section', {},
    el('div', { class: 'title-row' }, el('h1', {}, 'Jobs'), may('start') ? el('a', { class: 'button', href: '#/new' }, 'New job') : ''),
    el('p', { class: 'muted' }, 'Filters apply to the jobs of this page.'),
    filterBar,
    el('div', { class: 'table-wrap' }, el('table', { id: 'jobs' },
      el('thead', {}, el('tr', {}, ['Job', 'Status', 'Tasks done', 'pass@1 [95 % interval]', 'Dataset', 'Endpoint', 'Model', 'Samples', 'Created', 'Created by'].map((h) => el('th', { scope: 'col' }, h)))),
      body)),
    pager);
}

function passAt1(job) {
  if (job.strategy?.type === 'murphy' && job.repair) {
    const turns = Object.keys(job.repair.passAt1ByIteration);
    const last = turns[turns.length - 1];
    return last ? `${withInterval(job.repair.passAt1ByIteration[last], job.repair.passAt1ByIterationCi95?.[last])} after turn ${last}` : '–';
  }
  return withInterval(job.passAtK?.['1'], job.passAtKCi95?.['1']);
}
