import path from 'node:path';
import { createDatasetsService } from '@metaspo/datasets';
import type { DomainSplit } from '@metaspo/schemas';
import { createAnswerKey, type SimServer, startSimServer } from '@metaspo/simulator';

/**
 * A loopback OpenAI-compatible model for the end-to-end tests: the simulator server answering
 * from the gold answers of the procedural tasks, generated the same way the registry does.
 */
export async function startProceduralSimServer(
  dir: string,
): Promise<{ server: SimServer; split: DomainSplit }> {
  const datasets = createDatasetsService({ databaseFile: path.join(dir, 'answer-key.sqlite') });
  try {
    const split = datasets.getDomainSplit('procedural');
    const entries = datasets.answerKey([...split.train, ...split.test]);
    const server = await startSimServer({ port: 0, answerKey: createAnswerKey(entries), malformedRate: 0 });
    return { server, split };
  } finally {
    datasets.close();
  }
}
