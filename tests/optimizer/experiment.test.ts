import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeReportFiles } from '@metaspo/optimizer';
import type { ExperimentPlan, ExperimentRecord, ExperimentReport } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  experimentPlatform,
  paperSimConfig,
  type SimPair,
  startSimPair,
} from './support/experiment-fixture.js';
import type { Platform } from './support/platform.js';

/** Planned requests of each (cell, model): those it sends, those it replays, and whether exact. */
function plannedByCell(plan: ExperimentPlan) {
  const out = new Map<string, { requests: number; issued: number; exact: boolean }>();
  for (const row of plan.rows) {
    const key = `${row.cell}|${row.model}`;
    const entry = out.get(key) ?? { requests: 0, issued: 0, exact: true };
    entry.requests += row.requests;
    entry.issued += row.requests + row.shared;
    entry.exact &&= row.bound === 'exact';
    out.set(key, entry);
  }
  return out;
}

/** The report without what differs between two runs of the same experiment (ids, actual cost). */
function comparable(report: ExperimentReport) {
  return {
    ...report,
    experiment: { ...report.experiment, id: '' },
    // Planned counts leave out what was cached at plan time; actual ones what was replayed.
    cost: report.cost.map((row) => `${row.method}/${row.phase}`),
    figures: report.figures.filter((f) => f.name !== 'cost'),
  };
}

describe('an experiment of configs/paper-sim.yaml against two simulator servers', () => {
  let sims: SimPair;
  let platform: Platform;
  let plan: ExperimentPlan;
  let requestsDuringPlan: number;
  let record: ExperimentRecord;
  let report: ExperimentReport;

  beforeAll(async () => {
    sims = await startSimPair();
    platform = await experimentPlatform(sims);
    plan = await platform.optimizer.experiments.plan(paperSimConfig());
    requestsDuringPlan = sims.base.stats().requests + sims.optimizer.stats().requests;
    const created = await platform.optimizer.experiments.create(paperSimConfig());
    platform.optimizer.experiments.start(created.id);
    record = await platform.optimizer.experiments.wait(created.id);
    report = await platform.optimizer.experiments.report(created.id);
  }, 300_000);

  afterAll(async () => {
    await platform?.close();
    await sims?.close();
  });

  it('plans without sending a request, per model and phase, with unknown prices said so', () => {
    expect(requestsDuringPlan).toBe(0);
    expect(plan.models.map((m) => m.model).sort()).toEqual(['openai-compatible:default', 'openai:default']);
    expect(new Set(plan.rows.map((r) => r.phase))).toEqual(
      new Set(['meta-train', 'meta-train-test', 'unseen', 'adapt']),
    );
    expect(plan.totals.requests).toBeGreaterThan(1000);
    expect(plan.cacheChecked).toBe(true);
    // The simulator's endpoints have no price: the plan says so instead of $0.
    expect(plan.unknownPrices.sort()).toEqual(['openai-compatible:default', 'openai:default']);
    expect(plan.totals.costUsd).toBeNull();
    expect(plan.confirmReasons.some((r) => r.includes('no known price'))).toBe(true);
  });

  it('issues exactly the planned requests in every exact cell, and no more than planned in the others', async () => {
    expect(record.status).toBe('completed');
    const planned = plannedByCell(plan);
    let checkedExact = 0;
    for (const cell of record.cells) {
      const id = cell.runId ?? cell.metaTestId;
      expect(id).not.toBeNull();
      const usage = await platform.llm.usage.query({ runId: id as string });
      for (const byModel of usage.byModel) {
        const expected = planned.get(`${cell.key}|${byModel.model}`);
        expect(expected, `${cell.key} ${byModel.model}`).toBeDefined();
        if (expected?.exact) {
          expect(byModel.calls, `${cell.key} ${byModel.model}`).toBe(expected.issued);
          checkedExact += 1;
        } else {
          expect(byModel.calls).toBeLessThanOrEqual(expected?.issued ?? 0);
        }
      }
    }
    expect(checkedExact).toBeGreaterThanOrEqual(10);
  });

  it('sends each model at most its planned requests, all of them accounted to the experiment', async () => {
    const paid = new Map<string, number>();
    for (const cell of record.cells) {
      const usage = await platform.llm.usage.query({ runId: (cell.runId ?? cell.metaTestId) as string });
      for (const m of usage.byModel) paid.set(m.model, (paid.get(m.model) ?? 0) + m.paidCalls);
    }
    const sent = {
      'openai-compatible:default': sims.base.stats().requests,
      'openai:default': sims.optimizer.stats().requests,
    };
    for (const model of plan.models) {
      const server = sent[model.model as keyof typeof sent];
      expect(server).toBe(paid.get(model.model));
      expect(server).toBeLessThanOrEqual(model.requests);
      // Lower only by generated prompts the simulator repeats (their requests replay from the cache).
      expect(server).toBeGreaterThan(model.requests * 0.8);
    }
    expect(record.progress.requestsDone).toBe(sent['openai-compatible:default'] + sent['openai:default']);
    expect(record.progress.cellsDone).toBe(record.cells.length);
  });

  it('plans again with the requests it can name found in the cache', async () => {
    const again = await platform.optimizer.experiments.plan(paperSimConfig());
    const concrete = again.rows.filter((r) => r.phase === 'unseen' || r.phase === 'meta-train');
    expect(again.totals.cached).toBeGreaterThan(0);
    expect(concrete.reduce((n, r) => n + r.cached, 0)).toBeGreaterThan(0);
    expect(sims.base.stats().requests + sims.optimizer.stats().requests).toBe(record.progress.requestsDone);
  });

  it('ranks SPRIG and MetaSPO above the default prompt on the unseen tasks (simulated)', () => {
    const overall = report.unseen?.find((r) => r.kind === 'overall');
    expect(overall?.cells.metaspo?.estimate).toBeGreaterThan(overall?.cells.default?.estimate ?? 1);
    expect(overall?.cells.sprig?.estimate).toBeGreaterThan(overall?.cells.default?.estimate ?? 1);
    for (const row of report.unseen ?? []) {
      for (const cell of Object.values(row.cells)) {
        expect(cell.low).toBeLessThanOrEqual(cell.estimate);
        expect(cell.high).toBeGreaterThanOrEqual(cell.estimate);
      }
      expect(row.best.length).toBeGreaterThan(0);
      expect(Object.keys(row.versusMetaspo).sort()).toEqual(
        report.methods.filter((m) => m !== 'metaspo').sort(),
      );
    }
  });

  it('writes the report as md, csv, json and svg for two domains x every method', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-report-'));
    const files = await writeReportFiles(report, ['md', 'csv', 'json'], dir);
    const names = files.map((f) => path.basename(f)).sort();
    expect(names).toEqual([
      'adapt.csv',
      'adapt.svg',
      'cost.csv',
      'cost.svg',
      'report.json',
      'report.md',
      'unseen.csv',
      'unseen.svg',
    ]);
    for (const svg of names.filter((n) => n.endsWith('.svg'))) {
      expect(fs.readFileSync(path.join(dir, svg), 'utf8')).toMatch(/^<svg[^>]*>/);
    }
    const md = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
    for (const method of report.methods) expect(md).toContain(method);
    expect(md).toContain('![Unseen generalization](unseen.svg)');
    expect(md).toContain('**tracking average**');
    expect(md).toContain('**arithmetic average**');
    const csv = fs.readFileSync(path.join(dir, 'unseen.csv'), 'utf8').trim().split('\n');
    const taskRows = report.unseen?.length ?? 0;
    expect(csv).toHaveLength(1 + taskRows * report.methods.length);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'))).toEqual(report);
    expect(report.adapt?.meanCurves.metaspo?.length).toBe(3);
  });

  it('stops at its budget, resumes with a higher one, and ends as an uninterrupted run does', async () => {
    // Seed 7 samples other examples: nothing of it is cached yet.
    const config = paperSimConfig({ seeds: [7], budget: { maxCalls: 400 } });
    const sent = () => sims.base.stats().requests + sims.optimizer.stats().requests;
    const before = sent();
    const created = await platform.optimizer.experiments.create(config);
    platform.optimizer.experiments.start(created.id);
    const stopped = await platform.optimizer.experiments.wait(created.id);
    expect(stopped.status).toBe('budget-exceeded');
    // The gateway refuses once the budget is reached; what was in flight may still land.
    expect(sent() - before).toBeLessThanOrEqual(400 + 2 * 32);
    platform.optimizer.experiments.resume(created.id, { maxCalls: 100_000 });
    const resumed = await platform.optimizer.experiments.wait(created.id);
    expect(resumed.status).toBe('completed');
    const paidForSeed7 = sent() - before;
    expect(paidForSeed7).toBeLessThanOrEqual(created.plan.totals.requests + 2 * 32);
    expect(resumed.progress.requestsDone).toBe(paidForSeed7);

    // The same experiment again: every request replays from the cache, the report is the same.
    const again = await platform.optimizer.experiments.create(paperSimConfig({ seeds: [7] }));
    platform.optimizer.experiments.start(again.id);
    expect((await platform.optimizer.experiments.wait(again.id)).status).toBe('completed');
    expect(sent() - before).toBe(paidForSeed7);
    expect(comparable(await platform.optimizer.experiments.report(again.id))).toEqual(
      comparable(await platform.optimizer.experiments.report(created.id)),
    );
  }, 240_000);
});
