import type { RunEvent } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd, smallConfig } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';

describe('malformed optimizer replies', () => {
  let platform: Platform;
  beforeAll(async () => {
    // Most simulated optimizer replies lose their tag or their {question} placeholder.
    platform = await createPlatform({
      gateway: { providers: { sim: { malformedRate: 0.8 } } },
    });
  });
  afterAll(async () => platform?.close());

  it('retries them, then drops the candidate as a recorded node that is never evaluated', async () => {
    const run = await runToEnd(platform, smallConfig({ iterations: 1, trainSize: 8, testSize: 8 }));
    expect(run.status).toBe('completed');
    const nodes = platform.optimizer.listNodes(run.id);
    const dropped = nodes.filter((n) => n.droppedReason);
    expect(dropped.length).toBeGreaterThan(0);
    for (const node of dropped) {
      expect(node.droppedReason).toMatch(/after 3 attempts/);
      expect(node.evaluationIds).toEqual([]);
      expect(node.trainScore).toBeNull();
      expect(nodes.some((n) => n.parentId === node.id)).toBe(false);
    }
    for (const node of nodes.filter((n) => n.evaluationIds.length > 0)) {
      expect(node.userPrompt.split('{question}')).toHaveLength(2);
    }
    expect(run.result!.calls.optimizerRetries).toBeGreaterThan(0);
    const events = [] as RunEvent[];
    for await (const event of platform.optimizer.events(run.id, -1, AbortSignal.timeout(2_000))) {
      events.push(event);
      if (event.type === 'status' && event.status === 'completed') break;
    }
    expect(events.filter((e) => e.type === 'candidate-dropped')).toHaveLength(dropped.length);
  });
});
