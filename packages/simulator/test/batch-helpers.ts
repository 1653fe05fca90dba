import { afterEach, expect } from 'vitest';
import {
  createAnswerKey,
  type SimServer,
  type SimServerOptions,
  SYNTHETIC_TASKS,
  startSimServer,
  syntheticEntries,
} from '../src/index.js';

/** Lines per batch in the batch tests. */
export const LINES = 6;

const entries = SYNTHETIC_TASKS.flatMap((task) => syntheticEntries(task, 10));
const answerKey = createAnswerKey(entries);
export const questions = entries.slice(0, LINES).map((entry) => entry.question);

let server: SimServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A loopback simulator on the batch tests' answer key, closed after the test. */
export async function startBatchSim(options: Partial<SimServerOptions> = {}): Promise<SimServer> {
  server = await startSimServer({ answerKey, ...options });
  return server;
}

export async function call<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T };
}

export const post = <T>(url: string, body?: unknown) =>
  call<T>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const jsonl = (lines: unknown[]) => `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;

/** A JSONL body (an output or error file, Anthropic results) parsed line by line. */
export const jsonlOf = async (response: Response) =>
  (await response.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const userContent = (question: string) =>
  `<Question>${question}</Question>\nAnswer inside <answer></answer>.`;

/** The chat completion body of an OpenAI batch line, also sent live to compare answers. */
export const chatBody = (question: string) => ({
  model: 'sim:default',
  temperature: 0,
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: userContent(question) },
  ],
});

/** OpenAI batch input lines `line-0` to `line-5`, one per question. */
export const openAiLines = () =>
  questions.map((question, i) => ({
    custom_id: `line-${i}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: chatBody(question),
  }));

export interface BatchObject {
  id: string;
  status: string;
  output_file_id: string | null;
  error_file_id: string | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
}

/** Uploads a batch input file, checks the file object, and returns its id. */
export async function upload(sim: SimServer, content: string): Promise<string> {
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

export const createBatch = (sim: SimServer, fileId: string, extra: Record<string, unknown> = {}) =>
  post<BatchObject>(`${sim.url}/v1/batches`, {
    input_file_id: fileId,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
    ...extra,
  });

/** Uploads the six questions' lines and creates their batch. */
export const createOpenAiBatch = async (sim: SimServer) =>
  (await createBatch(sim, await upload(sim, jsonl(openAiLines())))).body;

export const retrieve = async (sim: SimServer, id: string) =>
  (await call<BatchObject>(`${sim.url}/v1/batches/${id}`)).body;

export const fileContent = async (sim: SimServer, fileId: string) =>
  jsonlOf(await fetch(`${sim.url}/v1/files/${fileId}/content`));

/** Anthropic Messages params for a question. */
export const messageParams = (question: string) => ({
  model: 'sim:default',
  max_tokens: 1024,
  temperature: 0,
  system: 'You are a helpful assistant.',
  messages: [{ role: 'user', content: userContent(question) }],
});

/** Anthropic message batch requests `req_0` to `req_5`, one per question. */
export const messageRequests = () =>
  questions.map((question, i) => ({ custom_id: `req_${i}`, params: messageParams(question) }));

/** The results of an ended Anthropic message batch, one object per line. */
export const messageResults = async (sim: SimServer, id: string) =>
  jsonlOf(await fetch(`${sim.url}/v1/messages/batches/${id}/results`));

export const resultTypes = (results: Array<Record<string, unknown>>) =>
  results.map((line) => (line.result as { type: string }).type);
