import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type CompletionRequest,
  type CompletionRequestInput,
  CompletionRequestSchema,
  type ProviderFactory,
} from '@metaspo/schemas';
import { type AnswerKey, AnswerKeys, createAnswerKey, createSimProviderFactory } from '@metaspo/simulator';
import { afterEach } from 'vitest';

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh SQLite file path in a temp dir removed after the test. */
export function tempDatabaseFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-gateway-test-'));
  tempDirs.push(dir);
  return path.join(dir, 'gateway.sqlite');
}

export function request(input: Partial<CompletionRequestInput> & { content?: string }): CompletionRequest {
  const { content, ...rest } = input;
  return CompletionRequestSchema.parse({
    model: 'sim:default',
    messages: [{ role: 'user', content: content ?? 'What is 2 + 2? Answer with a number.' }],
    ...rest,
  });
}

/** A key-shaped secret the tests assert never appears in any message. */
export const FAKE_KEY = 'sk-test-DO-NOT-LEAK-1234567890abcdef';

export const ARITHMETIC_KEY = createAnswerKey([
  {
    taskId: 'arith',
    domain: 'procedural',
    answerType: { kind: 'integer' },
    question: 'What is 2 + 2?',
    answer: '4',
  },
]);

/** The simulator registered as a composition root registers it, answering from `key`. */
export function simProviders(key?: AnswerKey | AnswerKeys): ProviderFactory[] {
  const answerKeys = key instanceof AnswerKeys ? key : new AnswerKeys(key);
  return [createSimProviderFactory({ answerKeys })];
}

/** Polls `check` every 10 ms, at most `tries` times. */
export async function waitFor(check: () => boolean | Promise<boolean>, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached');
}
