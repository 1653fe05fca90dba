import type { Rng } from '@metaspo/service-kit';
import { defineProceduralTask, proceduralSpec } from './procedural-task.js';
import {
  capitalize,
  fill,
  formatOptions,
  intBetween,
  joinAnd,
  letters,
  optionLetter,
  PERSON_NAMES,
  pick,
  pickDistinct,
  withIndefiniteArticle,
} from './text.js';

const PEOPLE = 5;

interface SwapTheme {
  setting: string;
  /** Plural noun used in swap sentences ("swap balls"). */
  noun: string;
  /** Whether objects take an article ("a red ball", "the red ball") or stand alone like titles ("Hamlet"). */
  takesArticle: boolean;
  event: string;
  objects: readonly string[];
}

/** Object texts never contain commas, "and" or periods, so the opening list reads unambiguously. */
const THEMES: readonly SwapTheme[] = [
  {
    setting:
      '{people} are playing a game. At the start of the game, each of them holds one ball: {holdings}.',
    noun: 'balls',
    takesArticle: true,
    event: 'game',
    objects: [
      'red ball',
      'blue ball',
      'green ball',
      'yellow ball',
      'purple ball',
      'orange ball',
      'white ball',
      'black ball',
      'pink ball',
    ],
  },
  {
    setting:
      '{people} are in a book club. When the season begins, each of them is reading a different book: {holdings}.',
    noun: 'books',
    takesArticle: false,
    event: 'season',
    objects: [
      'Hamlet',
      'Dracula',
      'Emma',
      'Ulysses',
      'Moby Dick',
      'The Odyssey',
      'Frankenstein',
      'Catch-22',
      'Beloved',
      'Middlemarch',
    ],
  },
  {
    setting:
      '{people} meet at a holiday party. Each of them arrives holding one wrapped present: {holdings}.',
    noun: 'presents',
    takesArticle: true,
    event: 'party',
    objects: [
      'gold present',
      'silver present',
      'striped present',
      'dotted present',
      'plain brown present',
      'glittery present',
      'tartan present',
      'tiny present',
    ],
  },
];

const SWAP_SENTENCES = ['{a} and {b} swap {noun}', '{a} and {b} trade {noun}', '{a} swaps {noun} with {b}'];
const ASK_HOLDER_OF_OBJECT = [
  'At the end of the {event}, who has {object}?',
  'Who is holding {object} when the {event} is over?',
];
const ASK_OBJECT_OF_HOLDER = [
  'At the end of the {event}, {person} has',
  'What does {person} hold when the {event} is over?',
];

function sequenceWord(index: number, total: number): string {
  if (index === 0) return 'First';
  return index === total - 1 ? 'Finally' : 'Then';
}

function makeTrackingSwapsItem(rng: Rng) {
  const theme = pick(rng, THEMES);
  const people = pickDistinct(rng, PERSON_NAMES, PEOPLE);
  const objects = pickDistinct(rng, theme.objects, PEOPLE);
  const holding = new Map(people.map((person, i) => [person, objects[i] ?? '']));

  const swapCount = intBetween(rng, 3, 7);
  const swaps: string[] = [];
  for (let i = 0; i < swapCount; i += 1) {
    const [a, b] = pickDistinct(rng, people, 2) as [string, string];
    const objectOfA = holding.get(a) ?? '';
    holding.set(a, holding.get(b) ?? '');
    holding.set(b, objectOfA);
    const sentence = fill(pick(rng, SWAP_SENTENCES), { a, b, noun: theme.noun });
    swaps.push(`${sequenceWord(i, swapCount)}, ${sentence}.`);
  }

  const opening = fill(theme.setting, {
    people: joinAnd(people),
    holdings: joinAnd(
      people.map(
        (person, i) =>
          `${person} has ${theme.takesArticle ? withIndefiniteArticle(objects[i] ?? '') : objects[i]}`,
      ),
    ),
  });
  const askForHolder = rng() < 0.5;
  const options = pickDistinct(rng, askForHolder ? people : objects, PEOPLE);
  let ask: string;
  let correct: string;
  if (askForHolder) {
    const object = pick(rng, objects);
    const withArticle = theme.takesArticle ? `the ${object}` : object;
    ask = fill(pick(rng, ASK_HOLDER_OF_OBJECT), { event: theme.event, object: withArticle });
    correct = people.find((person) => holding.get(person) === object) ?? '';
  } else {
    const person = pick(rng, people);
    ask = capitalize(fill(pick(rng, ASK_OBJECT_OF_HOLDER), { event: theme.event, person }));
    correct = holding.get(person) ?? '';
  }
  return {
    question: `${opening}\n${swaps.join(' ')}\n${ask}\n${formatOptions(options)}`,
    answer: optionLetter(options.indexOf(correct)),
    options,
  };
}

export const trackingSwapsTask = defineProceduralTask(
  proceduralSpec({
    id: 'proc_tracking_swaps',
    description:
      'Five people start with one object each and swap them pairwise three to seven times; name who ends up with an object or what a person ends up with (five options).',
    initialUserPrompt:
      'Follow every exchange in order and keep track of who holds what.\n<Question>{question}</Question>\nReply with the letter of the correct option inside <answer>...</answer>, for example <answer>C</answer>.',
    answerType: { kind: 'option', optionCount: PEOPLE },
    labelSpace: letters(PEOPLE),
  }),
  makeTrackingSwapsItem,
);
