import type { SkippedRecords, Split, SplitCounts, TaskSpec } from '@metaspo/schemas';
import { canonicalGold } from './gold.js';
import { importError } from './importers/errors.js';
import type { ImporterOutput } from './importers/types.js';
import { SkipCollector } from './importers/types.js';
import { PROJECT_SAMPLING, REFERENCE_SPLIT_METHOD, seededSplit, seededSplitMethod } from './split.js';

export interface ExampleRow {
  id: string;
  taskId: string;
  split: Split;
  ordinal: number;
  question: string;
  answer: string;
  acceptedAnswers: string[] | null;
  options: string[] | null;
}

export interface PreparedDataset {
  rows: ExampleRow[];
  counts: SplitCounts;
  recordsRead: number;
  skipped: SkippedRecords[];
  splitMethod: string;
}

const exampleId = (taskId: string, ordinal: number) => `${taskId}:${String(ordinal).padStart(6, '0')}`;

const MAX_REPORTED = 10;

/**
 * From an importer's drafts to rows: drops (and reports) empty questions, makes every gold
 * canonical for the task's answer type (refusing the import when any gold lies outside the
 * label space, listing where), fills in the seeded split where the source has none, and names
 * the split method, which also decides how `sample` shuffles (split.ts).
 */
export function prepareDataset(task: TaskSpec, output: ImporterOutput): PreparedDataset {
  const skips = new SkipCollector();
  const kept = output.drafts.filter((draft) => {
    if (draft.question.trim() !== '') return true;
    skips.add('empty question text', draft.file, draft.location);
    return false;
  });
  const refused: string[] = [];
  let firstRefusal: Error | null = null;
  const golds = kept.map((draft) => {
    const result = canonicalGold(task.answerType, draft.gold, draft.options);
    if (result.ok) return result.gold;
    refused.push(`${draft.file} ${draft.location}`);
    firstRefusal ??= importError(draft.file, draft.location, draft.goldField, result.reason);
    return null;
  });
  if (firstRefusal !== null) {
    const error = firstRefusal as Error;
    if (refused.length > 1) {
      error.message += ` (${refused.length} records have an unusable answer: ${refused.slice(0, MAX_REPORTED).join('; ')}${refused.length > MAX_REPORTED ? '; ...' : ''})`;
    }
    throw error;
  }
  const unsplit = kept.filter((draft) => draft.split === null).length;
  const seeded = seededSplit(task.id, unsplit);
  let seededIndex = 0;
  const counts: SplitCounts = { train: 0, test: 0 };
  const rows = kept.map((draft, ordinal): ExampleRow => {
    const split = draft.split ?? seeded[seededIndex++]!;
    counts[split] += 1;
    const gold = golds[ordinal]!;
    return {
      id: exampleId(task.id, ordinal),
      taskId: task.id,
      split,
      ordinal,
      question: draft.question,
      answer: gold.answer,
      acceptedAnswers: gold.acceptedAnswers ?? null,
      options: draft.options ?? null,
    };
  });
  // Only a split wholly taken from the source has a reference order to reproduce.
  const splitMethod =
    unsplit === 0
      ? REFERENCE_SPLIT_METHOD
      : unsplit === kept.length
        ? `${seededSplitMethod(task.id)}; ${PROJECT_SAMPLING}`
        : `source split where given; ${seededSplitMethod(task.id)} for the rest; ${PROJECT_SAMPLING}`;
  return {
    rows,
    counts,
    recordsRead: output.recordsRead,
    skipped: [...output.skipped, ...skips.list()],
    splitMethod,
  };
}
