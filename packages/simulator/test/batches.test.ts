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
const questions = entries.slice(0, 6);

const chatBody = (question: string) => ({
  model: 'sim:default',
  temperature: 0,
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: `<Question>${question}</Question>\nAnswer inside <answer></answer>.` },
  ],
});

const jsonl = (lines: unknown[]) => `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
const inputLines = () =>
  questions.map((q, i) => ({
    custom_id: `line-${i}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: chatBody(q.question),
  }));

let server: SimServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<SimServerOptions> = {}): Promise<SimServer> {
  server = await startSimServer({ answerKey, ...options });
  return server;
}

async function call<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T };
}

interface BatchObject {
  id: string;
  status: string;
  output_file_id: string | null;
  error_file_id: string | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
}

async function upload(sim: SimServer, content: string): Promise<string> {
  const form = new FormData();
  form.set('purpose', 'batch');
  form.set('file', new Blob([content]), 'input.jsonl');
  const { status, body } = await call<{ id: string; purpose: string; bytes: number }>(`${sim.url}/v1/files`, {
    method: 'POST',
    body: form,
  });
  expect(status).toBe(200);
  expect(body.purpose).toBe('batch');
  expect(body.bytes).toBe(Buffer.byteLength(content));
  return body.id;
}

const createBatch = (sim: SimServer, fileId: string, extra: Record<string, unknown> = {}) =>
  call<BatchObject>(`${sim.url}/v1/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      input_file_id: fileId,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      ...extra,
    }),
  });

const retrieve = async (sim: SimServer, id: string) =>
  (await call<BatchObject>(`${sim.url}/v1/batches/${id}`)).body;
const content = async (sim: SimServer, fileId: string) =>
  (await (await fetch(`${sim.url}/v1/files/${fileId}/content`)).text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('OpenAI files and batches', () => {
  it("answers every line after the completion delay with the live endpoint's answers, and counts them", async () => {
    const sim = await start({ batch: { completionDelayMs: 300 } });
    const fileId = await upload(sim, jsonl(inputLines()));
    const created = await createBatch(sim, fileId, { metadata: { job: 'j1' } });
    expect(created.status).toBe(200);
    expect(created.body.status).toBe('in_progress');
    expect(created.body.metadata).toEqual({ job: 'j1' });
    expect((await retrieve(sim, created.body.id)).status).toBe('in_progress');
    await new Promise((resolve) => setTimeout(resolve, 350));
    const done = await retrieve(sim, created.body.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: 6, completed: 6, failed: 0 });
    expect(done.error_file_id).toBeNull();
    const output = await content(sim, done.output_file_id!);
    expect(output.map((line) => line.custom_id)).toEqual(inputLines().map((line) => line.custom_id));
    for (const [i, line] of output.entries()) {
      const live = await call<{ choices: Array<{ message: { content: string } }> }>(
        `${sim.url}/v1/chat/completions`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(chatBody(questions[i]!.question)),
        },
      );
      const response = line.response as { status_code: number; body: typeof live.body };
      expect(response.status_code).toBe(200);
      expect(response.body.choices[0]!.message.content).toBe(live.body.choices[0]!.message.content);
    }
    expect(sim.stats().batches).toEqual({
      files: 1,
      batches: 1,
      lines: 6,
      answeredLines: 6,
      failedLines: 0,
      expiredBatches: 0,
      cancelledBatches: 0,
      cancelRequests: 0,
      cancelledLines: 0,
    });
  });

  it('refuses another endpoint or window, and fails a file with a repeated custom_id', async () => {
    const sim = await start();
    const fileId = await upload(sim, jsonl(inputLines()));
    expect((await createBatch(sim, fileId, { completion_window: '1h' })).status).toBe(400);
    expect((await createBatch(sim, fileId, { endpoint: '/v1/embeddings' })).status).toBe(400);
    const repeated = await upload(sim, jsonl([inputLines()[0], inputLines()[0]]));
    const failed = await createBatch(sim, repeated);
    expect(failed.body.status).toBe('failed');
    expect(sim.stats().batches.batches).toBe(0);
  });

  it('expires the batches it is told to: every line in the error file as batch_expired', async () => {
    const sim = await start({ batch: { expireBatches: [0] } });
    const first = (await createBatch(sim, await upload(sim, jsonl(inputLines())))).body;
    const expired = await retrieve(sim, first.id);
    expect(expired.status).toBe('expired');
    expect(expired.output_file_id).toBeNull();
    const errors = await content(sim, expired.error_file_id!);
    expect(errors.map((line) => (line.error as { code: string }).code)).toEqual(
      Array(6).fill('batch_expired'),
    );
    const second = (await createBatch(sim, await upload(sim, jsonl(inputLines())))).body;
    expect((await retrieve(sim, second.id)).status).toBe('completed');
    expect(sim.stats().batches.expiredBatches).toBe(1);
  });

  it('fails a share of lines through error_file_id, and a resubmitted line draws again', async () => {
    const sim = await start({ batch: { failedLineRate: 0.5 }, faultSeed: 3 });
    const first = await retrieve(
      sim,
      (await createBatch(sim, await upload(sim, jsonl(inputLines())))).body.id,
    );
    expect(first.status).toBe('completed');
    const failedIds = (await content(sim, first.error_file_id!)).map((line) => {
      expect((line.response as { status_code: number }).status_code).toBe(500);
      return line.custom_id;
    });
    expect(failedIds.length).toBeGreaterThan(0);
    expect(failedIds.length).toBeLessThan(6);
    expect(first.request_counts.failed).toBe(failedIds.length);
    // Resubmitting the failed lines until none fails ends within a few rounds.
    let pending = inputLines().filter((line) => failedIds.includes(line.custom_id));
    for (let round = 0; pending.length > 0 && round < 10; round += 1) {
      const batch = await retrieve(sim, (await createBatch(sim, await upload(sim, jsonl(pending)))).body.id);
      const still = batch.error_file_id
        ? (await content(sim, batch.error_file_id)).map((l) => l.custom_id)
        : [];
      pending = pending.filter((line) => still.includes(line.custom_id));
    }
    expect(pending).toEqual([]);
  });

  it('lists batches newest first with metadata, and cancels one in progress', async () => {
    const sim = await start({ batch: { completionDelayMs: 60_000 } });
    const fileId = await upload(sim, jsonl(inputLines()));
    const a = (await createBatch(sim, fileId, { metadata: { job: 'a' } })).body;
    const b = (await createBatch(sim, fileId, { metadata: { job: 'b' } })).body;
    const list = (await call<{ data: BatchObject[]; has_more: boolean }>(`${sim.url}/v1/batches?limit=1`))
      .body;
    expect(list.data.map((batch) => batch.id)).toEqual([b.id]);
    expect(list.has_more).toBe(true);
    const rest = (await call<{ data: BatchObject[] }>(`${sim.url}/v1/batches?after=${b.id}`)).body;
    expect(rest.data.map((batch) => batch.metadata?.job)).toEqual(['a']);
    const cancelled = (await call<BatchObject>(`${sim.url}/v1/batches/${a.id}/cancel`, { method: 'POST' }))
      .body;
    expect(cancelled.status).toBe('cancelling');
    const ended = await retrieve(sim, a.id);
    expect(ended.status).toBe('cancelled');
    const errors = await content(sim, ended.error_file_id!);
    expect(errors.every((line) => (line.error as { code: string }).code === 'batch_cancelled')).toBe(true);
    expect((await retrieve(sim, b.id)).status).toBe('in_progress');
    expect(sim.stats().batches.cancelledBatches).toBe(1);
  });
});

describe('Anthropic message batches', () => {
  const params = (question: string) => ({
    model: 'sim:default',
    max_tokens: 1024,
    temperature: 0,
    system: 'You are a helpful assistant.',
    messages: [
      { role: 'user', content: `<Question>${question}</Question>\nAnswer inside <answer></answer>.` },
    ],
  });
  const post = (url: string, body: unknown) =>
    call<Record<string, unknown>>(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('creates, polls until ended and serves results JSONL equal to live messages', async () => {
    const sim = await start({ batch: { completionDelayMs: 200, failedLineRate: 0 } });
    const requests = questions.map((q, i) => ({ custom_id: `req_${i}`, params: params(q.question) }));
    const created = (await post(`${sim.url}/v1/messages/batches`, { requests })).body;
    expect(created.processing_status).toBe('in_progress');
    expect(created.results_url).toBeNull();
    const id = String(created.id);
    expect((await fetch(`${sim.url}/v1/messages/batches/${id}/results`)).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const ended = (await call<Record<string, unknown>>(`${sim.url}/v1/messages/batches/${id}`)).body;
    expect(ended.processing_status).toBe('ended');
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 6,
      errored: 0,
      canceled: 0,
      expired: 0,
    });
    const text = await (await fetch(String(ended.results_url))).text();
    const results = text.split('\n').map(
      (line) =>
        JSON.parse(line) as {
          custom_id: string;
          result: { type: string; message: { content: Array<{ text: string }> } };
        },
    );
    expect(results.map((r) => r.custom_id)).toEqual(requests.map((r) => r.custom_id));
    for (const [i, result] of results.entries()) {
      const live = (await post(`${sim.url}/v1/messages`, params(questions[i]!.question))).body as {
        content: Array<{ text: string }>;
      };
      expect(result.result.type).toBe('succeeded');
      expect(result.result.message.content[0]!.text).toBe(live.content[0]!.text);
    }
    expect(sim.stats().batches).toMatchObject({ batches: 1, lines: 6, answeredLines: 6, files: 0 });
  });

  it('reports expired and errored lines, and refuses a custom_id Anthropic would refuse', async () => {
    const sim = await start({ batch: { expireBatches: [0], failedLineRate: 1 } });
    const requests = questions.map((q, i) => ({ custom_id: `req_${i}`, params: params(q.question) }));
    const expired = (await post(`${sim.url}/v1/messages/batches`, { requests })).body;
    const expiredText = await (
      await fetch(`${sim.url}/v1/messages/batches/${String(expired.id)}/results`)
    ).text();
    expect(expiredText.split('\n').map((line) => JSON.parse(line).result.type)).toEqual(
      Array(6).fill('expired'),
    );
    const errored = (await post(`${sim.url}/v1/messages/batches`, { requests })).body;
    const erroredText = await (
      await fetch(`${sim.url}/v1/messages/batches/${String(errored.id)}/results`)
    ).text();
    expect(erroredText.split('\n').map((line) => JSON.parse(line).result.type)).toEqual(
      Array(6).fill('errored'),
    );
    const bad = await post(`${sim.url}/v1/messages/batches`, {
      requests: [{ custom_id: 'has space', params: params('q') }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });
});
