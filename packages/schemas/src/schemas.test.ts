import { describe, expect, it } from 'vitest';
import { CompletionRequestSchema } from './completion.js';
import { EvaluationRequestSchema } from './evaluation.js';
import { PromptPairSchema } from './prompt-pair.js';
import { RunEventSchema } from './run-event.js';
import { TaskSpecSchema } from './task.js';

describe('wire schemas', () => {
  it('completion requests default to temperature 0, sample 0 and the cache', () => {
    const request = CompletionRequestSchema.parse({
      model: 'sim:default',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(request).toMatchObject({ temperature: 0, sampleIndex: 0, cache: 'use' });
    expect(
      CompletionRequestSchema.safeParse({ model: 'sim:default', messages: [] }).error?.issues[0]?.message,
    ).toBe('at least one message is required');
  });

  it('task specs require {question} exactly once in the initial prompt', () => {
    const base = {
      id: 'anatomy',
      domain: 'medical',
      description: 'MedMCQA anatomy questions',
      answerType: { kind: 'option', optionCount: 4 },
      metric: 'accuracy',
      importer: 'medmcqa-jsonl',
    };
    expect(
      TaskSpecSchema.safeParse({ ...base, initialUserPrompt: '<Question>{question}</Question>' }).success,
    ).toBe(true);
    const twice = TaskSpecSchema.safeParse({ ...base, initialUserPrompt: '{question} {question}' });
    expect(twice.error?.issues[0]).toMatchObject({
      path: ['initialUserPrompt'],
      message: 'must contain "{question}" exactly once',
    });
    const badType = TaskSpecSchema.safeParse({
      ...base,
      initialUserPrompt: '{question}',
      answerType: { kind: 'essay' },
    });
    expect(badType.error?.issues[0]?.path).toEqual(['answerType', 'kind']);
  });

  it('prompt pairs and evaluation requests apply their rules and defaults', () => {
    expect(
      PromptPairSchema.safeParse({ system: '', user: 'no placeholder' }).error?.issues[0]?.message,
    ).toMatch(/exactly once/);
    expect(
      EvaluationRequestSchema.parse({
        systemPrompt: '',
        userPrompt: '{question}',
        taskId: 'x',
        model: 'sim:default',
      }),
    ).toMatchObject({
      split: 'test',
      n: 100,
      seed: 42,
      systemPlacement: 'system',
    });
  });

  it('run events are a discriminated union on type', () => {
    const event = RunEventSchema.parse({
      runId: 'r',
      seq: 1,
      at: '2026-01-01T00:00:00Z',
      type: 'status',
      status: 'running',
    });
    expect(event.type).toBe('status');
    expect(RunEventSchema.safeParse({ runId: 'r', seq: 1, at: 'x', type: 'teleport' }).success).toBe(false);
  });
});

describe('meta-prompt tags', () => {
  it('extracts the last non-empty tagged block, case-insensitively', async () => {
    const { extractTagged, replyInsideTag } = await import('./meta-prompt-tags.js');
    expect(
      extractTagged(
        '<analysis>first</analysis> <ANALYSIS> </ANALYSIS><analysis>\n second \n</analysis>',
        'analysis',
      ),
    ).toBe('second');
    expect(extractTagged('no tags here', 'analysis')).toBeNull();
    expect(replyInsideTag('user_prompt')).toBe('Write your reply inside <user_prompt></user_prompt>.');
  });
});
