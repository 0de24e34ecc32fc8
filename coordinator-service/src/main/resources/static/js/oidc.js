// "Sign in with <identity provider>": OAuth 2.0 authorization code with PKCE for a public client (the
// browser keeps no secret), as GET /api/sign-in describes it. The provider sends the person back to the
// dashboard's own address with ?code=…&state=…; the code and the verifier kept in this tab buy the access
// token, which is then used like an API key.
const PENDING = 'evalfleet.sign-in';

const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomText = () => base64url(crypto.getRandomValues(new Uint8Array(32)));
const redirectUri = () => `${location.origin}/`;

async function discover(issuer) {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`the identity provider's configuration could not be read (HTTP ${response.status})`);
  return response.json();
}

/** Sends the person to the provider's login page; they come back to finishSignIn. */
export async function startSignIn(provider) {
  const config = await discover(provider.issuer);
  const verifier = randomText();
  const state = randomText();
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({
    verifier, state, tokenEndpoint: config.token_endpoint, clientId: provider.clientId, redirectUri: redirectUri(), returnTo: location.hash,
  }));
  const login = new URL(config.authorization_endpoint);
  login.search = new URLSearchParams({
    response_type: 'code', client_id: provider.clientId, redirect_uri: redirectUri(), scope: provider.scope || 'openid',
    state, code_challenge: challenge, code_challenge_method: 'S256',
  });
  location.assign(login);
}

/**
 * On the way back from the provider: the access token, or null when this page load is not such a return.
 * The code leaves the address bar at once; a wrong state or the provider's error rejects.
 */
export async function finishSignIn() {
  const params = new URLSearchParams(location.search);
  if (!params.has('state') || !(params.has('code') || params.has('error'))) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `${location.pathname}${pending?.returnTo || '#/jobs'}`);
  if (!pending || pending.state !== params.get('state')) throw new Error('The sign-in came back without a matching request from this tab; try again.');
  if (params.has('error')) throw new Error(`The identity provider said: ${params.get('error_description') || params.get('error')}`);
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: pending.redirectUri, client_id: pending.clientId, code_verifier: pending.verifier,
    }),
  });
  const answer = await response.json().catch(() => null);
  if (!response.ok || !answer?.access_token) throw new Error(`The identity provider gave no token: ${answer?.error_description || answer?.error || `HTTP ${response.status}`}`);
  return answer.access_token;
}
