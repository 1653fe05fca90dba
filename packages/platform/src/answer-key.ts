import type { DatasetsClient } from '@metaspo/schemas';
import { type AnswerKeyLoader, createAnswerKey } from '@metaspo/simulator';

/**
 * The simulator answers from the registry's gold answers. Tasks can be imported while the
 * server runs, so the sim provider reloads the key through this loader when a question is missing.
 */
export function answerKeyLoaderOf(datasets: DatasetsClient): AnswerKeyLoader {
  return async () => {
    const tasks = await datasets.tasks.list.query(undefined);
    const taskIds = tasks.filter((task) => task.available).map((task) => task.id);
    return createAnswerKey(taskIds.length === 0 ? [] : await datasets.answerKey.query({ taskIds }));
  };
}
