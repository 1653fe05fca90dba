import type { NodeRecord, RunRecord } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd, smallConfig, TRAIN_TASKS } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';

const SLOT = '<Question>{question}</Question>';
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('APE-built user prompts on the simulator', () => {
  let platform: Platform;
  const generated = (nodes: NodeRecord[]) =>
    nodes.filter((n) => n.kind === 'user' && n.phase !== 'initial' && !n.droppedReason);

  beforeAll(async () => {
    platform = await createPlatform();
  });
  afterAll(async () => platform?.close());

  const expectSlotOnce = (prompts: string[]) => {
    expect(prompts.length).toBeGreaterThan(0);
    for (const prompt of prompts) {
      expect(occurrences(prompt, SLOT), prompt).toBe(1);
      expect(occurrences(prompt, '{question}'), prompt).toBe(1);
    }
  };

  it('ape: every proposal and every resample', async () => {
    const run: RunRecord = await runToEnd(
      platform,
      smallConfig({ method: 'ape', apeProposals: 3, apeResamples: 2, trainSize: 8, testSize: 8 }),
    );
    expect(run.status).toBe('completed');
    const nodes = generated(platform.optimizer.listNodes(run.id));
    expect(new Set(nodes.map((n) => n.iteration))).toEqual(new Set([1, 2]));
    expectSlotOnce(nodes.map((n) => n.userPrompt));
  }, 60_000);

  it('metaspo-ape: every inner-loop candidate', async () => {
    const run = await runToEnd(
      platform,
      smallConfig({ method: 'metaspo-ape', iterations: 1, trainSize: 8, testSize: 8 }),
    );
    expect(run.status).toBe('completed');
    const inner = generated(platform.optimizer.listNodes(run.id)).filter((n) => n.phase === 'inner');
    expect(inner.length).toBe(TRAIN_TASKS.length * 3);
    expectSlotOnce(inner.map((n) => n.userPrompt));
  }, 60_000);

  it('the unseen meta-test: every generated user prompt', async () => {
    const started = await platform.optimizerClient.metaTests.start.mutate({
      kind: 'unseen',
      tasks: [TRAIN_TASKS[0]!],
      unseenUserPrompts: 4,
      trainSize: 8,
      testSize: 8,
    });
    const record = await platform.optimizer.waitForMetaTest(started.id);
    expect(record.status).toBe('completed');
    const prompts = record.unseen!.tasks.flatMap((t) => t.userPrompts);
    expect(prompts).toHaveLength(4);
    expectSlotOnce(prompts);
  }, 60_000);
});
