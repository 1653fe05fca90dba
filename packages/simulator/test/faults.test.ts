import { describe, expect, it } from 'vitest';
import { createAnswerKey, type FaultKind, startSimServer } from '../src/index.js';

const answerKey = createAnswerKey([]);
const chatBody = JSON.stringify({ model: 'sim:default', messages: [{ role: 'user', content: 'hello' }] });

async function withFault<T>(kind: FaultKind, run: (url: string) => Promise<T>): Promise<T> {
  const server = await startSimServer({ answerKey, failRate: 1, failKinds: [kind], retryAfterSeconds: 2 });
  try {
    const result = await run(server.url);
    expect(server.stats().faults).toEqual({ [kind]: 1 });
    expect(server.stats().answered).toBe(0);
    return result;
  } finally {
    await server.close();
  }
}

const post = (url: string, path: string, signal?: AbortSignal) =>
  fetch(`${url}${path}`, { method: 'POST', body: chatBody, signal: signal ?? null });

describe('fault injection', () => {
  it('answers 429 with a retry-after header in seconds', async () => {
    const response = await withFault('429', (url) => post(url, '/v1/chat/completions'));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
  });

  it('answers 500 in the Anthropic error shape on /v1/messages', async () => {
    const response = await withFault('500', (url) => post(url, '/v1/messages'));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });
  });

  it('sends a 200 whose JSON body cannot be parsed', async () => {
    const body = await withFault('malformed', async (url) => {
      const response = await post(url, '/v1/chat/completions');
      expect(response.status).toBe(200);
      return response.text();
    });
    expect(() => JSON.parse(body)).toThrow();
  });

  it('stalls until the client gives up', async () => {
    const outcome = await withFault('timeout', (url) =>
      post(url, '/v1/chat/completions', AbortSignal.timeout(300)).then(
        () => 'answered',
        (error: Error) => error.name,
      ),
    );
    expect(outcome).toBe('TimeoutError');
  });

  it('ends a stalled request when the server closes', async () => {
    const server = await startSimServer({ answerKey, failRate: 1, failKinds: ['timeout'] });
    const pending = post(server.url, '/v1/chat/completions').then(
      () => 'answered',
      () => 'connection closed',
    );
    for (let wait = 0; wait < 500 && server.stats().faults.timeout !== 1; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(server.stats().faults.timeout).toBe(1);
    await server.close();
    expect(await pending).toBe('connection closed');
  });

  it('picks faults deterministically from the seed and the request counter, at about the fail rate', async () => {
    const run = async () => {
      const server = await startSimServer({
        answerKey,
        failRate: 0.3,
        failKinds: ['429', '500'],
        faultSeed: 7,
      });
      const statuses: number[] = [];
      for (let i = 0; i < 60; i += 1) statuses.push((await post(server.url, '/v1/chat/completions')).status);
      const stats = server.stats();
      await server.close();
      return { statuses, stats };
    };
    const first = await run();
    expect((await run()).statuses).toEqual(first.statuses);
    const failed = first.statuses.filter((s) => s !== 200).length;
    expect(failed).toBeGreaterThan(6);
    expect(failed).toBeLessThan(36);
    expect(first.stats.answered).toBe(60 - failed);
    expect((first.stats.faults['429'] ?? 0) + (first.stats.faults['500'] ?? 0)).toBe(failed);
  });
});
