import { getEventListeners } from 'node:events';
import { AnswerKeys } from '@metaspo/simulator';
import { describe, expect, it } from 'vitest';
import { createLlmGatewayService } from '../src/service.js';
import { ARITHMETIC_KEY, request, simProviders } from './helpers.js';

describe('caller signals', () => {
  it('concurrent calls sharing one signal put one listener on it, and its abort cancels them all', async () => {
    const answerKeys = new AnswerKeys();
    const service = createLlmGatewayService({
      databaseFile: ':memory:',
      providers: simProviders(answerKeys),
    });
    let releaseKey: () => void = () => {};
    // The sim provider waits for its answer key: the calls stay in flight until the abort.
    answerKeys.setLoader(() => new Promise((resolve) => (releaseKey = () => resolve(ARITHMETIC_KEY))));
    const controller = new AbortController();
    const single = Array.from({ length: 12 }, (_, i) =>
      service.complete(request({ content: `single ${i}` }), { signal: controller.signal }),
    );
    const batches = Array.from({ length: 12 }, (_, i) =>
      service.completeBatch([request({ content: `batch ${i}` })], { signal: controller.signal }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);

    controller.abort();
    for (const outcome of await Promise.allSettled(single)) {
      expect(outcome.status).toBe('rejected');
      expect(outcome.status === 'rejected' && outcome.reason.code).toBe('CANCELLED');
    }
    for (const outcomes of await Promise.all(batches)) {
      expect(outcomes[0]?.ok === false && outcomes[0].error.kind).toBe('cancelled');
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    releaseKey();
    await service.close();
  });
});
