import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DatasetsClient, FetchReport } from '@metaspo/schemas';
import { createServiceClient } from '@metaspo/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CATALOG_TASKS,
  createDatasetsRouter,
  type DatasetsRouter,
  PAPER_DOMAIN_SPLITS,
  PROTOCOL_ASSETS,
  UNAVAILABLE_TASKS,
} from '../src/index.js';
import { type ManifestEntry, SHARED_DATASETS, tempService } from './helpers.js';

const manifest: ManifestEntry[] = JSON.parse(
  readFileSync(path.join(SHARED_DATASETS, 'MANIFEST.json'), 'utf8'),
);
/** Side files whose lines are labels or a label mapping, not extra examples. */
const SIDE_FILE = /_labels\.txt$|mapping\.txt$/;
/** Protocol files (prompts, corpus) have no domain in the manifest; benchmark files have one. */
const benchmarkEntries = manifest.filter((e) => e.domain !== null);

function expectedRecords(taskId: string): number {
  return benchmarkEntries
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
    const pinned = [
      ...CATALOG_TASKS.flatMap((t) => t.files.map((f) => ({ task: t.spec.id, ...f }))),
      ...PROTOCOL_ASSETS.map((a) => ({ task: a.kind === 'user-prompts' ? a.taskId : null, ...a.file })),
    ];
    expect(pinned).toHaveLength(manifest.length);
    expect(new Set(pinned.map((f) => f.localPath)).size).toBe(manifest.length);
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
    expect(UNAVAILABLE_TASKS.map((t) => t.id)).toEqual(['drop']);
    expect(first.unavailable[0]!.reason).toMatch(/Git LFS pointer/);
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
    expect(counts.trivia_qa).toEqual({ train: 8837, test: 11313 });
  });

  it('imports the new tasks as the reference reads them', () => {
    const squad = ctx.service.answerKey(['squad']);
    expect(squad).toHaveLength(10570);
    for (const entry of squad) {
      expect(entry.question).toMatch(/^Context: [\s\S]+\n\nQuestion: /);
      // Every accepted answer is a span of the context shown in the question.
      for (const answer of entry.acceptedAnswers!) expect(entry.question).toContain(answer);
    }
    const trivia = ctx.service.answerKey(['trivia_qa']);
    const gorbachev = trivia.find((e) => e.question.includes('a man we can do business with'))!;
    expect(gorbachev.acceptedAnswers).toContain('Mikhail Gorbachev');
    expect(gorbachev.acceptedAnswers).toContain('Михаил Горбачёв');
    expect(Math.max(...trivia.map((e) => e.acceptedAnswers!.length))).toBe(372);
    const puzzles = ctx.service.answerKey(['logic_grid_puzzle']);
    expect(puzzles).toHaveLength(200);
    for (const entry of puzzles) expect(entry.question).toContain(`choice: ${entry.answer}`);
  });

  it('grounding tasks are bare-answer tasks; all others ask for an <answer> tag', () => {
    for (const { spec } of CATALOG_TASKS) {
      expect(spec.initialUserPrompt.split('<Question>{question}</Question>'), spec.id).toHaveLength(2);
      if (spec.domain === 'grounding') {
        expect(spec.answerFormat, spec.id).toBe('bare');
        expect(spec.initialUserPrompt, spec.id).not.toContain('<answer>');
      } else {
        expect(spec.answerFormat, spec.id).toBe('tagged');
        expect(spec.initialUserPrompt, spec.id).toContain('<answer></answer>');
      }
    }
    const grounding = PAPER_DOMAIN_SPLITS.find((s) => s.domain === 'grounding')!;
    expect(grounding.train).toEqual(['squad', 'hotpot_qa', 'trivia_qa']);
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
    const labelCount = (taskId: string, label: string) =>
      ctx.service.answerKey([taskId]).filter((entry) => entry.answer === label).length;
    expect(labelCount('epistemic', 'entailment')).toBe(741);
    expect(labelCount('epistemic', 'non-entailment')).toBe(1259);
    // The BBH letters become option texts: 22 answers are "zero", 14 "yes" (counted on the file).
    expect(labelCount('reasoning_colored_objects', 'zero')).toBe(22);
    expect(labelCount('reasoning_colored_objects', 'yes')).toBe(14);
    for (const entry of ctx.service.answerKey(['reasoning_colored_objects'])) {
      expect(entry.options).toContain(entry.answer);
    }
    const sarcasmTest = ctx.service.sample({ taskId: 'sarcasm', split: 'test', n: 10_000, seed: 0 });
    expect(sarcasmTest.filter((e) => e.answer === 'yes')).toHaveLength(200);
  });

  it('serves the protocol files through the router', async () => {
    expect(first.assets).toHaveLength(PROTOCOL_ASSETS.length);
    expect(first.assets.every((a) => a.status === 'imported')).toBe(true);
    const client: DatasetsClient = createServiceClient<DatasetsRouter>({
      router: createDatasetsRouter(ctx.service),
    });
    const { protocol } = client;
    const systemPrompts = await protocol.systemPrompts.query();
    expect(systemPrompts.map((p) => p.label)).toEqual(['default', 'chain-of-thought', 'service']);
    expect(systemPrompts[0]!.prompt).toBe('You are a helpful assistant.');
    expect(systemPrompts[1]!.prompt).toBe("Let's think step by step.");
    expect(systemPrompts[1]!.source.path).toBe('prompts/cot.json');
    const withPrompts = PROTOCOL_ASSETS.flatMap((a) => (a.kind === 'user-prompts' ? [a.taskId] : []));
    expect(withPrompts).toHaveLength(14);
    for (const taskId of withPrompts) {
      const up = await protocol.unseenUserPrompts.query({ taskId });
      expect(up?.prompts, taskId).toHaveLength(30);
      for (const prompt of up!.prompts) expect(prompt).toContain('<Question>{question}</Question>');
    }
    expect((await protocol.unseenUserPrompts.query({ taskId: 'antropic_harmless' }))!.source.path).toBe(
      'prompts/unseen_generalization_user_prompts/up_for_unseen_gen_harmless.json',
    );
    expect(await protocol.unseenUserPrompts.query({ taskId: 'liar' })).toBeNull();
    const corpus = (await protocol.componentCorpus.query())!;
    expect(corpus.components).toHaveLength(306);
    const byCategory = new Map<string, number>();
    for (const c of corpus.components) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + 1);
    expect(byCategory.size).toBe(10);
    expect(byCategory.get('good_property')).toBe(146);
    expect(byCategory.get('cross-language')).toBe(5);
  });

  it('a second fetch adds nothing', async () => {
    const before = ctx.service.counts();
    const second = await ctx.service.fetch({ all: true, from: SHARED_DATASETS });
    expect(second.tasks.every((t) => t.status === 'unchanged')).toBe(true);
    expect(second.assets.every((a) => a.status === 'unchanged')).toBe(true);
    expect(second.assets.map((a) => a.records)).toEqual(first.assets.map((a) => a.records));
    expect(ctx.service.counts()).toEqual(before);
  });
});
