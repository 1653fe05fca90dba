import type { ChatMessage } from '@metaspo/schemas';
import { META_TAGS } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { type AnswerKey, createAnswerKey, createAnswerKeyInSlices } from '../src/answer-key.js';
import { AnswerKeys } from '../src/provider/answer-keys.js';
import { SYNTHETIC_TASKS, syntheticEntries } from '../src/synthetic-tasks.js';

const [firstTask, secondTask] = SYNTHETIC_TASKS;
const firstEntries = syntheticEntries(firstTask!, 30);
const secondEntries = syntheticEntries(secondTask!, 30);
const asked = (question: string): ChatMessage[] => [
  { role: 'system', content: 'Answer inside <answer></answer>.' },
  { role: 'user', content: `Question: ${question}` },
];
/** The shape of an optimizer request: a prompt in <current_prompt> and an empty reply tag. */
const optimizerRequest: ChatMessage[] = [
  {
    role: 'user',
    content: `Improve this prompt.\n<${META_TAGS.currentPrompt}>Be brief.</${META_TAGS.currentPrompt}>\nReply in <${META_TAGS.systemPrompt}></${META_TAGS.systemPrompt}>.`,
  },
];

/** A holder on a clock the test moves, with a loader that counts its runs. */
function loadingHolder(keys: () => AnswerKey) {
  let clock = 0;
  let loads = 0;
  const holder = new AnswerKeys(undefined, { now: () => clock });
  holder.setLoader(async () => {
    loads += 1;
    return keys();
  });
  return {
    holder,
    loads: () => loads,
    wait: (ms: number) => {
      clock += ms;
    },
  };
}

describe('the answer key holder', () => {
  it('keeps its version when set to the key it holds, and bumps it for another key', () => {
    const key = createAnswerKey(firstEntries);
    const holder = new AnswerKeys();
    holder.set(key);
    const version = holder.version();
    holder.set(key);
    expect(holder.version()).toBe(version);
    holder.set(createAnswerKey(firstEntries));
    expect(holder.version()).toBe(version + 1);
  });

  it('does not reload for an optimizer request it cannot find in the key, however late', async () => {
    const key = createAnswerKey(firstEntries);
    const { holder, loads, wait } = loadingHolder(() => key);
    await holder.ensureFor(asked(firstEntries[0]!.question));
    expect(loads()).toBe(1);
    wait(60_000);
    expect(key.lookup(optimizerRequest[0]!.content)).toBeUndefined();
    await holder.ensureFor(optimizerRequest);
    expect(loads()).toBe(1);
    expect(holder.version()).toBe(1);
  });

  it('reloads for an unknown benchmark question once the reload window has passed', async () => {
    let entries = firstEntries;
    const { holder, loads, wait } = loadingHolder(() => createAnswerKey(entries));
    await holder.ensureFor(asked(firstEntries[0]!.question));
    // A task imported meanwhile: its question is unknown to the key held.
    entries = [...firstEntries, ...secondEntries];
    const imported = asked(secondEntries[0]!.question);
    await holder.ensureFor(imported);
    expect(loads()).toBe(1);
    wait(2_500);
    await holder.ensureFor(imported);
    expect(loads()).toBe(2);
    expect(holder.current()?.lookup(secondEntries[0]!.question)).toBe(secondEntries[0]);
  });
});

describe('createAnswerKeyInSlices', () => {
  it('answers as createAnswerKey does, giving the event loop turns while it indexes', async () => {
    const entries = [...firstEntries, ...secondEntries, ...firstEntries];
    // Counts the event loop's turns while the key is built (0 ms slices: a yield per check).
    let turns = 0;
    let ticking = setImmediate(function tick() {
      turns += 1;
      ticking = setImmediate(tick);
    });
    const sliced = await createAnswerKeyInSlices(entries, 0).finally(() => clearImmediate(ticking));
    const whole = createAnswerKey(entries);
    expect(turns).toBeGreaterThan(0);
    expect(sliced.size()).toBe(whole.size());
    for (const entry of entries) {
      expect(sliced.lookup(entry.question)).toBe(whole.lookup(entry.question));
      const wrapped = `Please answer: <question>${entry.question}</question>`;
      expect(sliced.lookup(wrapped)).toBe(whole.lookup(wrapped));
    }
  });
});
