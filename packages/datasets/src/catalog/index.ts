import type { DomainSplit, TaskSpec } from '@metaspo/schemas';
import type { CatalogTask } from './define.js';
import { unavailableTask } from './define.js';
import { GROUNDING_TASKS } from './grounding.js';
import { MEDICAL_TASKS, REVIEW_TASKS } from './medical-review.js';
import { REASONING_TASKS } from './reasoning.js';
import { SAFETY_TASKS } from './safety.js';

export type { CatalogFile, CatalogTask } from './define.js';
export { rawUrl } from './define.js';

/** Every task of the paper's five domains that has a pinned public file. */
export const CATALOG_TASKS: CatalogTask[] = [
  ...MEDICAL_TASKS,
  ...REVIEW_TASKS,
  ...REASONING_TASKS,
  ...SAFETY_TASKS,
  ...GROUNDING_TASKS,
];

const NOT_COLLECTED = 'no public file of it was collected in ../shared/datasets (MANIFEST.json)';

export const UNAVAILABLE_TASKS: TaskSpec[] = [
  unavailableTask(
    'logic_grid_puzzle',
    'reasoning',
    'BIG-bench logic grid puzzle',
    { kind: 'option', optionCount: 5 },
    'accuracy',
    NOT_COLLECTED,
  ),
  unavailableTask(
    'squad',
    'grounding',
    'SQuAD reading comprehension',
    { kind: 'free-text' },
    'exact-match',
    NOT_COLLECTED,
  ),
  unavailableTask('trivia_qa', 'grounding', 'TriviaQA', { kind: 'free-text' }, 'exact-match', NOT_COLLECTED),
  unavailableTask(
    'drop',
    'grounding',
    'DROP discrete reasoning over paragraphs',
    { kind: 'free-text' },
    'exact-match',
    NOT_COLLECTED,
  ),
];

/** The paper's default meta-train (source) and meta-test (unseen) tasks per domain. */
export const PAPER_DOMAIN_SPLITS: DomainSplit[] = [
  {
    domain: 'medical',
    train: ['ob_gyn', 'medicine', 'pharmacology', 'pathology'],
    test: ['dental', 'anatomy', 'surgery', 'pediatrics'],
  },
  { domain: 'review', train: ['beauty', 'game', 'baby', 'office'], test: ['electronics', 'pet', 'sports'] },
  {
    domain: 'reasoning',
    train: ['tracking_shuffled_objects', 'logical_deduction', 'temporal_sequences', 'navigate'],
    test: ['object_counting', 'reasoning_colored_objects', 'epistemic'],
  },
  {
    domain: 'safety',
    train: ['liar', 'hatecheck', 'tweet_eval', 'sarcasm'],
    test: ['ethos', 'antropic_harmless'],
  },
  { domain: 'grounding', train: ['hotpot_qa'], test: ['natural_questions', 'web_qa'] },
];
