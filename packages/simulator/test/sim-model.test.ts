import { type AnswerKeyEntry, DEFAULT_SYSTEM_PROMPT } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import {
  BEHAVIOURS,
  createAnswerKey,
  createSimModel,
  type SimModel,
  SYNTHETIC_TASKS,
  syntheticEntries,
} from '../src/index.js';

const PLAIN_USER_PROMPT = '<Question>{question}</Question>\nWrite the final answer inside <answer></answer>.';
/** A system prompt that gathers the bank's generally useful behaviours (one sentence each). */
const GATHERED_SYSTEM_PROMPT = [
  DEFAULT_SYSTEM_PROMPT,
  ...BEHAVIOURS.filter((b) => b.id !== 'hasty').map((b) => b.phrasings[0]),
].join(' ');

const entries = SYNTHETIC_TASKS.flatMap((task) => syntheticEntries(task, 200));
const answerKey = createAnswerKey(entries);

function ask(
  model: SimModel,
  system: string,
  entry: AnswerKeyEntry,
  userPrompt = PLAIN_USER_PROMPT,
  sampleIndex = 0,
  temperature = 0,
) {
  return model.complete({
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: userPrompt.replace('{question}', entry.question) },
    ],
    temperature,
    sampleIndex,
  }).text;
}

function accuracy(
  model: SimModel,
  system: string,
  items: AnswerKeyEntry[],
  userPrompt = PLAIN_USER_PROMPT,
): number {
  const correct = items.filter((e) => {
    const tagged = /<answer>([^<]*)<\/answer>/.exec(ask(model, system, e, userPrompt));
    return tagged?.[1] === e.answer;
  });
  return correct.length / items.length;
}

describe('simulated base model', () => {
  const model = createSimModel({ answerKey });

  it('answers the same request the same way every time', () => {
    const other = createSimModel({ answerKey });
    for (const entry of entries.slice(0, 50)) {
      expect(ask(model, DEFAULT_SYSTEM_PROMPT, entry)).toBe(ask(other, DEFAULT_SYSTEM_PROMPT, entry));
      expect(ask(model, GATHERED_SYSTEM_PROMPT, entry, PLAIN_USER_PROMPT, 3, 1)).toBe(
        ask(other, GATHERED_SYSTEM_PROMPT, entry, PLAIN_USER_PROMPT, 3, 1),
      );
    }
  });

  it('gives different answers across sample indices at temperature > 0, and ignores them at 0', () => {
    const items = entries.filter((e) => e.taskId === 'object_counting').slice(0, 30);
    const spread = (temperature: number) =>
      items.filter(
        (e) =>
          new Set(
            [0, 1, 2, 3, 4, 5].map((i) =>
              ask(model, DEFAULT_SYSTEM_PROMPT, e, PLAIN_USER_PROMPT, i, temperature),
            ),
          ).size > 1,
      ).length;
    expect(spread(1)).toBeGreaterThan(items.length / 2);
    expect(spread(0)).toBe(0);
  });

  it('scores a system prompt gathering the useful behaviours well above "You are a helpful assistant." on held-out questions', () => {
    const heldOut = SYNTHETIC_TASKS.flatMap((task) => syntheticEntries(task, 200, 10_000));
    const heldOutModel = createSimModel({ answerKey: createAnswerKey(heldOut) });
    const domains = [...new Set(SYNTHETIC_TASKS.map((t) => t.domain))];
    expect(domains.length).toBeGreaterThanOrEqual(3);
    for (const domain of domains) {
      const items = heldOut.filter((e) => e.domain === domain);
      const baseline = accuracy(heldOutModel, DEFAULT_SYSTEM_PROMPT, items);
      const gathered = accuracy(heldOutModel, GATHERED_SYSTEM_PROMPT, items);
      expect(baseline, domain).toBeGreaterThan(0.3);
      expect(baseline, domain).toBeLessThan(0.62);
      expect(gathered - baseline, domain).toBeGreaterThan(0.15);
    }
  });

  it('rewards behaviours in the user prompt, and a domain-specific behaviour mostly in its domain', () => {
    const safety = entries.filter((e) => e.domain === 'safety');
    const medical = entries.filter((e) => e.domain === 'medical');
    const harmAware = `Consider whether the content could be harmful, hateful or misleading.\n${PLAIN_USER_PROMPT}`;
    const safetyGain =
      accuracy(model, DEFAULT_SYSTEM_PROMPT, safety, harmAware) -
      accuracy(model, DEFAULT_SYSTEM_PROMPT, safety);
    const medicalGain =
      accuracy(model, DEFAULT_SYSTEM_PROMPT, medical, harmAware) -
      accuracy(model, DEFAULT_SYSTEM_PROMPT, medical);
    expect(safetyGain).toBeGreaterThan(0.1);
    expect(Math.abs(medicalGain)).toBeLessThan(0.06);
  });

  it('penalises very long prompts and harmful instructions', () => {
    const items = entries.filter((e) => e.domain === 'reasoning');
    const padding = ' This sentence adds words without asking for anything in particular.'.repeat(60);
    expect(accuracy(model, GATHERED_SYSTEM_PROMPT + padding, items)).toBeLessThan(
      accuracy(model, GATHERED_SYSTEM_PROMPT, items) - 0.1,
    );
    const hasty = `${DEFAULT_SYSTEM_PROMPT} Answer immediately without deliberating.`;
    expect(accuracy(model, hasty, items)).toBeLessThan(accuracy(model, DEFAULT_SYSTEM_PROMPT, items));
  });

  it('orders the named variants weak < default < strong', () => {
    const items = entries.filter((e) => e.domain === 'medical');
    const [weak, base, strong] = ['weak', 'default', 'strong'].map((variant) =>
      accuracy(createSimModel({ answerKey, variant }), DEFAULT_SYSTEM_PROMPT, items),
    );
    expect(weak).toBeLessThan(base!);
    expect(base).toBeLessThan(strong!);
    expect(() => createSimModel({ answerKey, variant: 'huge' })).toThrow(
      /unknown simulator model "sim:huge".*sim:default/,
    );
  });

  it('answers without tags when neither prompt asks for the <answer> format, in the task format', () => {
    const noFormat = 'Answer this question.\n<Question>{question}</Question>';
    for (const entry of entries.filter((_, i) => i % 20 === 0)) {
      const text = ask(model, DEFAULT_SYSTEM_PROMPT, entry, noFormat);
      expect(text).not.toMatch(/<\/?answer>/i);
    }
    const tagged = entries.filter((e) =>
      /<answer>[^<]+<\/answer>/.test(ask(model, DEFAULT_SYSTEM_PROMPT, e)),
    );
    expect(tagged.length / entries.length).toBeGreaterThan(0.9);
  });

  it('gives plausible wrong answers in the format of the task', () => {
    const formats: Record<string, RegExp> = {
      anatomy: /^[ABCD]$/,
      baby: /^[1-5]$/,
      navigate: /^(yes|no)$/,
      object_counting: /^\d+$/,
      ethos: /^(hate|not hate)$/,
    };
    for (const [taskId, format] of Object.entries(formats)) {
      for (const entry of entries.filter((e) => e.taskId === taskId)) {
        const answer = /<answer>([^<]*)<\/answer>/.exec(ask(model, DEFAULT_SYSTEM_PROMPT, entry))?.[1];
        if (answer !== undefined) expect(answer, taskId).toMatch(format);
      }
    }
    const wrongNumbers = entries
      .filter((e) => e.taskId === 'object_counting')
      .map((e) => ({
        gold: Number(e.answer),
        got: Number(/<answer>(\d+)<\/answer>/.exec(ask(model, DEFAULT_SYSTEM_PROMPT, e))?.[1]),
      }))
      .filter((r) => Number.isFinite(r.got) && r.got !== r.gold);
    expect(wrongNumbers.length).toBeGreaterThan(0);
    for (const r of wrongNumbers)
      expect(Math.abs(r.got - r.gold)).toBeLessThanOrEqual(Math.max(2, Math.round(r.gold * 0.1)));
  });

  it('respects stop sequences and the token limit, and reports usage', () => {
    const entry = entries[0]!;
    const input = {
      messages: [
        {
          role: 'user' as const,
          content: `Think step by step. ${PLAIN_USER_PROMPT.replace('{question}', entry.question)}`,
        },
      ],
      temperature: 0,
      sampleIndex: 0,
    };
    const full = model.complete(input);
    expect(full.finishReason).toBe('stop');
    expect(full.usage.promptTokens).toBeGreaterThan(10);
    expect(model.complete({ ...input, stop: ['<answer>'] }).text).not.toContain('<answer>');
    const cut = model.complete({ ...input, maxTokens: 3 });
    expect(cut).toMatchObject({ finishReason: 'length', text: full.text.slice(0, 12) });
  });
});
