import type { NodeRecord, RunRecord, TaskSpec } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerSuffix, apeUserPrompt, instructionPart } from '../src/engine/candidates.js';
import { runToEnd, smallConfig, TRAIN_TASKS } from './helpers.js';
import { createPlatform, type Platform } from './platform.js';

const SLOT = '<Question>{question}</Question>';
const occurrences = (text: string, part: string) => text.split(part).length - 1;

const task = (initialUserPrompt: string): TaskSpec => ({
  id: 't',
  domain: 'procedural',
  description: '',
  initialUserPrompt,
  answerType: { kind: 'integer' },
  answerFormat: 'tagged',
  metric: 'accuracy',
  importer: 'test',
  available: true,
});

describe('APE user prompts: instruction, then the task suffix', () => {
  const medical = task(
    'Given the following question and candidate answers, choose the best answer.' +
      '<Question>{question}</Question>\nAt the end present your answer in <answer> and </answer>.',
  );

  it("takes the suffix from the question wrapper on, as the reference's suffix_prompt", () => {
    expect(answerSuffix(medical)).toBe(
      '<Question>{question}</Question>\nAt the end present your answer in <answer> and </answer>.',
    );
    expect(answerSuffix(task('Solve it.\nQuestion: {question}\nAnswer in <answer>.'))).toBe(
      'Question: {question}\nAnswer in <answer>.',
    );
    expect(answerSuffix(task('{question}'))).toBe('{question}');
  });

  it('keeps only the instruction of a reply that wrote its own question slot', () => {
    expect(instructionPart('  Pick the best option.  ')).toBe('Pick the best option.');
    expect(instructionPart('Pick the best option.\n\n<question>\n{question}</question>\nFormat...')).toBe(
      'Pick the best option.',
    );
    expect(instructionPart('Count them.\nQuestion: {question}')).toBe('Count them.');
    expect(instructionPart('<Question>{question}</Question>')).toBe('');
  });

  it('builds a prompt with the wrapped question exactly once, whatever the reply holds', () => {
    for (const reply of ['Choose well.', `Choose well.\n${SLOT}\nAnswer: <answer>X</answer>`]) {
      const prompt = apeUserPrompt(reply, medical);
      expect(prompt).toBe(`Choose well.${answerSuffix(medical)}`);
      expect(occurrences(prompt, SLOT)).toBe(1);
      expect(occurrences(prompt, '{question}')).toBe(1);
    }
  });
});

describe('APE-built user prompts on the simulator', () => {
  let platform: Platform;
  const generated = (nodes: NodeRecord[]) =>
    nodes.filter((n) => n.kind === 'user' && n.phase !== 'initial' && !n.droppedReason);

  beforeAll(async () => {
    platform = await createPlatform({ taskIds: TRAIN_TASKS });
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
