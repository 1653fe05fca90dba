import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SYSTEM_PROMPT } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { BEHAVIOURS, detectBehaviours, formatBehaviourTable } from '../src/index.js';

describe('behaviour bank', () => {
  it.each(BEHAVIOURS.flatMap((b) => b.phrasings.map((p) => [b.id, p] as const)))(
    '%s: "%s" is recognised as that behaviour only',
    (id, phrasing) => {
      expect(detectBehaviours(phrasing)).toEqual([id]);
    },
  );

  it('finds nothing in the default system prompt and plain task prompts', () => {
    for (const prompt of [
      DEFAULT_SYSTEM_PROMPT,
      '<Question>{question}</Question>\nGive the letter of the correct option inside <answer></answer>.',
      'Is the following text hate speech? <Question>{question}</Question> Answer yes or no inside <answer></answer>.',
      'Predict the star rating (1-5) of this product review.\n<Question>{question}</Question>',
    ]) {
      expect(detectBehaviours(prompt), prompt).toEqual([]);
    }
  });

  it('is documented in docs/simulator.md exactly as the code defines it', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/simulator.md', import.meta.url)), 'utf8');
    // The formatter pads table cells; compare with the padding taken out.
    const unpadded = (markdown: string) => markdown.replace(/ *\| */g, '|').replace(/-{3,}/g, '---');
    expect(unpadded(doc)).toContain(unpadded(formatBehaviourTable()));
  });
});
