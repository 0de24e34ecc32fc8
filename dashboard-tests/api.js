// The few API calls the browser tests make around what they click, with an API key (the stack's admin key
// unless told otherwise).
import { readFileSync } from 'node:fs';

export function client(baseUrl, key) {
  const call = async (method, path, body, type = 'application/json') => {
    const headers = { Authorization: `Bearer ${key}` };
    if (body) headers['Content-Type'] = type;
    const response = await fetch(baseUrl + path, { method, body, headers });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const api = {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, JSON.stringify(body)),
    delete: (path) => call('DELETE', path),
    /** A new API key: {id, name, role, key, …}; the key itself is shown only in this answer. */
    createKey: (name, role) => call('POST', '/api/keys', JSON.stringify({ name, role })),
    importDataset: (name, file) => call('POST', `/api/datasets?name=${encodeURIComponent(name)}`, readFileSync(file), 'application/x-ndjson'),
    async finished(jobId, seconds = 90) {
      const deadline = Date.now() + seconds * 1000;
      while (Date.now() < deadline) {
        const job = await api.get(`/api/jobs/${jobId}`);
        if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`job ${jobId} did not finish in ${seconds}s`);
    },
  };
  return api;
}
