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

/** The shared README's Missing section: no unmodified public copy of DROP dev was found. */
const DROP_MISSING =
  'DROP dev (drop_dataset_dev.json, 9,536 questions) was not collected: the one public repository found (genggui001/opencompass) holds only a Git LFS pointer (13,741,143 bytes, sha256 f25f09a9e939e946dbb37799b3b3e2c2a9f7416e524017cc4a79780f2ba6edca), not the file';

export const UNAVAILABLE_TASKS: TaskSpec[] = [
  unavailableTask(
    'drop',
    'grounding',
    'DROP discrete reasoning over paragraphs',
    { kind: 'free-text' },
    'exact-match',
    'bare',
    DROP_MISSING,
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
    train: ['logic_grid_puzzle', 'tracking_shuffled_objects', 'logical_deduction', 'temporal_sequences'],
    test: ['object_counting', 'reasoning_colored_objects', 'epistemic'],
  },
  {
    domain: 'safety',
    train: ['liar', 'hatecheck', 'tweet_eval', 'sarcasm'],
    test: ['ethos', 'antropic_harmless'],
  },
  // The reference's fourth grounding source task, drop, has no file (UNAVAILABLE_TASKS).
  { domain: 'grounding', train: ['squad', 'hotpot_qa', 'trivia_qa'], test: ['natural_questions', 'web_qa'] },
];
