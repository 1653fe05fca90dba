import { describe, expect, it } from 'vitest';
import { COUNTING_CATEGORIES, objectCountingTask } from './object-counting.js';
import { PROCEDURAL_SIZES } from './procedural-task.js';

const QUANTITY_WORDS: Record<string, number> = { a: 1, an: 1, two: 2, three: 3, four: 4, five: 5 };

/** The category vocabulary is shared data; the parsing of the sentence and the summing are this test's own. */
function categoryOf(noun: string): string | undefined {
  return Object.entries(COUNTING_CATEGORIES).find(([, items]) =>
    items.some((forms) => forms.includes(noun)),
  )?.[0];
}

function countFromText(question: string): number {
  const asked = /how many (.+?) (?:do|does|did|are)\b/i.exec(question)?.[1];
  if (!asked || !(asked in COUNTING_CATEGORIES)) throw new Error(`no known category in "${question}"`);
  const listSentence = question.slice(0, question.indexOf('.'));
  const list = listSentence.replace(/^.*?(?:I have|[A-Z][a-z]+ owns|into the van:|there are) /, '');
  let total = 0;
  const categoriesSeen = new Set<string>();
  for (const phrase of list.split(/, | and /)) {
    const [quantityWord = '', ...nounWords] = phrase.split(' ');
    const quantity = QUANTITY_WORDS[quantityWord];
    const category = categoryOf(nounWords.join(' '));
    if (quantity === undefined || category === undefined) throw new Error(`unparsed item "${phrase}"`);
    categoriesSeen.add(category);
    if (category === asked) total += quantity;
  }
  expect(categoriesSeen.size, 'every list mixes in items of another kind').toBeGreaterThan(1);
  return total;
}

describe('proc_object_counting answers', () => {
  it('equal the quantities of the asked kind summed from the question text', () => {
    const items = [
      ...objectCountingTask.generate(PROCEDURAL_SIZES.trainSeed, 150),
      ...objectCountingTask.generate(PROCEDURAL_SIZES.testSeed, 150),
    ];
    for (const item of items) expect(String(countFromText(item.question)), item.question).toBe(item.answer);
    expect(new Set(items.map((item) => item.answer)).size).toBeGreaterThan(8);
  });
});
