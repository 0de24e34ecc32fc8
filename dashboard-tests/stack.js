// Starts what the dashboard needs as processes, as scripts/chaos.py does: the coordinator (which serves
// the dashboard), the scoring service, one worker, and two model-simulator processes as the stand-in
// model server (the one external thing we replace): "sim-mixed" answers a known share wrongly,
// "sim-repair" answers wrongly unless a murphy re-prompt carries feedback. PostgreSQL and RabbitMQ are
// the real local ones, in a database and virtual host of their own. Each run makes its own admin key (the
// coordinator's bootstrap key) and its own token between worker and scoring service. The identity
// provider is a stand-in too: a key pair made here, whose public half the coordinator checks JWTs with,
// and whose pages and token endpoint the browser tests answer themselves.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomInt, sign } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VERSION = '0.1.0-SNAPSHOT';
const JAVA = join(process.env.JAVA_HOME || '/usr', 'bin', 'java');
const DB = process.env.EVALFLEET_DASHBOARD_DB || 'evalfleet_dashboard_test';
const VHOST = process.env.EVALFLEET_DASHBOARD_VHOST || 'evalfleet-dashboard-test';
export const SAMPLE_DATASET = join(ROOT, 'examples', 'sample-problems.jsonl');

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A secret as an API key looks: `ef_` and 40 random letters and digits. */
export function randomKey() {
  return `ef_${Array.from({ length: 40 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('')}`;
}

/** The stand-in identity provider: its issuer, the dashboard's client id, and tokens it signs. */
function identityProvider(dir) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyFile = join(dir, 'identity-provider.pem');
  writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    name: 'Example SSO',
    issuer: 'https://idp.evalfleet.test/realms/ml',
    clientId: 'evalfleet-dashboard',
    publicKeyFile,
    /** A signed access token (RS256) with these claims, valid for ten minutes. */
    token(claims) {
      const now = Math.floor(Date.now() / 1000);
      const body = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: this.issuer, iat: now, exp: now + 600, ...claims })}`;
      return `${body}.${sign('sha256', Buffer.from(body), privateKey).toString('base64url')}`;
    },
  };
}

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
    server.on('error', fail);
  });
}

const jar = (module) => join(ROOT, module, 'target', `${module}-${VERSION}-exec.jar`);

async function waitFor(what, url, process, seconds = 180) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`${what} exited with ${process.exitCode}; see its log in dashboard-tests/logs`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} not ready after ${seconds}s`);
}

export async function startStack() {
  const logs = join(ROOT, 'dashboard-tests', 'logs');
  mkdirSync(logs, { recursive: true });
  const idp = identityProvider(logs);
  const processes = [];
  const run = (name, args, env = {}) => {
    const out = openSync(join(logs, `${name}.log`), 'w');
    const child = spawn(JAVA, ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k', ...args],
      { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
    processes.push(child);
    return child;
  };
  const [mixedPort, repairPort, scoringPort, coordinatorPort, workerPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const infra = { EVALFLEET_DB_URL: `jdbc:postgresql://127.0.0.1:5432/${DB}`, EVALFLEET_RABBIT_VHOST: VHOST };
  const mixed = run('sim-mixed', ['-jar', jar('model-simulator'), '--port', mixedPort, '--dataset', SAMPLE_DATASET, '--behaviour', 'mixed', '--samples', '3', '--latency-ms', '120', '--jitter-ms', '60']);
  const repair = run('sim-repair', ['-jar', jar('model-simulator'), '--port', repairPort, '--dataset', SAMPLE_DATASET, '--behaviour', 'feedback-needed']);
  const adminKey = randomKey();
  const scoringToken = randomKey();
  const scoring = run('scoring', ['-jar', jar('scoring-service')], { SCORING_PORT: scoringPort, EVALFLEET_SCORING_TOKEN: scoringToken });
  const coordinator = run('coordinator', ['-jar', jar('coordinator-service')], {
    ...infra, COORDINATOR_PORT: coordinatorPort, EVALFLEET_ADMIN_KEY: adminKey,
    SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_PUBLIC_KEY_LOCATION: `file:${idp.publicKeyFile}`,
    EVALFLEET_OIDC_ISSUER: idp.issuer, EVALFLEET_OIDC_CLIENT_ID: idp.clientId, EVALFLEET_OIDC_NAME: idp.name,
  });
  const endpoints = { evalfleet: { worker: { endpoints: [
    { name: 'reference', provider: 'reference' },
    { name: 'sim-mixed', provider: 'ollama', 'base-url': `http://127.0.0.1:${mixedPort}`, 'max-concurrency': 4 },
    { name: 'sim-repair', provider: 'ollama', 'base-url': `http://127.0.0.1:${repairPort}`, 'max-concurrency': 4 },
  ] } } };
  const worker = run('worker', ['-jar', jar('worker-service')], {
    ...infra, WORKER_PORT: workerPort, EVALFLEET_WORKER_ID: 'dashboard-test-worker', EVALFLEET_WORKER_CONCURRENCY: '4',
    EVALFLEET_SCORING_URL: `http://127.0.0.1:${scoringPort}`, EVALFLEET_SCORING_TOKEN: scoringToken, EVALFLEET_WORKER_HEARTBEAT_INTERVAL: '2s',
    SPRING_APPLICATION_JSON: JSON.stringify(endpoints),
  });
  const stack = {
    baseUrl: `http://127.0.0.1:${coordinatorPort}`,
    adminKey,
    identityProvider: idp,
    stop: async () => {
      for (const child of processes) if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.all(processes.map((child) => (child.exitCode !== null ? null : new Promise((r) => {
        const timer = setTimeout(() => { child.kill('SIGKILL'); r(); }, 20000);
        child.on('exit', () => { clearTimeout(timer); r(); });
      }))));
    },
  };
  try {
    await waitFor('sim-mixed', `http://127.0.0.1:${mixedPort}/_simulator/stats`, mixed, 60);
    await waitFor('sim-repair', `http://127.0.0.1:${repairPort}/_simulator/stats`, repair, 60);
    await waitFor('scoring', `http://127.0.0.1:${scoringPort}/actuator/health/readiness`, scoring);
    await waitFor('coordinator', `${stack.baseUrl}/actuator/health/readiness`, coordinator);
    await waitFor('worker', `http://127.0.0.1:${workerPort}/actuator/health/readiness`, worker);
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      const live = await (await fetch(`${stack.baseUrl}/api/endpoints`, { headers: { Authorization: `Bearer ${adminKey}` } })).json();
      if (['sim-mixed', 'sim-repair'].every((name) => live.some((e) => e.name === name))) return stack;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('the worker did not announce its endpoints within 30s');
  } catch (e) {
    await stack.stop();
    throw e;
  }
}
