import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHAIN_OF_THOUGHT_SYSTEM_PROMPT, loadMetaPromptSet } from '@metaspo/optimizer';
import type { RunConfigInput } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordingPlatform, FAKE_SOURCE } from './support/recording-platform.js';

const EXAMPLE_TEXT = fs.readFileSync(
  fileURLToPath(new URL('../../configs/meta-prompts-appendix.yaml', import.meta.url)),
  'utf8',
);
const REFERENCE_PROMPT = (i: number) =>
  `Reference prompt ${i}: think it through.\n<Question>{question}</Question>\nGive the answer inside <answer></answer>.`;

type RecordingPlatform = Awaited<ReturnType<typeof createRecordingPlatform>>;

describe('meta-prompt sets and scoring through runs and meta-tests', () => {
  let platform: RecordingPlatform;
  let unseenTask: string;
  beforeAll(async () => {
    platform = await createRecordingPlatform({ systemPrompts: [], userPrompts: {} });
    unseenTask = platform.split.test[0]!;
  }, 60_000);
  afterAll(async () => platform?.close());

  const small = (overrides: Partial<RunConfigInput> = {}): RunConfigInput => ({
    metaTrainTasks: [platform.split.train[0]!, platform.split.train[1]!],
    iterations: 1,
    numSystemCandidates: 2,
    numUserCandidates: 1,
    userTopK: 1,
    trainSize: 8,
    testSize: 8,
    ...overrides,
  });

  it('stores the set of a run config with its hash, shows it on the record and in the export', async () => {
    const set = loadMetaPromptSet(EXAMPLE_TEXT, 'meta-prompts-appendix.yaml');
    const run = await platform.optimizerClient.runs.create.mutate({
      config: small({ metaPrompts: { source: 'meta-prompts-appendix.yaml', text: EXAMPLE_TEXT } }),
    });
    expect(run.metaPrompts).toEqual({
      name: 'appendix-style',
      version: '1',
      hash: set.hash,
      source: 'meta-prompts-appendix.yaml',
    });
    const exported = await platform.optimizerClient.runs.export.query({ id: run.id });
    expect(exported.exportVersion).toBe(2);
    expect(exported.metaPrompts).toMatchObject({ hash: set.hash, text: EXAMPLE_TEXT });
    const builtin = await platform.optimizerClient.runs.create.mutate({ config: small() });
    expect(builtin.metaPrompts.source).toBe('builtin');
    expect(builtin.metaPrompts.hash).not.toBe(set.hash);
  });

  it('runs MetaSPO and MetaSPO-APE with the configs/ example set end to end on the simulator', async () => {
    const metaPrompts = { source: 'meta-prompts-appendix.yaml', text: EXAMPLE_TEXT };
    for (const method of ['metaspo', 'metaspo-ape'] as const) {
      const run = platform.optimizer.createRun({
        config: small({ method, metaPrompts, numUserCandidates: 2 }),
      });
      platform.optimizer.startRun(run.id);
      expect((await platform.optimizer.waitForRun(run.id)).status).toBe('completed');
      const nodes = platform.optimizer.listNodes(run.id);
      expect(nodes.filter((n) => n.droppedReason !== null)).toEqual([]);
      expect(nodes.filter((n) => n.phase === 'outer').length).toBeGreaterThan(0);
      const asked = platform.optimizerRequests
        .filter((r) => r.runId === run.id)
        .map((r) => r.messages.at(-1)?.content ?? '');
      const tags = new Set(asked.map((text) => text.match(/<([a-z_]+)><\/\1>\.?\s*$/)?.[1]));
      expect(tags).toEqual(
        method === 'metaspo'
          ? new Set(['diagnosis', 'revised_task_prompt', 'revised_system_prompt'])
          : // MetaSPO-APE proposes both its user and its system prompts from demonstrations.
            new Set(['instruction']),
      );
    }
  }, 120_000);

  it('refuses a bare path and a bad template at create, naming the template and placeholder', async () => {
    await expect(
      platform.optimizerClient.runs.create.mutate({ config: small({ metaPrompts: 'mine.yaml' }) }),
    ).rejects.toThrow(/"mine\.yaml" is a path/);
    const broken = EXAMPLE_TEXT.replace('{failures}', '{mistakes}');
    await expect(
      platform.optimizerClient.runs.create.mutate({
        config: small({ metaPrompts: { source: 'broken.yaml', text: broken } }),
      }),
    ).rejects.toThrow(/broken\.yaml: template userAnalysis: unknown placeholder \{mistakes\}/);
  });

  it("every evaluation of a run and of its meta-tests carries the run's scoring unless the meta-test sets its own", async () => {
    const run = platform.optimizer.createRun({ config: small({ scoring: 'lenient' }) });
    platform.optimizer.startRun(run.id);
    const done = await platform.optimizer.waitForRun(run.id);
    expect(done.status).toBe('completed');
    const ofRun = platform.evaluations.filter((e) => e.runId === run.id);
    expect(ofRun.length).toBeGreaterThan(0);
    expect(new Set(ofRun.map((e) => e.scoring))).toEqual(new Set(['lenient']));

    const inherit = {
      kind: 'unseen' as const,
      runId: run.id,
      tasks: [unseenTask],
      unseenUserPrompts: 1,
      testSize: 8,
    };
    const inherited = await platform.optimizer.waitForMetaTest(
      (await platform.optimizerClient.metaTests.start.mutate(inherit)).id,
    );
    expect(inherited.status).toBe('completed');
    expect(inherited.scoring).toBe('lenient');
    const strict = await platform.optimizer.waitForMetaTest(
      (await platform.optimizerClient.metaTests.start.mutate({ ...inherit, scoring: 'strict' })).id,
    );
    expect(strict.scoring).toBe('strict');
    for (const [record, scoring] of [
      [inherited, 'lenient'],
      [strict, 'strict'],
    ] as const) {
      const requests = platform.evaluations.filter((e) => e.runId === record.id);
      expect(requests.length).toBeGreaterThan(0);
      expect(new Set(requests.map((e) => e.scoring))).toEqual(new Set([scoring]));
    }
  }, 120_000);
});

describe('reference system prompts and user prompts from the registry', () => {
  let platform: RecordingPlatform;
  beforeAll(async () => {
    platform = await createRecordingPlatform({
      systemPrompts: [
        { label: 'default', prompt: 'Reference default.', source: FAKE_SOURCE },
        { label: 'service', prompt: 'Reference service prompt.', source: FAKE_SOURCE },
      ],
      userPrompts: {},
    });
  }, 60_000);
  afterAll(async () => platform?.close());

  it("uses the reference's fixed prompts where fetched, the built-in text otherwise, and says which", async () => {
    const [task] = platform.split.test;
    const record = await platform.optimizer.waitForMetaTest(
      (
        await platform.optimizerClient.metaTests.start.mutate({
          kind: 'unseen',
          tasks: [task!],
          unseenUserPrompts: 1,
          testSize: 8,
          trainSize: 8,
        })
      ).id,
    );
    expect(record.status).toBe('completed');
    expect(record.systemPrompts).toEqual([
      { label: 'default', prompt: 'Reference default.', origin: 'reference' },
      { label: 'chain-of-thought', prompt: CHAIN_OF_THOUGHT_SYSTEM_PROMPT, origin: 'builtin' },
      { label: 'service', prompt: 'Reference service prompt.', origin: 'reference' },
    ]);
    const systems = new Set(
      platform.evaluations.filter((e) => e.runId === record.id).map((e) => e.systemPrompt),
    );
    expect(systems).toEqual(
      new Set(['Reference default.', CHAIN_OF_THOUGHT_SYSTEM_PROMPT, 'Reference service prompt.']),
    );
  }, 120_000);

  it("takes the first N of the reference's user prompts where the registry has the task's file", async () => {
    const [withFile, without] = platform.split.test as [string, string];
    const reference = Array.from({ length: 12 }, (_, i) => REFERENCE_PROMPT(i));
    const protocolPlatform = await createRecordingPlatform({
      systemPrompts: [],
      userPrompts: { [withFile]: reference },
    });
    try {
      const start = (extra: object) =>
        protocolPlatform.optimizerClient.metaTests.start.mutate({
          kind: 'unseen',
          includeFixed: false,
          systemPrompts: [{ label: 'plain', prompt: 'You are a helpful assistant.' }],
          tasks: [withFile, without],
          unseenUserPrompts: 2,
          testSize: 8,
          trainSize: 8,
          ...extra,
        });
      const byDefault = await protocolPlatform.optimizer.waitForMetaTest((await start({})).id);
      expect(byDefault.status).toBe('completed');
      const [first, second] = byDefault.unseen!.tasks;
      expect(first).toMatchObject({
        taskId: withFile,
        userPromptOrigin: 'reference',
        userPrompts: reference.slice(0, 2),
      });
      expect(second).toMatchObject({ taskId: without, userPromptOrigin: 'generated' });
      expect(second!.userPrompts.some((p) => p.startsWith('Reference prompt'))).toBe(false);

      const generated = await protocolPlatform.optimizer.waitForMetaTest(
        (await start({ userPrompts: 'generated' })).id,
      );
      expect(generated.unseen!.tasks.map((t) => t.userPromptOrigin)).toEqual(['generated', 'generated']);
      await expect(start({ userPrompts: 'reference' })).rejects.toThrow(
        new RegExp(`no reference user prompts for ${without}`),
      );
    } finally {
      await protocolPlatform.close();
    }
  }, 120_000);
});
