import { arithmeticWordProblemsTask } from './arithmetic-word-problems.js';
import { booleanExpressionsTask } from './boolean-expressions.js';
import { dateArithmeticTask } from './date-arithmetic.js';
import { navigationTask } from './navigation.js';
import { objectCountingTask } from './object-counting.js';
import type { ProceduralTask } from './procedural-task.js';
import { trackingSwapsTask } from './tracking-swaps.js';
import { wordSortingTask } from './word-sorting.js';

export { type GeneratedItem, PROCEDURAL_SIZES, type ProceduralTask } from './procedural-task.js';

/** Meta-train tasks first, then meta-test ones, mirroring the paper's reasoning-domain split in spirit. */
export const PROCEDURAL_TASKS: ProceduralTask[] = [
  trackingSwapsTask,
  navigationTask,
  dateArithmeticTask,
  booleanExpressionsTask,
  objectCountingTask,
  arithmeticWordProblemsTask,
  wordSortingTask,
];

/** Default split: the optimizer learns on four tasks and is judged on three it never saw. */
export const PROCEDURAL_SPLIT: { train: string[]; test: string[] } = {
  train: ['proc_tracking_swaps', 'proc_navigation', 'proc_date_arithmetic', 'proc_boolean_expressions'],
  test: ['proc_object_counting', 'proc_arithmetic_word_problems', 'proc_word_sorting'],
};
