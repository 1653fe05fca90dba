import { describe, expect, it } from 'vitest';
import { CompletionBatchRequestSchema, CompletionRequestSchema } from './completion.js';
import { MetaTestStartInputSchema } from './meta-test-api.js';

const request = { model: 'sim:default', messages: [{ role: 'user' as const, content: 'Is 2 + 2 four?' }] };
const messageOf = (result: {
  success: boolean;
  error?: { issues: Array<{ message: string; path: PropertyKey[] }> };
}) => result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');

describe('caps on completion requests and meta-test inputs', () => {
  it('accepts requests and batches at the limits', () => {
    expect(
      CompletionRequestSchema.safeParse({
        ...request,
        messages: [{ role: 'user', content: 'x'.repeat(400_000) }],
      }).success,
    ).toBe(true);
    expect(
      CompletionBatchRequestSchema.safeParse({ requests: Array.from({ length: 10_000 }, () => request) })
        .success,
    ).toBe(true);
  });

  it('refuses what is over a limit, naming the field and the limit', () => {
    expect(
      messageOf(
        CompletionBatchRequestSchema.safeParse({ requests: Array.from({ length: 10_001 }, () => request) }),
      ),
    ).toBe('requests: a batch may hold at most 10000 requests; split it');
    expect(
      messageOf(
        CompletionRequestSchema.safeParse({
          ...request,
          messages: [{ role: 'user', content: 'x'.repeat(400_001) }],
        }),
      ),
    ).toBe('messages.0.content: a message may have at most 400000 characters');
    expect(
      messageOf(
        CompletionRequestSchema.safeParse({
          ...request,
          messages: Array.from({ length: 101 }, () => request.messages[0]),
        }),
      ),
    ).toBe('messages: at most 100 messages per request');
    expect(
      messageOf(
        CompletionRequestSchema.safeParse({ ...request, stop: Array.from({ length: 17 }, () => '\n') }),
      ),
    ).toBe('stop: at most 16 stop sequences');
    expect(messageOf(CompletionRequestSchema.safeParse({ ...request, runId: 'r'.repeat(201) }))).toBe(
      'runId: runId may have at most 200 characters',
    );
  });

  it('bounds what one meta-test may ask for', () => {
    const base = { kind: 'unseen' as const };
    expect(
      MetaTestStartInputSchema.safeParse({ ...base, tasks: ['a'], budget: { maxCalls: 10 } }).success,
    ).toBe(true);
    expect(
      messageOf(
        MetaTestStartInputSchema.safeParse({
          ...base,
          tasks: Array.from({ length: 101 }, (_, i) => `t${i}`),
        }),
      ),
    ).toContain('at most 100 tasks per meta-test');
    expect(
      messageOf(
        MetaTestStartInputSchema.safeParse({
          ...base,
          systemPrompts: Array.from({ length: 21 }, (_, i) => ({ label: `p${i}`, prompt: 'Answer.' })),
        }),
      ),
    ).toBe('systemPrompts: at most 20 system prompts per meta-test');
    expect(
      messageOf(
        MetaTestStartInputSchema.safeParse({
          ...base,
          systemPrompts: [{ label: 'long', prompt: 'x'.repeat(20_001) }],
        }),
      ),
    ).toBe('systemPrompts.0.prompt: a system prompt may have at most 20000 characters');
    expect(messageOf(MetaTestStartInputSchema.safeParse({ ...base, unseenUserPrompts: 51 }))).toBe(
      'unseenUserPrompts: at most 50 user prompts per unseen task',
    );
    expect(messageOf(MetaTestStartInputSchema.safeParse({ ...base, testSize: 10_001 }))).toBe(
      'testSize: testSize may be at most 10000',
    );
    expect(messageOf(MetaTestStartInputSchema.safeParse({ ...base, budget: { maxCalls: 0 } }))).toContain(
      'budget.maxCalls',
    );
  });
});
