// One job: status and progress (live), pass@k with intervals, problems grid, failures by cause,
// run report, provenance, actions and downloads.
import { ApiError, SignedOut, api, datasets, download, el, facts, may, num, onLeave, pct, progressBar, shortId, statusBadge, table, taskPath, verdictLabel, when, withInterval } from './app.js';
import { turnChart } from './charts.js';
import { eventStream } from './events.js';

const FINISHED = ['COMPLETED', 'FAILED', 'CANCELLED'];

export async function jobPage(id) {
  const [job, names] = await Promise.all([api(`/api/jobs/${id}`), datasets()]);
  const dataset = names.get(job.datasetId);
  const root = el('section', { class: 'job', 'data-status': job.status });
  const live = el('div', { class: 'live' });
  const body = el('div');

  function liveLine(p) {
    return [
      el('span', { class: 'job-status' }, statusBadge(p.status)),
      progressBar(p.tasksDone, p.tasksTotal, 'tasks done'),
      el('span', {}, `${num(p.samples)} samples, ${num(p.passed)} passed`),
      p.tasksFailed ? el('span', {}, `, ${p.tasksFailed} task${p.tasksFailed === 1 ? '' : 's'} failed`) : '',
      p.passAt1 !== null && !p.finished ? el('span', {}, ` · running pass@1 ${pct(p.passAt1)}`) : '',
    ];
  }
  const done = (j) => j.tasks.completed + j.tasks.failed + j.tasks.cancelled;
  live.replaceChildren(...liveLine({ status: job.status, tasksDone: done(job), tasksTotal: job.tasks.total, samples: job.samples.stored, passed: job.samples.passed, tasksFailed: job.tasks.failed, passAt1: null, finished: FINISHED.includes(job.status) }));

  async function fill(view) {
    root.dataset.status = view.status;
    const [problems, failures, report] = await Promise.all([
      api(`/api/jobs/${id}/problems`), api(`/api/jobs/${id}/failures`), api(`/api/jobs/${id}/report`).catch(() => null)]);
    body.replaceChildren(
      actions(view, reload),
      figures(view),
      view.repair ? repairBlock(view) : '',
      grid(id, problems),
      failureBlock(id, failures, view),
      report ? reportBlock(report) : '',
      provenanceBlock(view));
    if (view.repair) turnChart(body.querySelector('canvas.turn-chart'), view.repair);
  }

  async function reload() {
    const view = await api(`/api/jobs/${id}`);
    Object.assign(job, view);
    live.replaceChildren(...liveLine({ status: view.status, tasksDone: done(view), tasksTotal: view.tasks.total, samples: view.samples.stored, passed: view.samples.passed, tasksFailed: view.tasks.failed, passAt1: null, finished: FINISHED.includes(view.status) }));
    await fill(view);
    if (!FINISHED.includes(view.status)) follow();
  }

  let source = null;
  function follow() {
    source?.close();
    let lastRefresh = 0;
    const update = (event) => {
      const p = JSON.parse(event.data);
      live.replaceChildren(...liveLine(p));
      if (p.finished) {
        source.close();
        reload();
      } else if (Date.now() - lastRefresh > 3000) {
        lastRefresh = Date.now();
        api(`/api/jobs/${id}/problems`).then((problems) => body.querySelector('.grid-block')?.replaceWith(grid(id, problems)));
      }
    };
    source = eventStream(`/api/jobs/${id}/events`, { progress: update, finished: update });
  }
  onLeave(() => source?.close());

  await fill(job);
  if (!FINISHED.includes(job.status)) follow();

  root.append(
    el('h1', {}, `Job ${shortId(id)}`, el('small', { class: 'muted' }, ` ${id}`)),
    el('p', { class: 'subtitle' },
      `${dataset?.name || job.datasetId} · ${job.endpoint} · ${job.model} · `,
      job.strategy?.type === 'murphy' ? `murphy G=${job.strategy.candidates} S=${job.strategy.turns} b=${job.strategy.pruningBudget}` : `n = ${job.samplesPerProblem}`,
      ` · created ${when(job.createdAt)}`, job.createdBy ? [' by ', el('span', { class: 'created-by' }, job.createdBy)] : ''),
    live, body);
  return root;
}

function actions(job, reload) {
  const message = el('span', { role: 'status', class: 'action-message' });
  const act = (path, label) => el('button', {
    type: 'button',
    onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      message.classList.remove('field-error');
      try {
        await api(`/api/jobs/${job.id}/${path}`, { method: 'POST' });
        message.textContent = `${label}: done`;
        await reload();
      } catch (e) {
        if (e instanceof SignedOut) return;
        message.textContent = e instanceof ApiError ? e.message : String(e);
        message.classList.add('field-error');
        button.disabled = false;
      }
    },
  }, label);
  const running = !FINISHED.includes(job.status);
  const report = (text) => { message.textContent = text; message.classList.add('field-error'); };
  const file = (name) => download(`/api/jobs/${job.id}/${name}`, name, { class: 'button secondary', report });
  return el('div', { class: 'actions' },
    running && may('change', job) ? act('cancel', 'Cancel job') : '',
    !running && job.tasks.failed > 0 && may('change', job) ? act('retry-failed', `Retry ${job.tasks.failed} failed task${job.tasks.failed === 1 ? '' : 's'}`) : '',
    file('results.csv'), file('samples.jsonl'), file('manifest.json'),
    el('a', { class: 'button secondary', href: `#/compare?a=${job.id}` }, 'Compare…'),
    message);
}

function figures(job) {
  const ks = Object.keys(job.passAtK || {});
  if (!ks.length) {
    return job.repair ? '' : el('p', { class: 'muted' }, 'pass@k appears once every problem has samples.');
  }
  const base = job.passAtKBase;
  return el('div', { class: 'block' }, el('h2', {}, 'pass@k'),
    table(['k', 'pass@k', '95 % interval', 'standard error', base ? 'base tests only' : ''].filter(Boolean),
      ks.map((k) => [
        `pass@${k}`,
        el('strong', {}, pct(job.passAtK[k])),
        job.passAtKCi95?.[k] ? `${pct(job.passAtKCi95[k][0])} – ${pct(job.passAtKCi95[k][1])}` : '–',
        pct(job.passAtKStandardError?.[k], 2),
        base ? withInterval(base[k], job.passAtKBaseCi95?.[k]) : null,
      ].filter((c) => c !== null)), { class: 'passatk' }),
    el('p', { class: 'muted small' }, job.statistics || ''));
}

function repairBlock(job) {
  const r = job.repair;
  const turns = Object.keys(r.passAt1ByIteration);
  return el('div', { class: 'block' }, el('h2', {}, 'Self-repair (murphy)'),
    el('p', { class: r.oracleFeedback ? 'warning' : 'muted' }, r.label),
    el('div', { class: 'chart-box' }, el('canvas', { class: 'turn-chart', role: 'img', 'aria-label': `pass@1 by turn: ${turns.map((t) => `turn ${t} ${pct(r.passAt1ByIteration[t])}`).join(', ')}` })),
    table(['turn', 'pass@1 [95 % interval]', 'chains passing', 'model calls', 'tokens'],
      turns.map((t) => [t, withInterval(r.passAt1ByIteration[t], r.passAt1ByIterationCi95?.[t]), pct(r.chainPassRateByIteration[t]), num(r.modelCallsByTurn[t]), num(r.tokensByTurn[t])])),
    facts([['solved anywhere (upper bound)', pct(r.solvedAnywhereUpperBound)], ['model calls per problem', num(r.modelCallsPerProblem, 2)], ['tokens per problem', num(r.tokensPerProblem)]]));
}

/** Colour of a pass rate: viridis, which stays ordered for colour-blind readers and in greyscale. */
export function rateColour(rate) {
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const x = Math.min(Math.max(rate, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2);
  const f = x - i;
  const c = stops[i].map((v, j) => Math.round(v + (stops[i + 1][j] - v) * f));
  return `rgb(${c.join(',')})`;
}

function grid(id, problems) {
  const cells = problems.map((p) => {
    const label = p.samples ? `${p.problem}: ${p.passed}/${p.samples} passed (${pct(p.passRate, 0)})` : `${p.problem}: ${p.state.toLowerCase()}, no samples`;
    return el('a', {
      class: `cell${p.samples ? '' : ' empty'}${p.state === 'FAILED' ? ' task-failed' : ''}`,
      href: taskPath(id, p.problem),
      title: label,
      'aria-label': label,
      'data-problem': p.problem,
      style: p.samples ? { background: rateColour(p.passRate) } : undefined,
    });
  });
  const solved = problems.filter((p) => p.passed > 0).length;
  return el('div', { class: 'block grid-block' },
    el('h2', {}, `Problems (${problems.length})`),
    el('p', { class: 'muted small' }, `${solved} of ${problems.length} solved by at least one sample. Colour: pass rate; hover or focus a cell for its figures; open it for its samples.`),
    el('div', { class: 'legend', 'aria-hidden': 'true' },
      el('span', {}, '0 %'), el('span', { class: 'ramp', style: { background: `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map(rateColour).join(',')})` } }), el('span', {}, '100 %'),
      el('span', { class: 'cell empty' }), el('span', {}, 'no samples'), el('span', { class: 'cell task-failed' }), el('span', {}, 'task failed')),
    el('nav', { class: 'grid', 'aria-label': 'Problems by pass rate' }, cells));
}

function failureBlock(id, failures, job) {
  if (!failures.length) return el('div', { class: 'block failures' }, el('h2', {}, 'Failures'), el('p', { class: 'muted' }, 'No sample failed.'));
  const reasons = new Map((job.failedTasks || []).map((f) => [f.taskId, f.reason]));
  return el('div', { class: 'block failures' }, el('h2', {}, 'Failures by cause'),
    failures.map((f) => el('details', { open: failures.length <= 2, 'data-cause': f.cause },
      el('summary', {}, `${verdictLabel(f.cause)}: ${num(f.samples)} ${f.cause === 'TASK_FAILED' ? 'task' : 'sample'}${f.samples === 1 ? '' : 's'} in ${f.problems.length} problem${f.problems.length === 1 ? '' : 's'}`),
      el('ul', { class: 'problem-list' }, f.problems.slice(0, 200).map((p) => el('li', {},
        el('a', { href: `${taskPath(id, p.problem)}?verdict=${f.cause === 'WRONG_ANSWER' ? 'FAILED' : f.cause === 'NO_CODE' ? '' : f.cause}` }, p.problem),
        ` ×${p.samples}`))),
      f.cause === 'TASK_FAILED' && reasons.size ? el('ul', {}, [...reasons.values()].slice(0, 10).map((r) => el('li', { class: 'small' }, r))) : '',
      f.problems.length > 200 ? el('p', { class: 'muted' }, `and ${f.problems.length - 200} more`) : '')));
}

function reportBlock(r) {
  const lat = (l) => (l ? `${num(l.p50, 1)} / ${num(l.p95, 1)}` : '–');
  return el('details', { class: 'block report', open: true },
    el('summary', {}, el('h2', {}, 'Run report')),
    facts([
      ['wall time', `${num(r.wallSeconds, 1)} s`],
      ['time to first result', r.timeToFirstResultSeconds === null ? '–' : `${num(r.timeToFirstResultSeconds, 2)} s`],
      ['phases (dispatch · queue · generation · scoring · storing)', `${['dispatchSeconds', 'queueWaitSeconds', 'generationSeconds', 'scoringSeconds', 'storingSeconds'].map((k) => num(r.phases?.[k], 1)).join(' · ')} s`],
      ['model busy share', pct(r.modelBusyShare)],
      ['model requests', `${num(r.modelRequests)} (${num(r.requestsPerSecond, 2)} /s)`],
      ['tokens', `${num(r.tokens)} (${num(r.tokensPerSecond, 1)} tokens/s)`],
      ['generation ms p50 / p95', lat(r.generationMs)],
      ['scoring ms p50 / p95', lat(r.scoringMs)],
      ['queue wait s p50 / p95', lat(r.queueWaitSeconds)],
      ['redeliveries · model retries', `${r.redeliveries} · ${r.modelRetries}`],
      ['samples by verdict', Object.entries(r.samplesByVerdict || {}).map(([v, n]) => `${verdictLabel(v)} ${n}`).join(', ') || '–'],
      ['failed tasks by cause', Object.entries(r.failedTasksByCause || {}).map(([v, n]) => `${v} ${n}`).join(', ') || '–'],
      ['worker time / wall time', num(r.workerSecondsPerWallSecond, 2)],
    ]));
}

function provenanceBlock(job) {
  const p = job.provenance;
  if (!p) return '';
  const reported = (p.reported || []).map((r) => Object.entries(r).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' · '));
  return el('details', { class: 'block provenance' },
    el('summary', {}, el('h2', {}, 'Provenance')),
    facts([
      ['coordinator', p.coordinator ? Object.values(p.coordinator).filter((v) => v !== null).join(' · ') : '–'],
      ['time limit', job.timeLimit ? `${job.timeLimit.rule}${job.timeLimit.seconds ? ` ${job.timeLimit.seconds} s` : ''}` : '–'],
      ['generation', job.generation ? Object.entries(job.generation).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${v}`).join(', ') || 'server defaults' : 'server defaults'],
    ]),
    reported.length ? el('ul', { class: 'small' }, reported.map((r) => el('li', {}, r))) : el('p', { class: 'muted' }, 'Nothing reported yet.'),
    el('p', {}, download(`/api/jobs/${job.id}/manifest.json`, 'manifest.json'), ' has everything that reproduces the job.'));
}
