import fs from 'node:fs';
import path from 'node:path';
import { parseExperimentConfig, reportMarkdown, validateExperimentConfig } from '@metaspo/optimizer';
import type { ExperimentEvent } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAPER_SIM } from './support/experiment-fixture.js';
import { createPlatform, type Platform } from './support/platform.js';

const CONFIGS = path.dirname(PAPER_SIM);

describe('experiment config', () => {
  it('accepts configs/paper.yaml and configs/paper-sim.yaml', () => {
    const paper = parseExperimentConfig(fs.readFileSync(path.join(CONFIGS, 'paper.yaml'), 'utf8'));
    expect(paper.domains).toEqual(['medical', 'review', 'reasoning', 'safety', 'grounding']);
    expect(paper.methods).toHaveLength(7);
    expect(paper.baseModel).toBe('openai-compatible@vllm:meta-llama/Llama-3.2-3B-Instruct');
    expect(paper.optimizerModel).toBe('openai:gpt-4o-mini');
    const sim = parseExperimentConfig(fs.readFileSync(PAPER_SIM, 'utf8'));
    expect(sim.domains).toHaveLength(2);
    expect(sim.baseModel).toBe('sim:default');
  });

  it('names the field and the line of each problem', () => {
    const yaml = [
      'name: x',
      'domains: [procedural]',
      'methods: [default, metaspo, magic]',
      'baseModel: sim:default',
      'optimizerModel: sim:default',
      'run:',
      '  trainSize: -3',
      '  seed: 1',
    ].join('\n');
    const first = validateExperimentConfig(yaml);
    expect(first.ok).toBe(false);
    expect(first.issues).toEqual([expect.objectContaining({ path: 'methods.2', line: 3 })]);
    const second = validateExperimentConfig(yaml.replace(', magic', ''));
    expect(second.issues).toEqual([
      expect.objectContaining({
        path: 'run.seed',
        line: 8,
        message: expect.stringContaining('set by the experiment'),
      }),
    ]);
    // Run options are checked as a run checks them, once the experiment's own fields are valid.
    const third = validateExperimentConfig(yaml.replace(', magic', '').replace('\n  seed: 1', ''));
    expect(third.issues).toEqual([expect.objectContaining({ path: 'run.trainSize', line: 7 })]);
    expect(() => parseExperimentConfig('name: x\ndomains: [\n')).toThrow(/invalid YAML/);
  });

  it('refuses a domain or a seed listed twice', () => {
    const result = validateExperimentConfig({
      name: 'x',
      domains: ['procedural', 'procedural'],
      methods: ['default'],
      baseModel: 'sim:default',
      optimizerModel: 'sim:default',
      seeds: [1, 1],
    });
    expect(result.issues.map((i) => i.path).sort()).toEqual(['domains', 'seeds']);
  });
});

describe('an experiment on sim: models', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await createPlatform();
  });
  afterAll(() => platform?.close());

  const small = (name: string, seeds = [42]) => ({
    name,
    domains: [
      { name: 'small', metaTrainTasks: ['proc_navigation'], metaTestTasks: ['proc_object_counting'] },
    ],
    methods: ['default', 'metaspo'],
    baseModel: 'sim:default',
    optimizerModel: 'sim:default',
    seeds,
    protocols: ['unseen'],
    run: {
      iterations: 1,
      numSystemCandidates: 1,
      numUserCandidates: 1,
      userTopK: 1,
      trainSize: 4,
      testSize: 6,
      unseenUserPrompts: 2,
    },
  });

  it('streams progress and cell events, is cancelled between cells and resumed to its end', async () => {
    const created = await platform.optimizer.experiments.create(small('events', [1, 2]));
    const events: ExperimentEvent[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      const subscription = platform.optimizerClient.experiments.events.subscribe(
        { id: created.id },
        {
          onData(event) {
            events.push(event);
            if (
              event.type === 'cell' &&
              event.cell.status === 'completed' &&
              event.cell.key === 'small/s1/unseen'
            ) {
              void platform.optimizer.experiments.cancel(created.id);
            }
            if (event.type === 'status' && event.status !== 'running') {
              subscription.unsubscribe();
              resolve();
            }
          },
          onError: reject,
        },
      );
    });
    platform.optimizer.experiments.start(created.id);
    await finished;
    const stopped = platform.optimizer.experiments.get(created.id);
    expect(stopped.status).toBe('cancelled');
    const statuses = stopped.cells.map((c) => c.status);
    expect(statuses.slice(0, 2)).toEqual(['completed', 'completed']);
    // The cancel lands between cells or in the next one's run, which stays resumable.
    expect(statuses.slice(2).every((st) => st === 'pending' || st === 'cancelled')).toBe(true);
    const done = events.flatMap((e) => (e.type === 'progress' ? [e.progress.requestsDone] : []));
    expect(done.length).toBeGreaterThan(1);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    platform.optimizer.experiments.resume(created.id);
    const resumed = await platform.optimizer.experiments.wait(created.id);
    expect(resumed.status).toBe('completed');
    expect(resumed.cells[0]?.runId).toBe(stopped.cells[0]?.runId);
    expect(resumed.progress.requestsDone).toBeLessThanOrEqual(created.plan.totals.requests);
  }, 120_000);

  it('labels every number of its report simulated', async () => {
    const created = await platform.optimizer.experiments.create(small('labels'));
    expect(created.plan.simulated).toBe(true);
    expect(created.plan.unknownPrices).toEqual([]);
    expect(created.plan.totals.costUsd).toBe(0);
    platform.optimizer.experiments.start(created.id);
    const ended = await platform.optimizer.experiments.wait(created.id);
    expect(ended.error).toBeNull();
    expect(ended.status).toBe('completed');
    const report = await platform.optimizer.experiments.report(created.id);
    expect(report.experiment.simulated).toBe(true);
    expect(report.figures.every((f) => f.title.endsWith('(simulated)'))).toBe(true);
    const md = reportMarkdown(report);
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings.length).toBeGreaterThanOrEqual(4);
    for (const heading of headings) expect(heading).toContain('(simulated)');
    expect(md).toContain('comes from the simulator');
    // A run config's plan (train --plan) is the same planner on one cell.
    const single = await platform.optimizer.experiments.planRun({
      metaTrainTasks: ['proc_navigation'],
      iterations: 1,
      numSystemCandidates: 1,
      numUserCandidates: 1,
      userTopK: 1,
      trainSize: 4,
      testSize: 6,
    });
    const metaspoRows = created.plan.rows.filter((r) => r.method === 'metaspo');
    expect(single.totals.requests).toBe(metaspoRows.reduce((n, r) => n + r.requests + r.shared, 0));
  }, 120_000);
});
