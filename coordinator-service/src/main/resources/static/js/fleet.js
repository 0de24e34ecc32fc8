// The fleet: workers by heartbeat status, and the model endpoints they serve. Refreshes every 5 s.
import { api, el, num, onLeave, table, when } from './app.js';

export async function fleetPage() {
  const body = el('div');
  async function fill() {
    const [workers, endpoints] = await Promise.all([api('/api/workers'), api('/api/endpoints')]);
    body.replaceChildren(
      el('h2', {}, `Workers (${workers.filter((w) => w.status === 'UP').length} up of ${workers.length})`),
      table(['worker', 'status', 'tasks in flight', 'capacity', 'tasks done', 'endpoints', 'host', 'version', 'last seen'],
        workers.map((w) => [w.workerId, el('span', { class: `badge worker-${w.status.toLowerCase()}` }, w.status), num(w.tasksInFlight), num(w.capacity), num(w.tasksDone),
          (w.endpoints || []).map((e) => e.name).join(', '), w.host, w.version, when(w.lastSeenAt)]), { id: 'workers' }),
      el('h2', {}, 'Endpoints'),
      table(['endpoint', 'provider', 'live workers', 'max concurrency'],
        endpoints.map((e) => [e.name, e.provider, num(e.workers), num(e.maxConcurrency)]), { id: 'endpoints' }));
  }
  await fill();
  const timer = setInterval(() => fill().catch(() => {}), 5000);
  onLeave(() => clearInterval(timer));
  return el('section', {}, el('h1', {}, 'Fleet'), el('p', { class: 'muted' }, 'UP: heard from recently; STALE: silent for a while; GONE: silent long enough to be given up.'), body);
}
