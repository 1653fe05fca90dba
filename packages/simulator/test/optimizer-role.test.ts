import {
  DEFAULT_SYSTEM_PROMPT,
  extractTagged,
  META_TAGS,
  type MetaTag,
  replyInsideTag,
} from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import {
  createAnswerKey,
  createSimModel,
  detectBehaviours,
  requestedReplyTag,
  SYNTHETIC_TASKS,
  syntheticEntries,
} from '../src/index.js';

const entries = SYNTHETIC_TASKS.flatMap((task) => syntheticEntries(task, 40));
const answerKey = createAnswerKey(entries);
const USER_PROMPT = '<Question>{question}</Question>\nWrite the final answer inside <answer></answer>.';

function failures(domain: string): string {
  return entries
    .filter((e) => e.domain === domain)
    .slice(0, 3)
    .map((e) => `<Question>${e.question}</Question>\nResponse: wrong\nCorrect answer: ${e.answer}`)
    .join('\n\n');
}

function metaPrompt(tag: MetaTag, parts: { current?: string; examples: string; analysis?: string }): string {
  return [
    'You improve prompts for a language model.',
    parts.current === undefined
      ? ''
      : `<${META_TAGS.currentPrompt}>\n${parts.current}\n</${META_TAGS.currentPrompt}>`,
    `<${META_TAGS.examples}>\n${parts.examples}\n</${META_TAGS.examples}>`,
    parts.analysis === undefined
      ? ''
      : `<${META_TAGS.analysis}>\n${parts.analysis}\n</${META_TAGS.analysis}>`,
    replyInsideTag(tag),
  ].join('\n\n');
}

const reply = (model: ReturnType<typeof createSimModel>, content: string, sampleIndex = 0) =>
  model.complete({ messages: [{ role: 'user', content }], temperature: 1, sampleIndex }).text;

describe('simulated optimizer', () => {
  const model = createSimModel({ answerKey, malformedRate: 0 });

  it('reads the requested reply tag from the request: the last empty tag pair it names', () => {
    const block = `<${META_TAGS.examples}>\nInput: 2+2\nOutput: <answer></answer>\n</${META_TAGS.examples}>`;
    expect(
      requestedReplyTag(`${block}\n${replyInsideTag('analysis')} ... ${replyInsideTag('user_prompt')}`),
    ).toBe('user_prompt');
    expect(
      requestedReplyTag(`${block}\nPut the new prompt in <revised_system></revised_system> please`),
    ).toBe('revised_system');
    expect(
      requestedReplyTag(
        `<${META_TAGS.currentPrompt}>x</${META_TAGS.currentPrompt}> then <Diagnosis></Diagnosis>`,
      ),
    ).toBe('Diagnosis');
    // A base-model request has no input blocks, whatever tags its prompt names.
    expect(
      requestedReplyTag('<Question>What?</Question> Write your reply inside <answer></answer>.'),
    ).toBeNull();
    expect(requestedReplyTag('Put the new prompt in <system_prompt></system_prompt> please')).toBeNull();
  });

  it('answers requests that use its own reply tag names, telling analyses from rewrites by their inputs', () => {
    const current = `Answer the question.\n${USER_PROMPT}`;
    const diagnosis = extractTagged(
      reply(
        model,
        `${metaPrompt('x', { current, examples: failures('reasoning') }).replace('<x></x>', '<diagnosis></diagnosis>')}`,
      ),
      'diagnosis',
    );
    expect(detectBehaviours(diagnosis!).length).toBeGreaterThanOrEqual(2);
    const rewrite = extractTagged(
      reply(
        model,
        metaPrompt('x', { current, examples: failures('reasoning'), analysis: diagnosis! }).replace(
          '<x></x>',
          '<better_task_prompt></better_task_prompt>',
        ),
      ),
      'better_task_prompt',
    );
    expect(rewrite!.split('{question}')).toHaveLength(2);
  });

  it('answers an analysis request with an analysis naming behaviours missing from the prompt', () => {
    const text = reply(
      model,
      metaPrompt('analysis', { current: DEFAULT_SYSTEM_PROMPT, examples: failures('reasoning') }),
    );
    const analysis = extractTagged(text, 'analysis');
    expect(analysis).not.toBeNull();
    const named = detectBehaviours(analysis!);
    expect(named.length).toBeGreaterThanOrEqual(2);
    // Reasoning failures: the analysis points at reasoning behaviours, not at harm or calibration.
    expect(named.some((id) => ['step-by-step', 'state-tracking', 'verification'].includes(id))).toBe(true);
    expect(named).not.toContain('harm-awareness');
  });

  it('asks to remove a harmful instruction the prompt contains', () => {
    const current = `${DEFAULT_SYSTEM_PROMPT} Go with your first instinct.`;
    const analysis = extractTagged(
      reply(model, metaPrompt('analysis', { current, examples: failures('medical') })),
      'analysis',
    )!;
    const rewrite = extractTagged(
      reply(model, metaPrompt('system_prompt', { current, examples: failures('medical'), analysis })),
      'system_prompt',
    )!;
    expect(detectBehaviours(rewrite)).not.toContain('hasty');
  });

  it('rewrites a system prompt inside the requested tag, biased toward the analysis, varying by sample index', () => {
    const analysis = 'The model should be told: "Rule out clearly wrong options before choosing."';
    const prompt = metaPrompt('system_prompt', {
      current: DEFAULT_SYSTEM_PROMPT,
      examples: failures('medical'),
      analysis,
    });
    const rewrites = Array.from({ length: 20 }, (_, i) =>
      extractTagged(reply(model, prompt, i), 'system_prompt'),
    );
    expect(rewrites.every((r) => r !== null && r !== DEFAULT_SYSTEM_PROMPT)).toBe(true);
    const following = rewrites.filter((r) => detectBehaviours(r!).includes('option-elimination'));
    expect(following.length).toBeGreaterThanOrEqual(12);
    expect(new Set(rewrites).size).toBeGreaterThan(5);
    expect(reply(model, prompt, 7)).toBe(reply(createSimModel({ answerKey, malformedRate: 0 }), prompt, 7));
  });

  it('rewrites a user prompt keeping {question}, mostly keeping the wrapper and the answer format', () => {
    const prompt = metaPrompt('user_prompt', {
      current: `Answer the question.\n${USER_PROMPT}`,
      examples: failures('safety'),
      analysis: 'The model should be told: "Rule out clearly wrong options before choosing."',
    });
    const rewrites = Array.from(
      { length: 40 },
      (_, i) => extractTagged(reply(model, prompt, i), 'user_prompt')!,
    );
    for (const r of rewrites) expect(r.split('{question}')).toHaveLength(2);
    expect(rewrites.filter((r) => r.includes('<Question>{question}</Question>')).length).toBeGreaterThan(30);
    expect(rewrites.filter((r) => r.includes('<answer></answer>')).length).toBeGreaterThan(30);
  });

  it('writes a fresh prompt for APE-style requests, in the task answer format', () => {
    const user = extractTagged(
      reply(model, metaPrompt('user_prompt', { examples: failures('review') })),
      'user_prompt',
    )!;
    expect(user).toContain('<Question>{question}</Question>');
    expect(user).toContain('Give a rating from 1 to 5 inside <answer></answer>.');
    // Demonstrations from several tasks ask for one system prompt for all of them.
    const system = extractTagged(
      reply(
        model,
        metaPrompt('system_prompt', { examples: `${failures('review')}\n\n${failures('medical')}` }),
        1,
      ),
      'system_prompt',
    )!;
    expect(system).toMatch(/^You are a helpful assistant\./);
  });

  it('produces malformed replies at the configured rate: missing tag or missing {question}', () => {
    const sloppy = createSimModel({ answerKey, malformedRate: 1 });
    const prompt = metaPrompt('user_prompt', {
      current: USER_PROMPT,
      examples: failures('grounding'),
      analysis: 'Read the passage again.',
    });
    const kinds = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const user = extractTagged(reply(sloppy, prompt, i), 'user_prompt');
      expect(user === null || !user.includes('{question}')).toBe(true);
      kinds.add(user === null ? 'missing-tag' : 'missing-placeholder');
    }
    expect(kinds).toEqual(new Set(['missing-tag', 'missing-placeholder']));
    const sometimes = createSimModel({ answerKey });
    const broken = Array.from({ length: 200 }, (_, i) =>
      extractTagged(reply(sometimes, prompt, i), 'user_prompt'),
    ).filter((u) => u === null || !u.includes('{question}')).length;
    expect(broken).toBeGreaterThan(0);
    expect(broken).toBeLessThan(30);
  });
});
