import { describe, expect, it } from 'vitest';
import {
  type BatchObject,
  call,
  chatBody,
  createBatch,
  createOpenAiBatch,
  fileContent,
  jsonl,
  messageParams,
  messageRequests,
  messageResults,
  openAiLines,
  post,
  questions,
  resultTypes,
  retrieve,
  sleep,
  startBatchSim,
  upload,
} from './batch-helpers.js';

describe('OpenAI files and batches', () => {
  it("answers every line after the completion delay with the live endpoint's answers, and counts them", async () => {
    const sim = await startBatchSim({ batch: { completionDelayMs: 300 } });
    const fileId = await upload(sim, jsonl(openAiLines()));
    const created = await createBatch(sim, fileId, { metadata: { job: 'j1' } });
    expect(created.status).toBe(200);
    expect(created.body.status).toBe('in_progress');
    expect(created.body.metadata).toEqual({ job: 'j1' });
    expect((await retrieve(sim, created.body.id)).status).toBe('in_progress');
    await sleep(350);
    const done = await retrieve(sim, created.body.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: 6, completed: 6, failed: 0 });
    expect(done.error_file_id).toBeNull();
    const output = await fileContent(sim, done.output_file_id!);
    expect(output.map((line) => line.custom_id)).toEqual(openAiLines().map((line) => line.custom_id));
    for (const [i, line] of output.entries()) {
      const live = await post<{ choices: Array<{ message: { content: string } }> }>(
        `${sim.url}/v1/chat/completions`,
        chatBody(questions[i]!),
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
    const sim = await startBatchSim();
    const fileId = await upload(sim, jsonl(openAiLines()));
    expect((await createBatch(sim, fileId, { completion_window: '1h' })).status).toBe(400);
    expect((await createBatch(sim, fileId, { endpoint: '/v1/embeddings' })).status).toBe(400);
    const repeated = await upload(sim, jsonl([openAiLines()[0], openAiLines()[0]]));
    const failed = await createBatch(sim, repeated);
    expect(failed.body.status).toBe('failed');
    expect(sim.stats().batches.batches).toBe(0);
  });

  it('expires the batches it is told to: every line in the error file as batch_expired', async () => {
    const sim = await startBatchSim({ batch: { expireBatches: [0] } });
    const first = await createOpenAiBatch(sim);
    const expired = await retrieve(sim, first.id);
    expect(expired.status).toBe('expired');
    expect(expired.output_file_id).toBeNull();
    const errors = await fileContent(sim, expired.error_file_id!);
    expect(errors.map((line) => (line.error as { code: string }).code)).toEqual(
      Array(6).fill('batch_expired'),
    );
    const second = await createOpenAiBatch(sim);
    expect((await retrieve(sim, second.id)).status).toBe('completed');
    expect(sim.stats().batches.expiredBatches).toBe(1);
  });

  it('fails a share of lines through error_file_id, and a resubmitted line draws again', async () => {
    const sim = await startBatchSim({ batch: { failedLineRate: 0.5 }, faultSeed: 3 });
    const first = await retrieve(sim, (await createOpenAiBatch(sim)).id);
    expect(first.status).toBe('completed');
    const failedIds = (await fileContent(sim, first.error_file_id!)).map((line) => {
      expect((line.response as { status_code: number }).status_code).toBe(500);
      return line.custom_id;
    });
    expect(failedIds.length).toBeGreaterThan(0);
    expect(failedIds.length).toBeLessThan(6);
    expect(first.request_counts.failed).toBe(failedIds.length);
    // Resubmitting the failed lines until none fails ends within a few rounds.
    let pending = openAiLines().filter((line) => failedIds.includes(line.custom_id));
    for (let round = 0; pending.length > 0 && round < 10; round += 1) {
      const batch = await retrieve(sim, (await createBatch(sim, await upload(sim, jsonl(pending)))).body.id);
      const still = batch.error_file_id
        ? (await fileContent(sim, batch.error_file_id)).map((l) => l.custom_id)
        : [];
      pending = pending.filter((line) => still.includes(line.custom_id));
    }
    expect(pending).toEqual([]);
  });

  it('lists batches newest first with metadata, and cancels one in progress', async () => {
    const sim = await startBatchSim({ batch: { completionDelayMs: 60_000 } });
    const fileId = await upload(sim, jsonl(openAiLines()));
    const a = (await createBatch(sim, fileId, { metadata: { job: 'a' } })).body;
    const b = (await createBatch(sim, fileId, { metadata: { job: 'b' } })).body;
    const list = (await call<{ data: BatchObject[]; has_more: boolean }>(`${sim.url}/v1/batches?limit=1`))
      .body;
    expect(list.data.map((batch) => batch.id)).toEqual([b.id]);
    expect(list.has_more).toBe(true);
    const rest = (await call<{ data: BatchObject[] }>(`${sim.url}/v1/batches?after=${b.id}`)).body;
    expect(rest.data.map((batch) => batch.metadata?.job)).toEqual(['a']);
    const cancelled = (await post<BatchObject>(`${sim.url}/v1/batches/${a.id}/cancel`)).body;
    expect(cancelled.status).toBe('cancelling');
    const ended = await retrieve(sim, a.id);
    expect(ended.status).toBe('cancelled');
    const errors = await fileContent(sim, ended.error_file_id!);
    expect(errors.every((line) => (line.error as { code: string }).code === 'batch_cancelled')).toBe(true);
    expect((await retrieve(sim, b.id)).status).toBe('in_progress');
    expect(sim.stats().batches.cancelledBatches).toBe(1);
  });
});

describe('Anthropic message batches', () => {
  it('creates, polls until ended and serves results JSONL equal to live messages', async () => {
    const sim = await startBatchSim({ batch: { completionDelayMs: 200, failedLineRate: 0 } });
    const requests = messageRequests();
    const created = (await post<Record<string, unknown>>(`${sim.url}/v1/messages/batches`, { requests }))
      .body;
    expect(created.processing_status).toBe('in_progress');
    expect(created.results_url).toBeNull();
    const id = String(created.id);
    expect((await fetch(`${sim.url}/v1/messages/batches/${id}/results`)).status).toBe(400);
    await sleep(250);
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
      const live = (
        await post<Record<string, unknown>>(`${sim.url}/v1/messages`, messageParams(questions[i]!))
      ).body as {
        content: Array<{ text: string }>;
      };
      expect(result.result.type).toBe('succeeded');
      expect(result.result.message.content[0]!.text).toBe(live.content[0]!.text);
    }
    expect(sim.stats().batches).toMatchObject({ batches: 1, lines: 6, answeredLines: 6, files: 0 });
  });

  it('reports expired and errored lines, and refuses a custom_id Anthropic would refuse', async () => {
    const sim = await startBatchSim({ batch: { expireBatches: [0], failedLineRate: 1 } });
    const requests = messageRequests();
    const expired = (await post<Record<string, unknown>>(`${sim.url}/v1/messages/batches`, { requests }))
      .body;
    expect(resultTypes(await messageResults(sim, String(expired.id)))).toEqual(Array(6).fill('expired'));
    const errored = (await post<Record<string, unknown>>(`${sim.url}/v1/messages/batches`, { requests }))
      .body;
    expect(resultTypes(await messageResults(sim, String(errored.id)))).toEqual(Array(6).fill('errored'));
    const bad = await post(`${sim.url}/v1/messages/batches`, {
      requests: [{ custom_id: 'has space', params: messageParams('q') }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });
});
