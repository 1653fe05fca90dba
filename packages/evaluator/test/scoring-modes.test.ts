import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CompletionRequestInput } from '@metaspo/schemas';
import { openDatabase } from '@metaspo/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../src/db/migrations.js';
import { createEvaluatorService, type EvaluatorService } from '../src/service.js';
import { fakeDatasets, fakeLlm, okOutcome, tagged, toyExamples, YES_NO_TASK } from './port-fakes.js';

const PAIR = {
  systemPrompt: '',
  userPrompt: 'Is it even? {question}',
  taskId: YES_NO_TASK.id,
  model: 'sim:default',
  n: 6,
};

const services: EvaluatorService[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const service of services.splice(0)) service.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const numberOf = (request: CompletionRequestInput) =>
  Number(/Number (\d+)/.exec(request.messages.at(-1)!.content)?.[1]);

/** Right every time, but only even-numbered examples get their answer in a tag. */
function halfTaggedLlm() {
  return fakeLlm((request) => {
    const number = numberOf(request);
    const answer = number % 2 === 0 ? 'yes' : 'no';
    return okOutcome(number % 2 === 0 ? tagged(answer) : `Answer: ${answer}`);
  });
}

describe('scoring modes', () => {
  it('reads the same responses strictly or leniently, from identical requests', async () => {
    const llm = halfTaggedLlm();
    const service = createEvaluatorService({
      databaseFile: ':memory:',
      llm,
      datasets: fakeDatasets(toyExamples(6)),
    });
    services.push(service);

    const strict = await service.evaluate(PAIR);
    const lenient = await service.evaluate({ ...PAIR, scoring: 'lenient' });

    // Strict: the three untagged answers are format failures, counted wrong.
    expect(strict).toMatchObject({ scoring: 'strict', score: 0.5, correct: 3, formatFailures: 3 });
    expect(strict.items[1]).toMatchObject({ prediction: null, valid: false, correct: false });
    expect(strict.items[1]!.error).toBeUndefined();
    expect(lenient).toMatchObject({ scoring: 'lenient', score: 1, correct: 6, formatFailures: 0 });
    expect(llm.batches).toHaveLength(2);
    expect(llm.batches[1]).toEqual(llm.batches[0]);

    expect(service.get(strict.id)).toMatchObject({ scoring: 'strict', formatFailures: 3 });
    expect(service.list().map((e) => [e.scoring, e.formatFailures])).toEqual([
      ['lenient', 0],
      ['strict', 3],
    ]);
  });

  it('is strict when the request does not say', async () => {
    const service = createEvaluatorService({
      databaseFile: ':memory:',
      llm: halfTaggedLlm(),
      datasets: fakeDatasets(toyExamples(4)),
    });
    services.push(service);
    expect((await service.evaluate(PAIR)).scoring).toBe('strict');
    expect(await service.extract({ taskId: YES_NO_TASK.id, response: 'Answer: yes' })).toEqual({
      prediction: null,
      valid: false,
    });
  });

  it('marks evaluations stored before the migration as lenient and counts their format failures', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evaluator-migration-'));
    dirs.push(dir);
    // The migrations as they were before 0001: the first one only.
    const before = path.join(dir, 'drizzle-before');
    fs.mkdirSync(path.join(before, 'meta'), { recursive: true });
    fs.copyFileSync(path.join(migrationsFolder, '0000_init.sql'), path.join(before, '0000_init.sql'));
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8'));
    journal.entries = journal.entries.slice(0, 1);
    fs.writeFileSync(path.join(before, 'meta/_journal.json'), JSON.stringify(journal));

    const file = path.join(dir, 'evaluator.sqlite');
    const old = openDatabase(file, { migrationsFolder: before, schema: {} });
    const { seq } = old.sqlite
      .prepare<[], { seq: number }>(
        `INSERT INTO evaluations (id, task_id, split, model, metric, score, correct, n, prompt_tokens,
           completion_tokens, calls, cached_calls, system_prompt, user_prompt, system_placement, seed,
           temperature, sample_index, run_id, created_at)
         VALUES ('ev_old', 'toy_yes_no', 'test', 'sim:default', 'accuracy', 0.3333, 1, 3, 0, 0, 3, 0,
           '', 'Q {question}', 'system', 42, 0, 0, NULL, '2026-01-01T00:00:00.000Z')
         RETURNING seq`,
      )
      .get()!;
    const item = old.sqlite.prepare(
      `INSERT INTO evaluation_items (evaluation_seq, position, example_id, question, gold, response,
         prediction, valid, correct, error) VALUES (?, ?, ?, 'q', 'yes', ?, ?, ?, ?, ?)`,
    );
    item.run(seq, 0, 'ex-0', '<answer>yes</answer>', 'yes', 1, 1, null);
    item.run(seq, 1, 'ex-1', 'no idea', null, 0, 0, null);
    item.run(seq, 2, 'ex-2', '', null, 0, 0, 'server: upstream 500');
    old.close();

    const service = createEvaluatorService({
      databaseFile: file,
      llm: halfTaggedLlm(),
      datasets: fakeDatasets(toyExamples(4)),
    });
    services.push(service);
    // One unreadable answer; the failed call is not a format failure.
    expect(service.get('ev_old')).toMatchObject({ scoring: 'lenient', formatFailures: 1 });
    const fresh = await service.evaluate(PAIR);
    expect(service.get(fresh.id)).toMatchObject({ scoring: 'strict', formatFailures: 2 });
  });
});
