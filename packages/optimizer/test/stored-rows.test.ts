import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IterationSnapshotSchema, RunConfigSchema, type RunRecord } from '@metaspo/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_META_PROMPTS } from '../src/meta-prompts.js';
import { MetaTestStore } from '../src/meta-test/meta-test-store.js';
import { type OptimizerDatabase, openOptimizerDatabase } from '../src/store/database.js';
import { RunStore } from '../src/store/run-store.js';

const CREATED_AT = '2026-01-01T00:00:00.000Z';

const opened: OptimizerDatabase[] = [];
/** A fresh optimizer file, migrated as the service opens it. */
function open(): OptimizerDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-stored-rows-'));
  const database = openOptimizerDatabase(path.join(dir, 'optimizer.sqlite'));
  opened.push(database);
  return database;
}
function closeOpened(): void {
  for (const database of opened.splice(0)) database.close();
}

/** Rows as an older version wrote them: raw SQL, columns it had, JSON without later fields. */
describe('rows written before a field existed read back complete', () => {
  afterEach(closeOpened);

  it('a run without selection or a meta-prompt set gets their defaults and the built-in set', () => {
    const database = open();
    const oldConfig = { metaTrainTasks: ['medqa'], iterations: 2 };
    database.sqlite
      .prepare(
        `insert into runs (id, name, status, config, simulated, created_at)
         values ('r_old', null, 'paused', ?, 1, ?)`,
      )
      .run(JSON.stringify(oldConfig), CREATED_AT);
    const run = new RunStore(database).getRun('r_old');
    expect(run.status).toBe('paused');
    expect(run.config.iterations).toBe(2);
    expect(run.config.selection).toBe('full');
    expect(run.config.scoring).toBe('strict');
    expect(run.metaPrompts).toEqual({
      name: BUILTIN_META_PROMPTS.name,
      version: BUILTIN_META_PROMPTS.version,
      hash: BUILTIN_META_PROMPTS.hash,
      source: BUILTIN_META_PROMPTS.source,
    });
    expect(run.progress).toBeNull();
    expect(run.result).toBeNull();
  });

  it('a meta-test whose prompts have no origin derives it from the label', () => {
    const database = open();
    const prompts = [
      { label: 'default', prompt: 'You are a helpful assistant.' },
      { label: 'optimized', prompt: 'Think, then answer.' },
      { label: 'mine', prompt: 'Be brief.' },
    ];
    const unseen = { labels: ['default'], tasks: [], domainAverages: [], overall: { default: 0.5 } };
    database.sqlite
      .prepare(
        `insert into meta_tests (id, kind, status, run_id, input, system_prompts, task_ids, created_at, result)
         values ('mt_old', 'unseen', 'completed', null, ?, ?, '["medqa"]', ?, ?)`,
      )
      .run(JSON.stringify({ kind: 'unseen' }), JSON.stringify(prompts), CREATED_AT, JSON.stringify(unseen));
    const record = new MetaTestStore(database).get('mt_old');
    expect(record.systemPrompts.map((p) => p.origin)).toEqual(['builtin', 'optimized', 'input']);
    expect(record.scoring).toBe('strict');
    expect(record.unseen).toEqual(unseen);
    expect(record.adapt).toBeNull();
  });
});

describe('typed columns round-trip what the stores write', () => {
  afterEach(closeOpened);

  it('a run with progress and result, its snapshots parsed and a malformed one refused', () => {
    const database = open();
    const store = new RunStore(database);
    const run: RunRecord = {
      id: 'r_new',
      name: 'typed',
      status: 'created',
      config: RunConfigSchema.parse({ metaTrainTasks: ['medqa'] }),
      metaPrompts: { name: 'builtin', version: '1', hash: 'abc', source: 'builtin' },
      simulated: true,
      createdAt: CREATED_AT,
      startedAt: null,
      finishedAt: null,
      error: null,
      progress: null,
      result: null,
    };
    store.insertRun(run);
    const progress = {
      phase: 'outer',
      iteration: 1,
      taskId: null,
      requestsDone: 3,
      requestsTotal: 9,
      costUsd: null,
    };
    const result = {
      optimizedSystemPrompt: 'Answer carefully.',
      scores: { initial: 0.25, final: 0.5, test: null },
      calls: { baseTrain: 4, baseTest: 0, optimizer: 2, optimizerRetries: 0, cached: 1 },
      costUsd: 0.01,
    };
    store.updateRun(run.id, { status: 'completed', progress, result });
    expect(store.getRun(run.id)).toEqual({ ...run, status: 'completed', progress, result });

    const snapshot = {
      iteration: 0,
      stage: 'initial',
      systemPrompt: 'You are a helpful assistant.',
      accepted: null,
      meanScore: 0.25,
      tasks: [{ taskId: 'medqa', bestScore: 0.25, meanScore: 0.25, nodeIds: ['n1'] }],
    };
    store.putStepOnce(run.id, 'snapshot:0000', snapshot);
    expect(store.listSteps(run.id, 'snapshot:', IterationSnapshotSchema)).toEqual([
      { key: 'snapshot:0000', value: snapshot },
    ]);
    store.putStepOnce(run.id, 'snapshot:0001', { iteration: 'one' });
    expect(() => store.listSteps(run.id, 'snapshot:', IterationSnapshotSchema)).toThrow(/iteration/);
  });
});
