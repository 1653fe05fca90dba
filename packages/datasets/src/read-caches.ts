import type { AnswerKeyEntry, Example, TaskSpec } from '@metaspo/schemas';
import type { DatasetVersionRow, Store } from './store.js';

/** Examples of one task kept by `sample`; past this the task's cache starts again. */
const EXAMPLES_READ_LIMIT = 20_000;

/** Changes whenever an import changes the task's examples or splits. */
export const versionOf = (row: DatasetVersionRow): string =>
  `${row.contentHash}|${row.trainCount}|${row.testCount}|${row.splitMethod}`;

/** Frozen with its lists: in-process callers share cached examples and answer-key entries. */
function frozen<T extends { acceptedAnswers?: string[] | undefined; options?: string[] | undefined }>(
  value: T,
): T {
  if (value.acceptedAnswers) Object.freeze(value.acceptedAnswers);
  if (value.options) Object.freeze(value.options);
  return Object.freeze(value);
}

/**
 * What `sample` and `answerKey` have read, per task while its dataset version stays the same
 * (an import replaces all of a task's examples and changes its version). Every evaluation
 * samples up to 500 examples, and the simulator's loader asks for every task's answer key
 * again whenever a question is missing (at most every 2 s during a run): reading and parsing
 * those rows each time held the event loop of a live server.
 */
export function createReadCaches(store: Store) {
  const examplesRead = new Map<string, { version: string; byId: Map<string, Example> }>();
  const answerKeys = new Map<string, { version: string; entries: AnswerKeyEntry[] }>();

  return {
    /** The examples of these ids, in their order, reading only those not read before. */
    examples(taskId: string, version: string, ids: readonly string[]): Example[] {
      let known = examplesRead.get(taskId);
      if (!known || known.version !== version || known.byId.size > EXAMPLES_READ_LIMIT) {
        known = { version, byId: new Map() };
        examplesRead.set(taskId, known);
      }
      const { byId } = known;
      const missing = ids.filter((id) => !byId.has(id));
      if (missing.length > 0)
        for (const example of store.examplesByIds(missing)) byId.set(example.id, frozen(example));
      return ids.map((id) => byId.get(id)!);
    },

    /** Gold answers of every stored example of the task, in source order. */
    answerKey(taskId: string, spec: TaskSpec, version: string): AnswerKeyEntry[] {
      const known = answerKeys.get(taskId);
      if (known && known.version === version) return known.entries;
      const entries = store.allExamples(taskId).map(
        (example): AnswerKeyEntry =>
          frozen({
            taskId,
            domain: spec.domain,
            answerType: spec.answerType,
            ...(spec.labelSpace ? { labelSpace: spec.labelSpace } : {}),
            question: example.question,
            answer: example.answer,
            ...(example.acceptedAnswers ? { acceptedAnswers: example.acceptedAnswers } : {}),
            ...(example.options ? { options: example.options } : {}),
          }),
      );
      answerKeys.set(taskId, { version, entries });
      return entries;
    },
  };
}
