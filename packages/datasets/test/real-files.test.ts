import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FetchReport } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_TASKS, UNAVAILABLE_TASKS } from '../src/index.js';
import { type ManifestEntry, SHARED_DATASETS, tempService } from './helpers.js';

const manifest: ManifestEntry[] = JSON.parse(
  readFileSync(path.join(SHARED_DATASETS, 'MANIFEST.json'), 'utf8'),
);
/** Side files whose lines are labels or a label mapping, not extra examples. */
const SIDE_FILE = /_labels\.txt$|mapping\.txt$/;

function expectedRecords(taskId: string): number {
  return manifest
    .filter((e) => e.task === taskId && !SIDE_FILE.test(e.local_path))
    .reduce((sum, e) => sum + e.records, 0);
}

describe('fetch --all --from ../shared/datasets (real files)', () => {
  const ctx = tempService();
  let first: FetchReport;

  beforeAll(async () => {
    first = await ctx.service.fetch({ all: true, from: SHARED_DATASETS });
  }, 120_000);
  afterAll(() => ctx.cleanup());

  it('pins exactly the files of the manifest, with their sha256', () => {
    const pinned = CATALOG_TASKS.flatMap((t) => t.files.map((f) => ({ task: t.spec.id, ...f })));
    expect(pinned).toHaveLength(manifest.length);
    for (const entry of manifest) {
      const file = pinned.find((f) => f.localPath === entry.local_path);
      expect(file, entry.local_path).toMatchObject({
        task: entry.task,
        repository: entry.source_repo,
        commit: entry.commit,
        path: entry.original_path,
        sha256: entry.sha256,
        records: entry.records,
      });
    }
  });

  it('imports every available task and lists the unavailable ones', () => {
    const imported = first.tasks.filter((t) => t.status === 'imported').map((t) => t.taskId);
    for (const task of CATALOG_TASKS) expect(imported).toContain(task.spec.id);
    expect(first.unavailable.map((u) => u.taskId).sort()).toEqual(UNAVAILABLE_TASKS.map((t) => t.id).sort());
    expect(UNAVAILABLE_TASKS.map((t) => t.id).sort()).toEqual([
      'drop',
      'logic_grid_puzzle',
      'squad',
      'trivia_qa',
    ]);
  });

  it('reads as many records as the manifest counts, and accounts for every filtered one', () => {
    for (const task of CATALOG_TASKS) {
      const report = first.tasks.find((t) => t.taskId === task.spec.id)!;
      const skipped = report.skipped.reduce((sum, s) => sum + s.count, 0);
      expect(report.recordsRead, task.spec.id).toBe(expectedRecords(task.spec.id));
      expect(report.expectedRecords, task.spec.id).toBe(expectedRecords(task.spec.id));
      expect(report.counts.train + report.counts.test + skipped, task.spec.id).toBe(report.recordsRead);
      expect(report.counts.train, task.spec.id).toBeGreaterThan(0);
      expect(report.counts.test, task.spec.id).toBeGreaterThan(0);
    }
    const sarcasm = first.tasks.find((t) => t.taskId === 'sarcasm')!;
    expect(sarcasm.skipped).toEqual([expect.objectContaining({ reason: 'empty question text', count: 1 })]);
  });

  it('keeps the source splits where a source has them', () => {
    const counts = Object.fromEntries(first.tasks.map((t) => [t.taskId, t.counts]));
    expect(counts.baby).toEqual({ train: 2000, test: 2000 });
    expect(counts.liar).toEqual({ train: 3681, test: 461 });
    expect(counts.tweet_eval).toEqual({ train: 11916 + 1324, test: 860 });
    expect(counts.web_qa).toEqual({ train: 2834 + 755 + 189, test: 2032 });
    expect(counts.sarcasm).toEqual({ train: 3467, test: 1400 });
  });

  it('puts every gold answer in its task label space', () => {
    const entries = ctx.service.answerKey(CATALOG_TASKS.map((t) => t.spec.id));
    const catalogIds = new Set(CATALOG_TASKS.map((t) => t.spec.id));
    const catalogReports = first.tasks.filter((t) => catalogIds.has(t.taskId));
    expect(entries.length).toBe(catalogReports.reduce((sum, t) => sum + t.counts.train + t.counts.test, 0));
    const violations: string[] = [];
    const check = (ok: boolean, entry: (typeof entries)[number], what: string) => {
      if (!ok) violations.push(`${entry.taskId}: ${what}: ${JSON.stringify(entry.answer)}`);
    };
    for (const entry of entries) {
      if (entry.labelSpace) check(entry.labelSpace.includes(entry.answer), entry, 'outside the label space');
      if (entry.answerType.kind === 'integer') check(/^\d+$/.test(entry.answer), entry, 'not digits');
      if (entry.answerType.kind === 'free-text')
        check(entry.acceptedAnswers?.includes(entry.answer) === true, entry, 'not accepted');
      if (entry.answerType.kind === 'option') {
        const options = entry.options ?? [];
        const optionText = options[entry.answer.charCodeAt(0) - 65];
        check(options.length <= entry.answerType.optionCount, entry, 'too many options');
        check(
          entry.question.includes(`(${entry.answer}) ${optionText}`),
          entry,
          'option not lettered in the question',
        );
      }
    }
    expect(violations).toEqual([]);
  });

  it('maps the documented labels: ETHOS >= 0.5, HateCheck, epistemic entailment, iSarcasmEval test', () => {
    const yesCount = (taskId: string) =>
      ctx.service.answerKey([taskId]).filter((entry) => entry.answer === 'yes').length;
    expect(yesCount('ethos')).toBe(433);
    expect(yesCount('hatecheck')).toBe(2563);
    expect(yesCount('epistemic')).toBe(741);
    const sarcasmTest = ctx.service.sample({ taskId: 'sarcasm', split: 'test', n: 10_000, seed: 0 });
    expect(sarcasmTest.filter((e) => e.answer === 'yes')).toHaveLength(200);
  });

  it('a second fetch adds nothing', async () => {
    const before = ctx.service.counts();
    const second = await ctx.service.fetch({ all: true, from: SHARED_DATASETS });
    expect(second.tasks.every((t) => t.status === 'unchanged')).toBe(true);
    expect(ctx.service.counts()).toEqual(before);
  });
});
