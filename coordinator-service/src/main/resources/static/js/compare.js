// Compare two jobs: the difference per k with its interval and p-value, and the problems that flip.
import { api, datasets, el, facts, num, pct, shortId, table, taskPath } from './app.js';
import { differenceChart } from './charts.js';

export async function comparePage(params) {
  const [jobs, names] = await Promise.all([api('/api/jobs?page=0&size=200'), datasets()]);
  const a = params.get('a') || '';
  const b = params.get('b') || '';
  const option = (job, selected) => el('option', { value: job.id, selected: job.id === selected },
    `${shortId(job.id)} · ${names.get(job.datasetId)?.name || ''} · ${job.model} · ${job.strategy?.type === 'murphy' ? 'murphy' : `n=${job.samplesPerProblem}`} · ${job.status}`);
  const pick = (name, selected) => el('select', { id: `job-${name}`, name },
    el('option', { value: '' }, '—'), jobs.items.map((job) => option(job, selected)));
  const form = el('form', { class: 'compare-form', onsubmit: (e) => {
    e.preventDefault();
    location.hash = `#/compare?a=${form.elements.a.value}&b=${form.elements.b.value}`;
  } },
  el('label', { for: 'job-a' }, 'Job a'), pick('a', a),
  el('label', { for: 'job-b' }, 'Job b'), pick('b', b),
  el('button', { type: 'submit' }, 'Compare'));

  const section = el('section', {}, el('h1', {}, 'Compare two jobs'), form);
  if (a && b) section.append(await result(a, b));
  return section;
}

async function result(a, b) {
  const view = await api(`/api/compare?a=${a}&b=${b}`);
  const c = view.comparison;
  const side = (s) => `${shortId(s.id)} · ${s.model} (${s.endpoint}) · ${s.strategy} · ${num(s.modelCallsPerProblem, 1)} model calls per problem`;
  const flips = (title, list, cls) => el('div', { class: `flips ${cls}` }, el('h3', {}, `${title} (${list.length})`),
    list.length ? el('ul', { class: 'problem-list' }, list.map((p) => el('li', {}, p, ' ',
      el('a', { href: taskPath(a, p), 'aria-label': `${p} in job a` }, 'a'), ' · ',
      el('a', { href: taskPath(b, p), 'aria-label': `${p} in job b` }, 'b')))) : el('p', { class: 'muted' }, 'none'));
  const canvas = el('canvas', { role: 'img', 'aria-label': c.byK.map((d) => `pass@${d.k}: b − a ${(d.difference.value * 100).toFixed(1)} points`).join('; ') });
  const block = el('div', { class: 'comparison' },
    facts([['a', side(view.a)], ['b', side(view.b)], ['problems compared', num(c.problems)],
      view.withoutResults?.length ? ['without results in one job', view.withoutResults.length] : null]),
    el('h2', {}, 'Difference b − a'),
    table(['k', 'a [95 %]', 'b [95 %]', 'b − a', '95 % interval of b − a', 'p-value'],
      c.byK.map((d) => [
        `pass@${d.k}`,
        `${pct(d.a.value)} [${pct(d.a.low)}, ${pct(d.a.high)}]`,
        `${pct(d.b.value)} [${pct(d.b.low)}, ${pct(d.b.high)}]`,
        el('strong', {}, `${d.difference.value >= 0 ? '+' : ''}${(d.difference.value * 100).toFixed(1)} points`),
        `${(d.difference.low * 100).toFixed(1)} to ${(d.difference.high * 100).toFixed(1)} points`,
        `${d.pValue < 0.0001 ? d.pValue.toExponential(1) : d.pValue.toFixed(4)} (${d.pValueMethod === 'EXACT' ? 'exact' : 'Monte Carlo'})`,
      ]), { id: 'by-k' }),
    c.byK.length ? el('div', { class: 'chart-box' }, canvas) : '',
    c.mcnemar ? el('p', {}, `McNemar's exact test: solved only by a ${c.mcnemar.solvedOnlyByA}, only by b ${c.mcnemar.solvedOnlyByB}, p = ${c.mcnemar.pValue.toFixed(4)}`) : '',
    el('p', { class: 'muted small' }, c.method),
    el('h2', {}, 'Problems that flip'),
    el('div', { class: 'flip-columns' }, flips('Solved only by a', c.solvedOnlyByA, 'only-a'), flips('Solved only by b', c.solvedOnlyByB, 'only-b')),
    c.largestChanges?.length ? [el('h3', {}, 'Largest changes of pass rate'),
      table(['problem', 'a', 'b', 'change', ''], c.largestChanges.map((r) => [r.problemId, pct(r.rateA), pct(r.rateB), `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(0)} points`,
        el('span', {}, el('a', { href: taskPath(a, r.problemId) }, 'a'), ' · ', el('a', { href: taskPath(b, r.problemId) }, 'b'))]))] : '');
  queueMicrotask(() => differenceChart(canvas, c.byK));
  return block;
}
