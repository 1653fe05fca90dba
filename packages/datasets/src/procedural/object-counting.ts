import { type Rng, shuffled } from '@metaspo/service-kit';
import { defineProceduralTask, proceduralSpec } from './procedural-task.js';
import {
  fill,
  intBetween,
  joinAnd,
  numberWord,
  PERSON_NAMES,
  pick,
  pickDistinct,
  withIndefiniteArticle,
} from './text.js';

/** Singular and plural of each countable item, by category; no item belongs to two categories. */
export const COUNTING_CATEGORIES: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  fruits: [
    ['apple', 'apples'],
    ['banana', 'bananas'],
    ['orange', 'oranges'],
    ['peach', 'peaches'],
    ['plum', 'plums'],
    ['strawberry', 'strawberries'],
    ['nectarine', 'nectarines'],
    ['raspberry', 'raspberries'],
    ['grape', 'grapes'],
    ['mango', 'mangoes'],
  ],
  vegetables: [
    ['carrot', 'carrots'],
    ['potato', 'potatoes'],
    ['onion', 'onions'],
    ['cabbage', 'cabbages'],
    ['yam', 'yams'],
    ['cauliflower', 'cauliflowers'],
    ['stalk of celery', 'stalks of celery'],
    ['head of broccoli', 'heads of broccoli'],
    ['zucchini', 'zucchinis'],
    ['lettuce head', 'lettuce heads'],
  ],
  'musical instruments': [
    ['piano', 'pianos'],
    ['flute', 'flutes'],
    ['trumpet', 'trumpets'],
    ['violin', 'violins'],
    ['drum', 'drums'],
    ['clarinet', 'clarinets'],
    ['trombone', 'trombones'],
    ['accordion', 'accordions'],
    ['harp', 'harps'],
    ['cello', 'cellos'],
  ],
  animals: [
    ['cat', 'cats'],
    ['dog', 'dogs'],
    ['goat', 'goats'],
    ['rabbit', 'rabbits'],
    ['snake', 'snakes'],
    ['chicken', 'chickens'],
    ['cow', 'cows'],
    ['donkey', 'donkeys'],
    ['pig', 'pigs'],
    ['mouse', 'mice'],
  ],
  'pieces of furniture': [
    ['chair', 'chairs'],
    ['table', 'tables'],
    ['bed', 'beds'],
    ['couch', 'couches'],
    ['bookshelf', 'bookshelves'],
    ['stool', 'stools'],
    ['dresser', 'dressers'],
    ['wardrobe', 'wardrobes'],
    ['desk', 'desks'],
    ['armchair', 'armchairs'],
  ],
};

const TEMPLATES = [
  'I have {items}. How many {category} do I have?',
  '{name} owns {items}. How many {category} does {name} own?',
  'Here is everything I packed into the van: {items}. In total, how many {category} did I pack?',
  'At the charity sale there are {items}. How many {category} are for sale?',
];

function withQuantity([singular, plural]: readonly [string, string], quantity: number): string {
  if (quantity > 1) return `${numberWord(quantity)} ${plural}`;
  return withIndefiniteArticle(singular);
}

/** Quantities are skewed towards one, as in everyday lists, but reach up to five. */
function randomQuantity(rng: Rng): number {
  return rng() < 0.5 ? 1 : intBetween(rng, 2, 5);
}

function makeObjectCountingItem(rng: Rng) {
  const categories = Object.keys(COUNTING_CATEGORIES);
  const category = pick(rng, categories);
  const targetItems = pickDistinct(rng, COUNTING_CATEGORIES[category] ?? [], intBetween(rng, 2, 5));
  const otherItems = categories
    .filter((other) => other !== category)
    .flatMap((other) => COUNTING_CATEGORIES[other] ?? []);
  const distractorItems = pickDistinct(rng, otherItems, intBetween(rng, 1, 4));

  let answer = 0;
  const phrases = targetItems.map((item) => {
    const quantity = randomQuantity(rng);
    answer += quantity;
    return withQuantity(item, quantity);
  });
  phrases.push(...distractorItems.map((item) => withQuantity(item, randomQuantity(rng))));

  const question = fill(pick(rng, TEMPLATES), {
    items: joinAnd(shuffled(phrases, rng)),
    category,
    name: pick(rng, PERSON_NAMES),
  });
  return { question, answer: String(answer) };
}

export const objectCountingTask = defineProceduralTask(
  proceduralSpec({
    id: 'proc_object_counting',
    description:
      'A list of items with quantities (in words) from several categories; count how many belong to the asked category.',
    initialUserPrompt:
      'Count carefully, adding up the quantities and skipping items of other kinds.\n<Question>{question}</Question>\nGive the total as a whole number in digits inside <answer>...</answer>.',
    answerType: { kind: 'integer' },
  }),
  makeObjectCountingItem,
);
