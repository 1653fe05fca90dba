import { bbhImporter, importBigbenchEpistemic } from '../importers/benchmark-json.js';
import { importLogicGridPuzzle } from '../importers/benchmark-jsonl.js';
import { type CatalogTask, defineTask } from './define.js';

const BBH = 'BIG-Bench-Hard/bbh';
const BBH_LICENSE = 'MIT';
const VARIANTS = ['three', 'five', 'seven'];

/** Every option text of BBH reasoning_about_colored_objects: 18 colors, zero to sixteen, yes/no. */
const COLORED_OBJECTS_LABELS = [
  ...['red', 'orange', 'yellow', 'green', 'blue', 'brown', 'magenta', 'fuchsia', 'mauve'],
  ...['teal', 'turquoise', 'burgundy', 'silver', 'gold', 'black', 'grey', 'purple', 'pink'],
  ...['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'],
  ...['nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen'],
  ...['yes', 'no'],
];

export const REASONING_TASKS: CatalogTask[] = [
  defineTask({
    id: 'logical_deduction',
    domain: 'reasoning',
    description:
      'BIG-Bench Hard logical deduction: order 3, 5 or 7 objects from clues (the three variants combined)',
    intro: 'Read the clues about how a few objects are ordered and decide which statement must be true.',
    answerType: { kind: 'option', optionCount: 7 },
    metric: 'accuracy',
    license: BBH_LICENSE,
    importerName: 'bbh-json',
    importer: bbhImporter('option'),
    files: VARIANTS.map((n) => ['all', `${BBH}/logical_deduction_${n}_objects.json`]),
  }),
  defineTask({
    id: 'temporal_sequences',
    domain: 'reasoning',
    description: 'BIG-Bench Hard temporal sequences: find when an event could have happened',
    intro:
      'From the account of where a person was during the day, work out when the event in question could have happened.',
    answerType: { kind: 'option', optionCount: 4 },
    metric: 'accuracy',
    license: BBH_LICENSE,
    importerName: 'bbh-json',
    importer: bbhImporter('option'),
    files: [['all', `${BBH}/temporal_sequences.json`]],
  }),
  defineTask({
    id: 'tracking_shuffled_objects',
    domain: 'reasoning',
    description:
      'BIG-Bench Hard tracking shuffled objects: follow 3, 5 or 7 swaps (the three variants combined)',
    intro: 'Follow each swap described below and say where things end up.',
    answerType: { kind: 'option', optionCount: 7 },
    metric: 'accuracy',
    license: BBH_LICENSE,
    importerName: 'bbh-json',
    importer: bbhImporter('option'),
    files: VARIANTS.map((n) => ['all', `${BBH}/tracking_shuffled_objects_${n}_objects.json`]),
  }),
  defineTask({
    id: 'object_counting',
    domain: 'reasoning',
    description: 'BIG-Bench Hard object counting: count the items of one kind in a list',
    intro: 'Count the things asked about in the list below; mind the quantities written as words.',
    answerType: { kind: 'integer' },
    metric: 'accuracy',
    license: BBH_LICENSE,
    importerName: 'bbh-json',
    importer: bbhImporter('plain'),
    files: [['all', `${BBH}/object_counting.json`]],
  }),
  defineTask({
    id: 'reasoning_colored_objects',
    domain: 'reasoning',
    description:
      'BIG-Bench Hard reasoning about colored objects: questions on colors and positions of items; the gold is the text of the correct option (the file gives its letter)',
    intro: 'Answer the question about the colored objects described below.',
    answerType: { kind: 'label', labels: COLORED_OBJECTS_LABELS },
    answerInstruction: 'Reply with the text of the correct option, not its letter, inside <answer></answer>.',
    metric: 'accuracy',
    license: BBH_LICENSE,
    importerName: 'bbh-json',
    importer: bbhImporter('option-text'),
    files: [['all', `${BBH}/reasoning_about_colored_objects.json`]],
  }),
  defineTask({
    id: 'navigate',
    domain: 'reasoning',
    description: 'BIG-Bench Hard navigate: do the steps lead back to the starting point?',
    intro: 'Follow the movement instructions and decide whether they end where they started.',
    answerType: { kind: 'yes-no' },
    metric: 'accuracy',
    license: BBH_LICENSE,
    importerName: 'bbh-json',
    importer: bbhImporter('plain'),
    files: [['all', `${BBH}/navigate.json`]],
  }),
  defineTask({
    id: 'epistemic',
    domain: 'reasoning',
    description: 'BIG-bench epistemic reasoning: does the premise entail the hypothesis?',
    intro:
      'Read the premise and the hypothesis about what people know, think or understand. Does the premise entail the hypothesis?',
    answerType: { kind: 'label', labels: ['entailment', 'non-entailment'] },
    metric: 'accuracy',
    license: 'MIT (APE repository copy of BIG-bench epistemic_reasoning)',
    importerName: 'bigbench-task-json',
    importer: importBigbenchEpistemic,
    files: [['all', 'automatic_prompt_engineer/data/bigbench-ii/epistemic_reasoning/task.json']],
  }),
  defineTask({
    id: 'logic_grid_puzzle',
    domain: 'reasoning',
    description:
      'BIG-bench logic grid puzzle, a SUBSET: the 200 examples Solo-Performance-Prompting used (the 1,000-example task.json was not found); the answer is a house number',
    intro:
      'Solve the logic grid puzzle below from its clues and give the number of the house the question asks about.',
    answerType: { kind: 'integer' },
    metric: 'accuracy',
    license: 'none stated (Solo-Performance-Prompting repository); the data comes from BIG-bench',
    importerName: 'bigbench-hf-jsonl',
    importer: importLogicGridPuzzle,
    files: [['all', 'Solo-Performance-Prompting/data/logic_grid_puzzle/logic_grid_puzzle_200.jsonl']],
  }),
];
