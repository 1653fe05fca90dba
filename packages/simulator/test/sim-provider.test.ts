import { type ChatMessage, GatewayConfigSchema, ProviderError } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { type AnswerKey, createAnswerKey } from '../src/answer-key.js';
import { type AnswerKeyHolder, AnswerKeys } from '../src/provider/answer-keys.js';
import { createSimProvider, createSimProviderFactory } from '../src/provider/sim-provider.js';
import { createSimModel } from '../src/sim-model.js';
import { SYNTHETIC_TASKS, syntheticEntries } from '../src/synthetic-tasks.js';
import { createTimeSlicer } from '../src/time-slice.js';

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
      (error: unknown) => error instanceof ProviderError && error.kind === 'cancelled',
    );
  });
});

describe('createSimProviderFactory', () => {
  const context = {
    config: GatewayConfigSchema.parse({ providers: { sim: { concurrency: 8, malformedRate: 0 } } }),
    env: {},
  };
  const ask = (provider: ReturnType<typeof createSimProvider>, model: string) =>
    provider.complete({
      model,
      messages: messagesFor(entries[0]!.question),
      temperature: 0,
      sampleIndex: 0,
      signal: new AbortController().signal,
    });

  it('plans one in-process endpoint with the limits of llm.providers.sim', () => {
    const plan = createSimProviderFactory().plan({ provider: 'sim', model: 'weak' }, context);
    expect(plan).toMatchObject({ ok: true, key: 'sim:in-process', limits: { concurrency: 8 } });
  });

  it('names the variants when a model is not one of them, before any call', () => {
    const factory = createSimProviderFactory();
    expect(factory.modelProblem?.({ provider: 'sim', model: 'strong' })).toBeUndefined();
    expect(factory.modelProblem?.({ provider: 'sim', model: 'defualt' })).toBe(
      'unknown simulator model "defualt": expected one of sim:default, sim:weak, sim:strong',
    );
  });

  it('fails a call to an unknown variant with a config error', async () => {
    const plan = createSimProviderFactory().plan({ provider: 'sim', model: 'defualt' }, context);
    if (!plan.ok) throw new Error('the sim plan is always buildable');
    await expect(ask(plan.build(), 'defualt')).rejects.toSatisfy(
      (error: unknown) => error instanceof ProviderError && error.kind === 'config',
    );
  });

  it('answers from the key its holder loads on the first call, and reports it loaded', async () => {
    const answerKeys = new AnswerKeys();
    let loads = 0;
    answerKeys.setLoader(async () => {
      loads += 1;
      return answerKey;
    });
    const factory = createSimProviderFactory({ answerKeys });
    expect(factory.loaded?.()).toBe(false);
    const plan = factory.plan({ provider: 'sim', model: 'default' }, context);
    if (!plan.ok) throw new Error('the sim plan is always buildable');
    const reply = await ask(plan.build(), 'default');
    const expected = createSimModel({ answerKey, malformedRate: 0 }).complete({
      messages: messagesFor(entries[0]!.question),
      temperature: 0,
      sampleIndex: 0,
    });
    expect(reply.text).toBe(expected.text);
    expect(loads).toBe(1);
    expect(factory.loaded?.()).toBe(true);
  });
});
