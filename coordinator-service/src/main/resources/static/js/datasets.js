// Datasets: the list, one dataset's problems, and import by file upload with the file's line errors.
import { ApiError, SignedOut, api, code, el, facts, forgetDatasets, may, me, num, table, when } from './app.js';

export async function datasetsPage() {
  const list = await api('/api/datasets');
  const errors = el('div', { class: 'upload-errors', role: 'alert' });
  const form = el('form', { id: 'upload', class: 'upload', onsubmit: async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    const data = new FormData();
    const file = form.elements.file.files[0];
    if (!file) {
      errors.append(el('p', { class: 'field-error' }, 'Choose a file.'));
      return;
    }
    data.append('file', file);
    const name = form.elements.name.value.trim();
    try {
      const created = await api(`/api/datasets${name ? `?name=${encodeURIComponent(name)}` : ''}`, { method: 'POST', form: data });
      forgetDatasets();
      location.hash = `#/datasets/${created.id}`;
    } catch (err) {
      if (err instanceof SignedOut) return;
      if (!(err instanceof ApiError)) throw err;
      errors.append(el('p', { class: 'field-error' }, err.message));
      const lines = err.problem?.errors || [];
      if (lines.length) {
        errors.append(table(['line', 'field', 'message'], lines.map((l) => [l.line ?? 'file', l.field ?? '', l.message]), { class: 'line-errors' }));
      }
    }
  } },
  el('label', { for: 'upload-file' }, 'File (HumanEval, MBPP, EvalPlus; JSONL or JSON array, plain or gzip)'),
  el('input', { id: 'upload-file', name: 'file', type: 'file', accept: '.jsonl,.json,.gz' }),
  el('label', { for: 'upload-name' }, 'Name (default: the file\'s)'),
  el('input', { id: 'upload-name', name: 'name', type: 'text' }),
  el('button', { type: 'submit' }, 'Import'));

  return el('section', {}, el('h1', {}, 'Datasets'),
    table(['name', 'problems', 'format', 'file', 'plus tests', 'sha256', 'imported', 'imported by', ''],
      list.map((d) => [el('a', { href: `#/datasets/${d.id}` }, d.name), num(d.problemCount), d.format, d.fileFormat, d.plusTests ? 'yes' : 'no',
        d.sha256 ? el('code', { title: d.sha256 }, d.sha256.slice(0, 12)) : '–', when(d.createdAt), d.createdBy || '–',
        may('start') ? el('a', { href: `#/new?dataset=${d.id}` }, 'new job') : '']), { id: 'datasets' }),
    el('h2', {}, 'Import a dataset'),
    may('import') ? [form, errors] : el('p', { class: 'muted', id: 'role-notice' }, `Your role, ${me()?.role}, may not import datasets.`));
}

export async function datasetPage(id) {
  const [dataset, problems] = await Promise.all([api(`/api/datasets/${id}`), api(`/api/datasets/${id}/problems`)]);
  const detail = el('div', { class: 'problem-detail' });
  const open = (p) => detail.replaceChildren(el('h2', {}, p.taskId), facts([['entry point', p.entryPoint], ['judged by', p.judgedBy]]), el('h3', {}, 'Prompt'), code(p.prompt));
  return el('section', {},
    el('p', { class: 'crumbs' }, el('a', { href: '#/datasets' }, 'Datasets'), ' › ', dataset.name),
    el('h1', {}, dataset.name),
    facts([['problems', num(dataset.problemCount)], ['format', dataset.format], ['sha256', dataset.sha256], ['imported', when(dataset.createdAt)],
      dataset.createdBy ? ['imported by', dataset.createdBy] : null]),
    may('start') ? el('p', {}, el('a', { class: 'button', href: `#/new?dataset=${id}` }, 'Start a job on it')) : '',
    el('div', { class: 'split' },
      el('ul', { class: 'problem-index' }, problems.map((p) => el('li', {}, el('button', { type: 'button', class: 'linklike', onclick: () => open(p) }, p.taskId), ' ', el('span', { class: 'muted' }, p.entryPoint)))),
      detail));
}
