import { describe, expect, it } from 'vitest';
import {
  type BatchObject,
  call,
  createOpenAiBatch,
  fileContent,
  jsonlOf,
  LINES,
  messageRequests,
  post,
  resultTypes,
  retrieve,
  sleep,
  startBatchSim,
} from './batch-helpers.js';

describe('cancelling an OpenAI batch', () => {
  it('is cancelling for cancelDelayMs, then cancelled with the lines done before the cancel in its output file', async () => {
    // Line i of 6 is processed at (i + 1) * 100 ms: cancelled at ~350 ms, lines 0-2 are done.
    const sim = await startBatchSim({ batch: { completionDelayMs: 600, cancelDelayMs: 150 } });
    const created = await createOpenAiBatch(sim);
    await sleep(350);
    const cancelling = await post<BatchObject>(`${sim.url}/v1/batches/${created.id}/cancel`);
    expect(cancelling.status).toBe(200);
    expect(cancelling.body.status).toBe('cancelling');
    const done = cancelling.body.request_counts.completed;
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(LINES);
    expect((await retrieve(sim, created.id)).status).toBe('cancelling');

    await sleep(450); // past the completion delay: a cancelled batch processes no more lines
    const ended = await retrieve(sim, created.id);
    expect(ended.status).toBe('cancelled');
    expect(ended.request_counts).toEqual({ total: LINES, completed: done, failed: LINES - done });
    const output = await fileContent(sim, ended.output_file_id!);
    expect(output.map((line) => line.custom_id)).toEqual(Array.from({ length: done }, (_, i) => `line-${i}`));
    const errors = await fileContent(sim, ended.error_file_id!);
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
    const sim = await startBatchSim();
    const created = await createOpenAiBatch(sim);
    expect((await retrieve(sim, created.id)).status).toBe('completed');
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
    const sim = await startBatchSim({ batch: { completionDelayMs: 600, cancelDelayMs: 100 } });
    const requests = messageRequests();
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
    expect(resultTypes(await jsonlOf(await fetch(ended.results_url!)))).toEqual([
      ...Array(done).fill('succeeded'),
      ...Array(LINES - done).fill('canceled'),
    ]);
    const again = await post(`${sim.url}/v1/messages/batches/${created.id}/cancel`);
    expect(again.status).toBe(400);
    expect(sim.stats().batches).toMatchObject({ cancelledBatches: 1, cancelRequests: 2 });
  });
});
