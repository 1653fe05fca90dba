import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallConfig, TRAIN_TASKS } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';

/** The tRPC error's field issues, as the CLI and the admin app read them. */
async function refusal(promise: Promise<unknown>): Promise<{ message: string; code: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    const data = (error as { data?: { domainCode?: string } }).data;
    return { message: (error as Error).message, code: data?.domainCode };
  }
  throw new Error('expected a refusal');
}

describe('preflight: runs.validateConfig resolves what a run needs, runs.create and runs.start refuse the same', () => {
  let platform: Platform;

  beforeAll(async () => {
    // No provider keys: openai models must be reported as not configured.
    platform = await createPlatform({ env: {} });
  });
  afterAll(() => platform.close());

  it('names a mistyped simulator model and an unknown task at their fields and lines', async () => {
    const result = await platform.optimizerClient.runs.validateConfig.query({
      yaml: 'metaTrainTasks: [proc_navigation, proc_nope]\nbaseModel: sim:defualt\ntrainSize: 5\n',
    });
    expect(result.ok).toBe(false);
    const base = result.issues.find((i) => i.path === 'baseModel');
    expect(base).toMatchObject({ segments: ['baseModel'], line: 2 });
    expect(base?.message).toMatch(/sim:defualt.*unknown simulator model.*sim:default/);
    const task = result.issues.find((i) => i.path === 'metaTrainTasks.1');
    expect(task).toMatchObject({ segments: ['metaTrainTasks', 1], line: 1 });
    expect(task?.message).toContain('proc_nope');
    // Sorted by line.
    expect(result.issues.map((i) => i.line)).toEqual([1, 2]);
  });

  it('names a domain typo with the known domains, and a domain not imported with its fetch command', async () => {
    const typo = await platform.optimizer.preflightRun({ config: { metaTrainTasks: 'procedurl' } });
    expect(typo.ok).toBe(false);
    expect(typo.issues[0]).toMatchObject({ path: 'metaTrainTasks' });
    expect(typo.issues[0]?.message).toMatch(/procedurl.*known: .*procedural/);

    const review = await platform.optimizer.preflightRun({
      config: { metaTrainTasks: 'review', trainSize: 5 },
    });
    expect(review.ok).toBe(false);
    expect(review.issues.length).toBeGreaterThan(0);
    for (const issue of review.issues) {
      expect(issue.path).toBe('metaTrainTasks');
      expect(issue.hint ?? issue.message).toMatch(/metaspo datasets fetch/);
    }
  });

  it('names the variable to set for a provider with no key, never a value', async () => {
    const result = await platform.optimizer.preflightRun({
      config: {
        metaTrainTasks: TRAIN_TASKS,
        optimizerModel: 'openai:gpt-4o-mini',
        trainSize: 5,
        testSize: 5,
      },
    });
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([
      expect.objectContaining({
        path: 'optimizerModel',
        hint: 'set the environment variable OPENAI_API_KEY',
      }),
    ]);
    const check = await platform.llm.checkModels.query({ refs: ['openai:gpt-4o-mini', 'sim:weak'] });
    expect(check.models).toEqual([
      expect.objectContaining({
        ref: 'openai:gpt-4o-mini',
        usable: false,
        envVar: 'OPENAI_API_KEY',
        priced: true,
      }),
      expect.objectContaining({ ref: 'sim:weak', usable: true, provider: 'sim', priced: true }),
    ]);
  });

  it('refuses a trainSize above a task train count and only names a testSize above its test count', async () => {
    const result = await platform.optimizer.preflightRun({
      yaml: `metaTrainTasks: [${TRAIN_TASKS[0]}]\ntrainSize: 100000\ntestSize: 100000\n`,
    });
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([expect.objectContaining({ path: 'trainSize', line: 2 })]);
    expect(result.issues[0]?.message).toMatch(/trainSize 100000 exceeds the \d+ train examples/);
    expect(result.warnings).toEqual([expect.objectContaining({ path: 'testSize', line: 3 })]);

    const fits = await platform.optimizer.preflightRun({
      yaml: `metaTrainTasks: [${TRAIN_TASKS[0]}]\ntrainSize: 5\ntestSize: 100000\n`,
    });
    expect(fits.ok).toBe(true);
    expect(fits.warnings).toHaveLength(1);
    // runs.create passes the same preflight and returns its warnings with the run.
    const created = await platform.optimizerClient.runs.create.mutate({
      config: `metaTrainTasks: [${TRAIN_TASKS[0]}]\ntrainSize: 5\ntestSize: 100000\n`,
    });
    expect(created.status).toBe('created');
    expect(created.warnings).toEqual(fits.warnings);
  });

  it('says valid for a config that starts, and keeps syntax errors on their line', async () => {
    const valid = await platform.optimizerClient.runs.validateConfig.query({
      yaml: 'metaTrainTasks: procedural\n',
    });
    expect(valid).toMatchObject({ ok: true, issues: [] });
    const broken = await platform.optimizerClient.runs.validateConfig.query({
      yaml: 'metaTrainTasks: [a\niterations: 2\n',
    });
    expect(broken.ok).toBe(false);
    expect(broken.issues[0]?.line).toBeGreaterThan(0);
  });

  it('refuses sim:defualt at runs.create before any run row exists', async () => {
    const before = await platform.optimizerClient.runs.list.query({});
    const refused = await refusal(
      platform.optimizerClient.runs.create.mutate({ config: smallConfig({ baseModel: 'sim:defualt' }) }),
    );
    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.message).toMatch(/baseModel: sim:defualt cannot be used/);
    const after = await platform.optimizerClient.runs.list.query({});
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
  });

  it('refuses to start a created run whose config cannot start, leaving it created', async () => {
    // Created without the check (the service's own createRun), as an older server would have.
    const run = platform.optimizer.createRun({ config: smallConfig({ baseModel: 'sim:defualt' }) });
    const refused = await refusal(platform.optimizerClient.runs.start.mutate({ id: run.id }));
    expect(refused.message).toMatch(/baseModel/);
    expect((await platform.optimizerClient.runs.get.query({ id: run.id })).status).toBe('created');
  });

  it('checks a meta-test before it starts: its tasks and models', async () => {
    const result = await platform.optimizerClient.metaTests.validate.query({
      kind: 'unseen',
      tasks: ['proc_nope'],
      baseModel: 'sim:defualt',
      userPrompts: 'reference',
    });
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.path).sort()).toEqual(['baseModel', 'tasks.0']);
    const refused = await refusal(
      platform.optimizerClient.metaTests.start.mutate({ kind: 'unseen', tasks: ['proc_nope'] }),
    );
    expect(refused.code).toBe('INVALID_INPUT');
    expect(await platform.optimizerClient.metaTests.list.query({})).toEqual([]);
  });

  it('warns at the field when racing cannot race, and when races would wait on batches', async () => {
    const sprig = await platform.optimizerClient.runs.validateConfig.query({
      yaml: `metaTrainTasks: [${TRAIN_TASKS.join(', ')}]\nmethod: protegi\ntrainSize: 10\nselection: racing\n`,
    });
    expect(sprig.ok).toBe(true);
    expect(sprig.warnings).toEqual([
      expect.objectContaining({
        path: 'selection',
        line: 4,
        message: expect.stringMatching(/method protegi has none/),
      }),
    ]);
    const batch = await platform.optimizerClient.runs.validateConfig.query({
      yaml: `metaTrainTasks: [${TRAIN_TASKS.join(', ')}]\ntrainSize: 20\nuserSelection: racing\nexecution: batch\n`,
    });
    expect(batch.ok).toBe(true);
    // trainSize 20: rounds on 5, 10, then 20.
    expect(batch.warnings).toEqual([
      expect.objectContaining({
        path: 'execution',
        line: 4,
        message: expect.stringMatching(/3 batch turnarounds per raced loop/),
      }),
    ]);
    const plain = await platform.optimizerClient.runs.validateConfig.query({
      yaml: `metaTrainTasks: [${TRAIN_TASKS.join(', ')}]\ntrainSize: 20\nselection: racing\n`,
    });
    expect(plain.warnings).toEqual([]);
  });
});
