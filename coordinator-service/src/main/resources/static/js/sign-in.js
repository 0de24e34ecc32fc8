// Sign in: an API key, or a bearer token from the organisation's identity provider. It is kept in this
// tab's sessionStorage only, and sent as `Authorization: Bearer` with every call to the API.
import { ApiError, api, el, signIn } from './app.js';
import { startSignIn } from './oidc.js';

export function signInPage(message) {
  const error = el('p', { class: 'field-error', id: 'sign-in-error', role: 'alert' });
  const input = el('input', {
    id: 'sign-in-token', name: 'token', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'ef_…', 'aria-describedby': 'sign-in-hint sign-in-error',
  });
  const button = el('button', { type: 'submit' }, 'Sign in');
  const form = el('form', { id: 'sign-in', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    const value = input.value.trim();
    if (!value) {
      error.textContent = 'Enter an API key or a bearer token.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    button.disabled = true;
    try {
      await signIn(value);
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 401
        ? `The API did not accept this key${e.problem?.detail ? ` (${e.problem.detail})` : ''}: check it, or ask an admin for a new one.`
        : `Could not sign in: ${e.message}`;
      input.setAttribute('aria-invalid', 'true');
      input.select();
      input.focus();
    } finally {
      button.disabled = false;
    }
  } },
  el('div', { class: 'field' },
    el('label', { for: 'sign-in-token' }, 'API key or bearer token'),
    input,
    el('small', { class: 'muted', id: 'sign-in-hint' },
      'An admin creates keys (POST /api/keys); ', el('code', {}, './evalfleet up'), ' prints the local admin key. ',
      'A token from your identity provider works too. It is kept for this tab only and forgotten when you close it.')),
  error,
  button);

  // where an identity provider is configured (GET /api/sign-in, open), its login page comes first
  const provider = el('div', { class: 'sign-in-provider' });
  api('/api/sign-in').then(({ identityProvider: idp }) => {
    if (!idp) return;
    const failed = el('p', { class: 'field-error', role: 'alert' });
    provider.replaceChildren(
      el('button', { type: 'button', id: 'sign-in-provider', onclick: () => startSignIn(idp).catch((e) => { failed.textContent = `Could not sign in with ${idp.name}: ${e.message}`; }) }, `Sign in with ${idp.name}`),
      failed,
      el('p', { class: 'muted or' }, 'or with an API key'));
  }).catch(() => {});

  return el('section', { class: 'sign-in' },
    el('h1', {}, 'Sign in to evalfleet'),
    message ? el('p', { class: 'warning', id: 'sign-in-reason', role: 'status' }, message) : '',
    provider,
    form);
}
