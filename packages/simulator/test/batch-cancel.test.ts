import { afterEach, describe, expect, it } from 'vitest';
import {
  createAnswerKey,
  type SimServer,
  type SimServerOptions,
  SYNTHETIC_TASKS,
  startSimServer,
  syntheticEntries,
} from '../src/index.js';

const entries = SYNTHETIC_TASKS.flatMap((task) => syntheticEntries(task, 10));
const answerKey = createAnswerKey(entries);
const LINES = 6;
const questions = entries.slice(0, LINES).map((entry) => entry.question);
const userMessage = (question: string) => ({
  role: 'user',
  content: `<Question>${question}</Question>\nAnswer inside <answer></answer>.`,
});

let server: SimServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(batch: NonNullable<SimServerOptions['batch']>): Promise<SimServer> {
  server = await startSimServer({ answerKey, batch });
  return server;
}

async function call<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T };
}
const post = <T>(url: string, body?: unknown) =>
  call<T>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jsonlOf = async (response: Response) =>
  (await response.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

interface BatchObject {
  id: string;
  status: string;
  output_file_id: string | null;
  error_file_id: string | null;
  request_counts: { total: number; completed: number; failed: number };
}

async function createOpenAiBatch(sim: SimServer): Promise<BatchObject> {
  const lines = questions.map((question, i) => ({
    custom_id: `line-${i}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'sim:default', temperature: 0, messages: [userMessage(question)] },
  }));
  const form = new FormData();
  form.set('purpose', 'batch');
  form.set('file', new Blob([lines.map((line) => JSON.stringify(line)).join('\n')]), 'in.jsonl');
  const file = await call<{ id: string }>(`${sim.url}/v1/files`, { method: 'POST', body: form });
  const input = { input_file_id: file.body.id, endpoint: '/v1/chat/completions', completion_window: '24h' };
  return (await post<BatchObject>(`${sim.url}/v1/batches`, input)).body;
}

describe('cancelling an OpenAI batch', () => {
  it('is cancelling for cancelDelayMs, then cancelled with the lines done before the cancel in its output file', async () => {
    // Line i of 6 is processed at (i + 1) * 100 ms: cancelled at ~350 ms, lines 0-2 are done.
    const sim = await start({ completionDelayMs: 600, cancelDelayMs: 150 });
    const created = await createOpenAiBatch(sim);
    await sleep(350);
    const cancelling = await post<BatchObject>(`${sim.url}/v1/batches/${created.id}/cancel`);
    expect(cancelling.status).toBe(200);
    expect(cancelling.body.status).toBe('cancelling');
    const done = cancelling.body.request_counts.completed;
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(LINES);
    expect((await call<BatchObject>(`${sim.url}/v1/batches/${created.id}`)).body.status).toBe('cancelling');

    await sleep(450); // past the completion delay: a cancelled batch processes no more lines
    const ended = (await call<BatchObject>(`${sim.url}/v1/batches/${created.id}`)).body;
    expect(ended.status).toBe('cancelled');
    expect(ended.request_counts).toEqual({ total: LINES, completed: done, failed: LINES - done });
    const output = await jsonlOf(await fetch(`${sim.url}/v1/files/${ended.output_file_id}/content`));
    expect(output.map((line) => line.custom_id)).toEqual(Array.from({ length: done }, (_, i) => `line-${i}`));
    const errors = await jsonlOf(await fetch(`${sim.url}/v1/files/${ended.error_file_id}/content`));
    expect(errors.map((line) => (line.error as { code: string }).code)).toEqual(
      Array(LINES - done).fill('batch_cancelled'),
    );
    expect(sim.stats().batches).toMatchObject({
      cancelledBatches: 1,
      cancelRequests: 1,
      cancelledLines: LINES - done,
      answeredLines: done,
    });
  });

  it('refuses to cancel a batch that has ended, and counts the request', async () => {
    const sim = await start({});
    const created = await createOpenAiBatch(sim);
    expect((await call<BatchObject>(`${sim.url}/v1/batches/${created.id}`)).body.status).toBe('completed');
    const refused = await post<{ error: { message: string } }>(`${sim.url}/v1/batches/${created.id}/cancel`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("status 'completed'");
    expect(sim.stats().batches).toMatchObject({
      cancelRequests: 1,
      cancelledBatches: 0,
      answeredLines: LINES,
    });
  });
});

describe('canceling an Anthropic message batch', () => {
  it('is canceling, then ended with succeeded lines and the rest canceled', async () => {
    const sim = await start({ completionDelayMs: 600, cancelDelayMs: 100 });
    const requests = questions.map((question, i) => ({
      custom_id: `req_${i}`,
      params: { model: 'sim:default', max_tokens: 256, temperature: 0, messages: [userMessage(question)] },
    }));
    const created = (await post<{ id: string }>(`${sim.url}/v1/messages/batches`, { requests })).body;
    await sleep(350);
    type MessageBatch = {
      processing_status: string;
      request_counts: Record<string, number>;
      results_url: string | null;
    };
    const canceling = await post<MessageBatch>(`${sim.url}/v1/messages/batches/${created.id}/cancel`);
    expect(canceling.body.processing_status).toBe('canceling');
    expect(canceling.body.results_url).toBeNull();
    const done = canceling.body.request_counts.succeeded!;
    expect(done).toBeGreaterThanOrEqual(3);
    expect(canceling.body.request_counts.processing).toBe(LINES - done);

    await sleep(150);
    const ended = (await call<MessageBatch>(`${sim.url}/v1/messages/batches/${created.id}`)).body;
    expect(ended.processing_status).toBe('ended');
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: done,
      errored: 0,
      canceled: LINES - done,
      expired: 0,
    });
    const results = await jsonlOf(await fetch(ended.results_url!));
    expect(results.map((line) => (line.result as { type: string }).type)).toEqual([
      ...Array(done).fill('succeeded'),
      ...Array(LINES - done).fill('canceled'),
    ]);
    const again = await post(`${sim.url}/v1/messages/batches/${created.id}/cancel`);
    expect(again.status).toBe(400);
    expect(sim.stats().batches).toMatchObject({ cancelledBatches: 1, cancelRequests: 2 });
  });
});
