import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ChatMessage, CompletionRequestSchema } from '@metaspo/schemas';
import {
  type AnswerKey,
  createAnswerKey,
  createSimModel,
  createTimeSlicer,
  SYNTHETIC_TASKS,
  syntheticEntries,
} from '@metaspo/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { LlmCallError } from '../errors.js';
import { createLlmGatewayService } from '../service.js';
import { type AnswerKeyHolder, createSimProvider } from './sim.js';

const entries = SYNTHETIC_TASKS.flatMap((task) => syntheticEntries(task, 40));
const answerKey = createAnswerKey(entries);
const holder = (key: AnswerKey): AnswerKeyHolder => ({
  current: () => key,
  version: () => 1,
  ensureFor: async () => {},
});

const SYSTEM = 'Think step by step, then give the final answer inside <answer></answer>.';
const messagesFor = (question: string): ChatMessage[] => [
  { role: 'system', content: SYSTEM },
  { role: 'user', content: `Question: ${question}` },
];

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the in-process sim provider', () => {
  it('answers exactly as the simulator model does, however often it yields', async () => {
    const model = createSimModel({ answerKey });
    // sliceMs 0: every call waits a turn of the event loop first.
    const provider = createSimProvider({
      answerKeys: holder(answerKey),
      slicer: createTimeSlicer({ sliceMs: 0 }),
    });
    const inputs = entries.map((entry, i) => ({
      model: 'default',
      messages: messagesFor(entry.question),
      temperature: i % 2 === 0 ? 0 : 0.7,
      sampleIndex: i % 3,
      signal: new AbortController().signal,
    }));
    const replies = await Promise.all(inputs.map((input) => provider.complete(input)));
    expect(replies.map((r) => r.text)).toEqual(
      inputs.map(
        (input) =>
          model.complete({
            messages: input.messages,
            temperature: input.temperature,
            sampleIndex: input.sampleIndex,
          }).text,
      ),
    );
    expect(new Set(replies.map((r) => r.text)).size).toBeGreaterThan(10);
  });

  it('fails a call cancelled while it waited for its turn', async () => {
    const provider = createSimProvider({
      answerKeys: holder(answerKey),
      slicer: createTimeSlicer({ sliceMs: 0 }),
    });
    const controller = new AbortController();
    const call = provider.complete({
      model: 'default',
      messages: messagesFor(entries[0]!.question),
      temperature: 0,
      sampleIndex: 0,
      signal: controller.signal,
    });
    controller.abort();
    await expect(call).rejects.toSatisfy(
      (error: unknown) => error instanceof LlmCallError && error.kind === 'cancelled',
    );
  });

  it('gives timers turns while 40 concurrent sim batches run through the gateway', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-sim-slices-'));
    dirs.push(dir);
    const gateway = createLlmGatewayService({ databaseFile: path.join(dir, 'gateway.sqlite'), config: {} });
    gateway.setAnswerKey(answerKey);
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
