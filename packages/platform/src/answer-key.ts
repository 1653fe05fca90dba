import type { AnswerKeyEntry, DatasetsClient } from '@metaspo/schemas';
import { type AnswerKey, type AnswerKeyLoader, createAnswerKeyInSlices } from '@metaspo/simulator';

/**
 * The simulator answers from the registry's gold answers. Tasks can be imported while the
 * server runs, so the sim provider reloads the key through this loader when a question is
 * missing. A reload whose entries are those of the key it built last returns that key: the
 * datasets service answers from a cache per dataset version (in process, the very same entry
 * objects), so the check costs a comparison, while indexing the key again cost 57-130 ms and
 * rebuilt every sim model on it.
 */
export function answerKeyLoaderOf(datasets: DatasetsClient): AnswerKeyLoader {
  let built: { entries: AnswerKeyEntry[]; key: AnswerKey } | undefined;
  return async () => {
    const tasks = await datasets.tasks.list.query(undefined);
    const taskIds = tasks.filter((task) => task.available).map((task) => task.id);
    const entries = taskIds.length === 0 ? [] : await datasets.answerKey.query({ taskIds });
    if (built && sameEntries(built.entries, entries)) return built.key;
    built = { entries, key: await createAnswerKeyInSlices(entries) };
    return built.key;
  };
}

function sameEntries(before: readonly AnswerKeyEntry[], after: readonly AnswerKeyEntry[]): boolean {
  if (before.length !== after.length) return false;
  for (let i = 0; i < before.length; i += 1) if (!sameEntry(before[i]!, after[i]!)) return false;
  return true;
}

/** Over HTTP the entries are fresh objects each time: then their fields are compared. */
function sameEntry(a: AnswerKeyEntry, b: AnswerKeyEntry): boolean {
  return (
    a === b ||
    (a.taskId === b.taskId &&
      a.domain === b.domain &&
      sameAnswerType(a.answerType, b.answerType) &&
      a.question === b.question &&
      a.answer === b.answer &&
      sameList(a.labelSpace, b.labelSpace) &&
      sameList(a.acceptedAnswers, b.acceptedAnswers) &&
      sameList(a.options, b.options))
  );
}

/** A small object (a kind and its settings, all JSON): its serialization compares it. */
function sameAnswerType(a: AnswerKeyEntry['answerType'], b: AnswerKeyEntry['answerType']): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((item, i) => item === b[i]);
}
