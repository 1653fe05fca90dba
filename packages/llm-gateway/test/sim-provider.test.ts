import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ChatMessage, CompletionRequestSchema } from '@metaspo/schemas';
import {
  AnswerKeys,
  createAnswerKey,
  createSimProviderFactory,
  SYNTHETIC_TASKS,
  syntheticEntries,
} from '@metaspo/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlmGatewayService } from '../src/service.js';

const entries = SYNTHETIC_TASKS.flatMap((task) => syntheticEntries(task, 40));
const answerKey = createAnswerKey(entries);

const SYSTEM = 'Think step by step, then give the final answer inside <answer></answer>.';
const messagesFor = (question: string): ChatMessage[] => [
  { role: 'system', content: SYSTEM },
  { role: 'user', content: `Question: ${question}` },
];

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the sim provider registered with the gateway', () => {
  it('gives timers turns while 40 concurrent sim batches run through the gateway', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-sim-slices-'));
    dirs.push(dir);
    const gateway = createLlmGatewayService({
      databaseFile: path.join(dir, 'gateway.sqlite'),
      config: {},
      providers: [createSimProviderFactory({ answerKeys: new AnswerKeys(answerKey) })],
    });
    try {
      // 40 batches of 125, as an optimizer phase sends them: each fits in one admission turn,
      // so unsliced all 5,000 calls ran in a single turn of the event loop.
      const batches = Array.from({ length: 40 }, (_, b) =>
        Array.from({ length: 125 }, (_, i) =>
          CompletionRequestSchema.parse({
            model: 'sim:default',
            messages: messagesFor(`${entries[(b * 125 + i) % entries.length]!.question} (batch ${b})`),
          }),
        ),
      );
      const ticks: number[] = [];
      const timer = setInterval(() => ticks.push(performance.now()), 1);
      const started = performance.now();
      const results = await Promise.all(batches.map((requests) => gateway.completeBatch(requests)));
      const ended = performance.now();
      clearInterval(timer);
      expect(results.flat().every((o) => o.ok)).toBe(true);
      const marks = [started, ...ticks, ended];
      const longestTurn = Math.max(...marks.slice(1).map((at, i) => at - marks[i]!));
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(longestTurn).toBeLessThan((ended - started) / 2);
    } finally {
      await gateway.close();
    }
  });
});
