import type { LlmGatewayService } from '@metaspo/llm-gateway';
import type { DatasetsClient } from '@metaspo/schemas';
import { createAnswerKey } from '@metaspo/simulator';

/**
 * The simulator answers from the registry's gold answers. Tasks can be imported while the
 * server runs, so the gateway reloads the key through this loader when a question is missing.
 */
export function attachAnswerKeyLoader(llm: LlmGatewayService, datasets: DatasetsClient): void {
  llm.setAnswerKeyLoader(async () => {
    const tasks = await datasets.tasks.list.query(undefined);
    const taskIds = tasks.filter((task) => task.available).map((task) => task.id);
    return createAnswerKey(taskIds.length === 0 ? [] : await datasets.answerKey.query({ taskIds }));
  });
}
