// A job's Server-Sent Events, read with fetch and a streaming body reader: EventSource cannot send the
// Authorization header, and the token never goes into a URL. Frames and reconnection follow EventSource:
// `event:`, `data:`, `id:` and `retry:` lines, a blank line dispatches; after a dropped connection it
// reconnects with Last-Event-ID, waiting longer after each failure in a row.
import { SignedOut, request } from './app.js';

const FIRST_DELAY_MS = 1000;
const LONGEST_DELAY_MS = 30000;

/**
 * Follows an event stream: listeners[name](event) is called with {type, data, lastEventId} for each event
 * (name 'message' when the frame names none). Returns {close()}. A 4xx answer (the job is gone, the role may
 * not read it) ends it, as it does an EventSource; a 401 signs out (see request).
 */
export function eventStream(path, listeners, { onerror } = {}) {
  const abort = new AbortController();
  let closed = false;
  let lastEventId = '';
  let delay = FIRST_DELAY_MS;
  let retryMs = null;

  const dispatch = (type, data) => {
    if (closed) return;
    listeners[type || 'message']?.({ type: type || 'message', data, lastEventId });
  };

  async function connect() {
    const headers = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' };
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const response = await request(path, { headers, signal: abort.signal });
    if (!response.ok || !response.body) {
      const error = new Error(`event stream ${path}: HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    delay = retryMs ?? FIRST_DELAY_MS;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let type = '';
    let data = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop(); // an unfinished line waits for the next chunk
      for (const line of lines) {
        if (line === '') {
          if (data.length) dispatch(type, data.join('\n'));
          type = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue; // a comment, e.g. a keep-alive
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const fieldValue = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') type = fieldValue;
        else if (field === 'data') data.push(fieldValue);
        else if (field === 'id' && !fieldValue.includes('\0')) lastEventId = fieldValue;
        else if (field === 'retry' && /^\d+$/.test(fieldValue)) retryMs = Number(fieldValue);
      }
    }
  }

  (async () => {
    while (!closed) {
      try {
        await connect();
      } catch (e) {
        if (closed || e instanceof SignedOut) return;
        if (e.status >= 400 && e.status < 500) {
          closed = true;
          onerror?.(e);
          return;
        }
        delay = Math.min(delay * 2, LONGEST_DELAY_MS);
      }
      if (closed) return;
      await new Promise((resume) => setTimeout(resume, delay));
    }
  })();

  return {
    close() {
      closed = true;
      abort.abort();
    },
  };
}
