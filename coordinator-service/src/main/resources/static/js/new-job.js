// Start a job from a form; the API's validation messages appear next to their fields.
import { ApiError, SignedOut, api, el, may, me } from './app.js';

export async function newJobPage(params) {
  const [datasetList, endpoints] = await Promise.all([api('/api/datasets'), api('/api/endpoints')]);
  const errors = new Map();

  function field(label, name, input, hint) {
    const id = `f-${name.replace(/\./g, '-')}`;
    input.id = id;
    input.name = name;
    const error = el('span', { class: 'field-error', id: `${id}-error`, 'data-error-for': name, 'aria-live': 'polite' });
    input.setAttribute('aria-describedby', `${id}-error`);
    errors.set(name, error);
    return el('div', { class: 'field' }, el('label', { for: id }, label), input, hint ? el('small', { class: 'muted' }, hint) : '', error);
  }

  const strategy = el('select', {}, el('option', { value: 'single' }, 'single: n independent samples'), el('option', { value: 'murphy' }, 'murphy: multi-turn self-repair'));
  const murphyFields = el('fieldset', { class: 'murphy', hidden: true },
    el('legend', {}, 'Murphy (see README, Multi-turn self-repair)'),
    field('Candidates (G)', 'strategy.candidates', el('input', { type: 'number', min: 1, max: 64, value: 4 })),
    field('Turns (S)', 'strategy.turns', el('input', { type: 'number', min: 1, max: 8, value: 2 })),
    field('Pruning budget (b)', 'strategy.pruningBudget', el('input', { type: 'number', min: 1, max: 64, value: 3 })),
    field('Credit', 'strategy.credit', el('select', {}, el('option', { value: 'mars' }, 'MaRS'), el('option', { value: 'mers' }, 'MeRS'))),
    field('γ (MeRS discount)', 'strategy.gamma', el('input', { type: 'number', step: 'any', value: 0.9 })),
    field('Feedback', 'strategy.feedback', el('select', {}, el('option', { value: 'visible' }, 'visible tests'), el('option', { value: 'full' }, 'hidden tests (oracle feedback)'))));
  const samplesField = field('Samples per problem (n)', 'samplesPerProblem', el('input', { type: 'number', min: 1, value: 1 }));
  strategy.addEventListener('change', () => {
    murphyFields.hidden = strategy.value !== 'murphy';
    samplesField.hidden = strategy.value === 'murphy';
  });

  const endpointSelect = el('select', {}, endpoints.length
    ? endpoints.map((e) => el('option', { value: e.name }, `${e.name} (${e.provider}, ${e.workers} worker${e.workers === 1 ? '' : 's'})`))
    : el('option', { value: '' }, 'no live endpoint: start a worker'));
  const status = el('div', { role: 'status', class: 'form-status' });

  const form = el('form', { id: 'new-job', novalidate: true, onsubmit: submit },
    field('Dataset', 'datasetId', el('select', {}, datasetList.map((d) => el('option', { value: d.id, selected: d.id === params.get('dataset') }, `${d.name} (${d.problemCount} problems)`)))),
    field('Endpoint', 'endpoint', endpointSelect, 'the endpoints live workers serve'),
    field('Model', 'model', el('input', { type: 'text', value: params.get('model') || '', placeholder: 'qwen2.5-coder:7b', autocomplete: 'off' })),
    field('Strategy', 'strategy.type', strategy),
    samplesField,
    murphyFields,
    el('fieldset', {}, el('legend', {}, 'Generation (empty: the server\'s defaults)'),
      field('Temperature', 'generation.temperature', el('input', { type: 'number', step: 'any' })),
      field('top-p', 'generation.topP', el('input', { type: 'number', step: 'any' })),
      field('Max tokens', 'generation.maxTokens', el('input', { type: 'number' })),
      field('Seed', 'generation.seed', el('input', { type: 'number' }))),
    field('Problems', 'problems', el('input', { type: 'text', placeholder: 'all; or e.g. Sample/0, Sample/3' }), 'task ids, separated by commas'),
    field('Time limit (s)', 'timeoutSeconds', el('input', { type: 'number', step: 'any' }), 'empty: calibrated per problem on its reference solution'),
    el('button', { type: 'submit' }, 'Start job'),
    status);

  async function submit(event) {
    event.preventDefault();
    errors.forEach((e) => { e.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
    status.textContent = '';
    const value = (name) => form.elements[name].value.trim();
    const number = (name) => (value(name) === '' ? undefined : Number(value(name)));
    const request = {
      datasetId: value('datasetId') || undefined,
      endpoint: value('endpoint'),
      model: value('model'),
      strategy: { type: strategy.value },
      timeoutSeconds: number('timeoutSeconds'),
    };
    if (strategy.value === 'murphy') {
      Object.assign(request.strategy, {
        candidates: number('strategy.candidates'), turns: number('strategy.turns'), pruningBudget: number('strategy.pruningBudget'),
        credit: value('strategy.credit'), gamma: number('strategy.gamma'), feedback: value('strategy.feedback'),
      });
    } else {
      request.samplesPerProblem = number('samplesPerProblem');
    }
    const generation = { temperature: number('generation.temperature'), topP: number('generation.topP'), maxTokens: number('generation.maxTokens'), seed: number('generation.seed') };
    if (Object.values(generation).some((v) => v !== undefined)) request.generation = generation;
    const problems = value('problems');
    if (problems) request.problems = problems.split(/[,\s]+/).filter(Boolean);
    try {
      const created = await api('/api/jobs', { method: 'POST', body: request });
      location.hash = `#/jobs/${created.id}`;
    } catch (e) {
      if (e instanceof SignedOut) return;
      if (!(e instanceof ApiError)) throw e;
      const fieldErrors = e.problem?.errors || [];
      for (const { field: name, message } of fieldErrors) {
        const target = errors.get(name) || errors.get(name?.replace(/\[\d+\]$/, '')) || (name === 'dataset' ? errors.get('datasetId') : null);
        if (target) {
          target.textContent = target.textContent ? `${target.textContent}; ${message}` : message;
          form.elements[target.dataset.errorFor]?.setAttribute('aria-invalid', 'true');
        } else {
          status.append(el('p', { class: 'field-error' }, `${name}: ${message}`));
        }
      }
      if (!fieldErrors.length) status.append(el('p', { class: 'field-error' }, e.message));
      form.querySelector('[aria-invalid]')?.focus();
    }
  }

  // reached by its address: the form stays, and the API's answer (a 403 naming the role) says why not
  const refused = may('start') ? '' : el('p', { class: 'warning', id: 'role-notice' }, `Signed in as ${me().name} with the role ${me().role}, which may not start jobs: ask an admin for an evaluator key.`);
  return el('section', {}, el('h1', {}, 'New job'), refused, form);
}
