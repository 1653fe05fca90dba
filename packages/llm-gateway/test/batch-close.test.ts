import { describe, expect, it } from 'vitest';
import { answerTexts, closeAfterTest, gatewayOn, LINES, startBatchSim, storedJobs } from './batch-servers.js';
import { evaluationRequests } from './batch-support.js';
import { startFailingProxy } from './failing-proxy.js';
import { tempDatabaseFile, waitFor } from './helpers.js';

const CREATE_ROUTE = {
  'openai:default': 'POST /v1/batches',
  'anthropic:default': 'POST /v1/messages/batches',
} as const;

// Anthropic's batches carry no metadata to be found by, so a submission cut short by a close
// would be a batch nobody follows; OpenAI's would be found again by listing. Neither is cut.
describe.each([['openai:default'], ['anthropic:default']] as const)(
  'a gateway closed while a batch through %s is being submitted',
  (model) => {
    it('waits for the provider to answer the submission, and the next gateway polls that batch', async () => {
      const server = await startBatchSim({ completionDelayMs: 400 });
      const route = CREATE_ROUTE[model];
      // The provider has created the batch; its answer reaches the gateway 500 ms later.
      const proxy = await startFailingProxy(server.url, () => undefined, {
        holdFor: (seen) => (seen === route ? 500 : 0),
      });
      closeAfterTest(() => proxy.close());
      const databaseFile = tempDatabaseFile();
      const requests = evaluationRequests(model, LINES, 'run-closed');

      const first = gatewayOn(proxy, databaseFile);
      const cut = first.completeBatch(requests, { execution: 'batch' });
      await waitFor(() => server.stats().batches.batches === 1, 500);
      await first.close();
      expect((await cut).map((outcome) => (outcome.ok ? 'ok' : outcome.error.kind))).toEqual(
        requests.map(() => 'cancelled'),
      );
      expect(storedJobs(databaseFile).map((job) => job.state)).toEqual(['submitted']);

      const resumed = gatewayOn(proxy, databaseFile);
      const outcomes = await resumed.completeBatch(requests, { execution: 'batch' });
      expect(answerTexts(outcomes)).toHaveLength(LINES);
      expect(proxy.seen.get(route)).toBe(1);
      expect(server.stats().batches).toMatchObject({ batches: 1, lines: LINES });
      expect(server.stats().requests).toBe(0);
      expect(storedJobs(databaseFile).map((job) => job.state)).toEqual(['ended']);
    });
  },
);
