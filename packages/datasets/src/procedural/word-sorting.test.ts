import { describe, expect, it } from 'vitest';
import { PROCEDURAL_SIZES } from './procedural-task.js';
import { wordSortingTask } from './word-sorting.js';

describe('proc_word_sorting answers', () => {
  it('equal the listed words in dictionary order', () => {
    const items = [
      ...wordSortingTask.generate(PROCEDURAL_SIZES.trainSeed, 150),
      ...wordSortingTask.generate(PROCEDURAL_SIZES.testSeed, 150),
    ];
    for (const item of items) {
      const listed = /\nList: ([a-z ]+)$/.exec(item.question)?.[1]?.split(' ') ?? [];
      expect(listed.length).toBeGreaterThanOrEqual(5);
      const inOrder = [...listed].sort((a, b) => a.localeCompare(b, 'en'));
      expect(item.answer, item.question).toBe(inOrder.join(' '));
      expect(item.acceptedAnswers).toContain(inOrder.join(', '));
    }
    // A list that is already sorted would test nothing; a few by chance are fine.
    expect(items.filter((item) => item.question.endsWith(`List: ${item.answer}`)).length).toBeLessThan(10);
  });
});
