import {
  type AnswerKeyEntry,
  DEFAULT_SYSTEM_PROMPT,
  extractTagged,
  META_TAGS,
  replyInsideTag,
} from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import {
  createAnswerKey,
  createSimModel,
  type SimModel,
  SYNTHETIC_TASKS,
  syntheticEntries,
} from '../src/index.js';

const USER_PROMPT = '<Question>{question}</Question>\nWrite the final answer inside <answer></answer>.';
const SOURCE_TASKS = ['anatomy', 'baby', 'navigate', 'ethos'];
const UNSEEN_TASKS = ['surgery', 'pet', 'object_counting'];

const train = SYNTHETIC_TASKS.flatMap((t) => syntheticEntries(t, 60));
const unseen = SYNTHETIC_TASKS.flatMap((t) => syntheticEntries(t, 150, 5_000));
const model = createSimModel({ answerKey: createAnswerKey([...train, ...unseen]) });

function evaluate(base: SimModel, system: string, items: AnswerKeyEntry[]) {
  const wrong: string[] = [];
  let correct = 0;
  for (const e of items) {
    const prompt = USER_PROMPT.replace('{question}', e.question);
    const text = base.complete({
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: prompt },
      ],
      temperature: 0,
      sampleIndex: 0,
    }).text;
    if (extractTagged(text, 'answer') === e.answer) correct += 1;
    else wrong.push(`${prompt}\nResponse: ${text}\nCorrect answer: ${e.answer}`);
  }
  return { score: correct / items.length, wrong };
}

const onTasks = (items: AnswerKeyEntry[], ids: string[]) => items.filter((e) => ids.includes(e.taskId));

describe('outer loop against the simulator', () => {
  it('finds a system prompt that also scores higher on unseen tasks', () => {
    let system = DEFAULT_SYSTEM_PROMPT;
    let best = evaluate(model, system, onTasks(train, SOURCE_TASKS));
    for (let iteration = 0; iteration < 3; iteration += 1) {
      const examples = SOURCE_TASKS.flatMap((id) =>
        evaluate(model, system, onTasks(train, [id])).wrong.slice(0, 2),
      );
      const context = `<${META_TAGS.currentPrompt}>${system}</${META_TAGS.currentPrompt}>\n<${META_TAGS.examples}>${examples.join('\n\n')}</${META_TAGS.examples}>`;
      const ask = (content: string, sampleIndex: number) =>
        model.complete({ messages: [{ role: 'user', content }], temperature: 1, sampleIndex }).text;
      const analysis =
        extractTagged(ask(`${context}\n${replyInsideTag('analysis')}`, iteration), 'analysis') ?? '';
      for (let candidate = 0; candidate < 6; candidate += 1) {
        const request = `${context}\n<${META_TAGS.analysis}>${analysis}</${META_TAGS.analysis}>\n${replyInsideTag('system_prompt')}`;
        const proposal = extractTagged(ask(request, candidate), 'system_prompt');
        if (!proposal) continue;
        const scored = evaluate(model, proposal, onTasks(train, SOURCE_TASKS));
        if (scored.score > best.score) {
          best = scored;
          system = proposal;
        }
      }
    }
    const before = evaluate(model, DEFAULT_SYSTEM_PROMPT, onTasks(unseen, UNSEEN_TASKS)).score;
    const after = evaluate(model, system, onTasks(unseen, UNSEEN_TASKS)).score;
    expect(system).not.toBe(DEFAULT_SYSTEM_PROMPT);
    expect(after - before).toBeGreaterThan(0.08);
  });
});
