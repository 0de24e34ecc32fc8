// One problem of a job: the prompt, then its samples a page at a time; for a murphy job, the repair tree.
import { api, code, el, facts, num, pct, plain, shortId, taskPath, verdictBadge, verdictLabel } from './app.js';

const PAGE = 10;

export async function problemPage(jobId, problem, params) {
  const [job, detail] = await Promise.all([api(`/api/jobs/${jobId}`), api(`/api/jobs/${jobId}/problem?problem=${encodeURIComponent(problem)}`)]);
  const r = detail.result;
  const verdict = params.get('verdict') || '';
  const page = Number(params.get('page') || 0);
  const murphy = job.strategy?.type === 'murphy';

  const samples = el('div', { class: 'samples' });
  const go = (p, v) => {
    const q = new URLSearchParams();
    if (v) q.set('verdict', v);
    if (p) q.set('page', p);
    location.hash = `${taskPath(jobId, problem)}${q.size ? `?${q}` : ''}`;
  };
  await loadSamples(jobId, problem, verdict, page, samples, go);

  const filter = el('label', {}, 'Show ', el('select', { id: 'verdict-filter', onchange: (e) => go(0, e.target.value) },
    el('option', { value: '' }, 'all samples'),
    Object.keys(r.verdicts).map((v) => el('option', { value: v, selected: v === verdict }, `${verdictLabel(v)} (${r.verdicts[v]})`))));

  return el('section', { class: 'problem' },
    el('p', { class: 'crumbs' }, el('a', { href: `#/jobs/${jobId}` }, `Job ${shortId(jobId)}`), ' › ', problem),
    el('h1', {}, problem),
    facts([
      ['samples', `${r.samples} (${r.passed} passed, ${pct(r.passRate)})`],
      ['task', r.state],
      ['verdicts', Object.entries(r.verdicts).map(([v, n]) => `${verdictLabel(v)} ${n}`).join(', ') || '–'],
      ['mean generation · scoring', `${num(r.meanGenerationMs)} ms · ${num(r.meanExecutionMs)} ms`],
      ['tokens (prompt + completion)', `${num(r.promptTokens)} + ${num(r.completionTokens)}`],
    ]),
    el('h2', {}, 'Prompt'), code(detail.prompt),
    murphy ? await treeBlock(jobId, problem) : '',
    el('div', { class: 'title-row' }, el('h2', {}, murphy ? 'Nodes as samples' : 'Samples'), filter),
    samples);
}

async function loadSamples(jobId, problem, verdict, page, target, go) {
  const q = new URLSearchParams({ problem, page, size: PAGE });
  if (verdict) q.set('verdict', verdict);
  const data = await api(`/api/jobs/${jobId}/samples?${q}`);
  const pager = () => el('nav', { class: 'pager', 'aria-label': 'Pages of samples' },
    page > 0 ? el('button', { type: 'button', onclick: () => go(page - 1, verdict) }, '← previous') : '',
    el('span', {}, ` ${data.totalItems ? page * PAGE + 1 : 0}–${Math.min((page + 1) * PAGE, data.totalItems)} of ${data.totalItems} `),
    page + 1 < data.totalPages ? el('button', { type: 'button', onclick: () => go(page + 1, verdict) }, 'next →') : '');
  target.replaceChildren(pager(), ...data.items.map(sampleCard), data.items.length > 3 ? pager() : '');
}

function sampleCard(s) {
  if (s.sampleIndex === null) {
    return el('article', { class: 'sample' }, el('h3', {}, verdictBadge('TASK_FAILED'), ' the task ended without samples'), plain(s.failureReason));
  }
  return el('article', { class: 'sample', 'data-verdict': s.verdict, 'data-sample': s.sampleIndex },
    el('h3', {}, `Sample ${s.sampleIndex} `, verdictBadge(s.verdict),
      s.turn ? el('span', { class: 'muted' }, ` turn ${s.turn}${s.parentId !== null ? `, repairs node ${s.parentId}` : ''}`) : ''),
    el('p', { class: 'meta' },
      `tests ${s.testsPassed}/${s.testsTotal} · tokens ${num(s.promptTokens)} + ${num(s.completionTokens)} · generation ${num(s.generationMs)} ms · scoring ${num(s.executionMs)} ms`,
      s.timeLimitSeconds ? ` (limit ${s.timeLimitSeconds} s)` : '', ` · worker ${s.worker || '–'}`),
    s.feedback ? [el('h4', {}, 'Feedback'), el('pre', { class: 'feedback', tabindex: 0 }, s.feedback)] : '',
    el('h4', {}, 'Extracted code'), s.completion ? code(s.completion) : el('p', { class: 'warning' }, 'No code could be extracted from the answer.'),
    el('details', {}, el('summary', {}, 'Raw answer of the model'), plain(s.rawOutput)));
}

async function treeBlock(jobId, problem) {
  let tree;
  try {
    tree = await api(`/api/jobs/${jobId}/tree?problem=${encodeURIComponent(problem)}`);
  } catch (e) {
    return el('div', { class: 'block tree-block' }, el('h2', {}, 'Repair tree'), el('p', { class: 'muted' }, `No tree: ${e.message}`));
  }
  const byId = new Map(tree.nodes.map((n) => [n.nodeId, n]));
  const panel = el('div', { class: 'node-panel', tabindex: -1, 'aria-live': 'polite' }, el('p', { class: 'muted' }, 'Choose a node to see its prompt, answer and feedback.'));
  const show = (node, button) => {
    panel.parentElement?.querySelectorAll('.node[aria-pressed="true"]').forEach((b) => b.setAttribute('aria-pressed', 'false'));
    button.setAttribute('aria-pressed', 'true');
    panel.replaceChildren(
      el('h3', {}, `Node ${node.nodeId} (turn ${node.turn}) `, verdictBadge(node.hiddenVerdict)),
      facts([
        ['reward on the feedback tests', `${num(node.reward, 3)} (${node.feedbackTestsPassed}/${node.feedbackTestsTotal})`],
        ['credit: MaRS · MeRS', `${num(node.creditMars, 3)} · ${num(node.creditMers, 3)}`],
        ['hidden tests', `${node.hiddenTestsPassed}/${node.hiddenTestsTotal}`],
        ['tokens', `${num(node.promptTokens)} + ${num(node.completionTokens)}`],
      ]),
      el('h4', {}, 'Prompt'), plain(node.prompt),
      el('h4', {}, 'Answer'), plain(node.rawOutput),
      el('h4', {}, 'Code'), code(node.completion),
      el('h4', {}, 'Feedback shown to its child'), plain(node.feedback),
      el('h4', {}, 'Feedback of the hidden tests'), plain(node.hiddenFeedback));
  };
  const branch = (node) => {
    const button = el('button', {
      type: 'button', class: `node verdict-${node.hiddenVerdict.toLowerCase()}`, 'aria-pressed': 'false', 'data-node': node.nodeId,
      onclick: (e) => show(node, e.currentTarget),
    },
    el('span', { class: 'node-title' }, `#${node.nodeId} · turn ${node.turn}`),
    el('span', {}, `reward ${num(node.reward, 2)}`),
    el('span', {}, `MaRS ${num(node.creditMars, 2)} · MeRS ${num(node.creditMers, 2)}`),
    el('span', {}, verdictLabel(node.hiddenVerdict)));
    const children = node.children.map((id) => byId.get(id)).filter(Boolean);
    return el('li', {}, button, children.length ? el('ul', {}, children.map(branch)) : '');
  };
  const roots = tree.nodes.filter((n) => n.parentId === null);
  return el('div', { class: 'block tree-block' },
    el('h2', {}, 'Repair tree'),
    el('p', { class: tree.label?.startsWith('oracle') ? 'warning' : 'muted' }, tree.label),
    el('div', { class: 'tree-layout' },
      el('div', { class: 'tree-scroll' }, el('ul', { class: 'tree', 'aria-label': `Repair tree of ${problem}` }, el('li', {}, el('span', { class: 'tree-root' }, problem), el('ul', {}, roots.map(branch))))),
      panel));
}
