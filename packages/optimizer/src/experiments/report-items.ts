import type { EvaluationSummary, MetaTestRecord } from '@metaspo/schemas';
import { DomainError } from '@metaspo/service-kit';
import type { ExperimentClients } from './ports.js';

const PAGE = 500;

/** Every evaluation the evaluator stored for a run or meta-test id. */
async function evaluationsOf(clients: ExperimentClients, runId: string): Promise<EvaluationSummary[]> {
  const list = clients.evaluator.list;
  if (!list)
    throw new DomainError('UPSTREAM', 'the evaluator client cannot list evaluations (evaluator.list)');
  const all: EvaluationSummary[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await list.query({ runId, limit: PAGE, offset });
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

/**
 * Per task and system-prompt label of an unseen meta-test, its per-item correctness: one row per
 * user prompt (the meta-test's order), one column per test example (sorted by example id, the
 * same columns for every label). Read from the evaluator's stored items.
 */
export async function unseenMatrices(
  clients: ExperimentClients,
  metaTest: MetaTestRecord,
): Promise<Map<string, Map<string, number[][]>>> {
  const get = clients.evaluator.get;
  if (!get) throw new DomainError('UPSTREAM', 'the evaluator client cannot read evaluations (evaluator.get)');
  const summaries = (await evaluationsOf(clients, metaTest.id)).filter((e) => e.split === 'test');
  const find = (taskId: string, systemPrompt: string, userPrompt: string) =>
    summaries.find(
      (e) => e.taskId === taskId && e.systemPrompt === systemPrompt && e.userPrompt === userPrompt,
    );
  const items = new Map<string, Promise<Map<string, number>>>();
  const itemsOf = (id: string) => {
    let found = items.get(id);
    if (!found) {
      found = get
        .query({ id })
        .then((e) => new Map(e.items.map((item) => [item.exampleId, item.correct ? 1 : 0] as const)));
      items.set(id, found);
    }
    return found;
  };
  const out = new Map<string, Map<string, number[][]>>();
  for (const task of metaTest.unseen?.tasks ?? []) {
    const perLabel = new Map<string, number[][]>();
    let columns: string[] | null = null;
    for (const { label, prompt } of metaTest.systemPrompts) {
      const rows: number[][] = [];
      for (const userPrompt of task.userPrompts) {
        const evaluation = find(task.taskId, prompt, userPrompt);
        if (!evaluation) {
          throw new DomainError(
            'CONFLICT',
            `${metaTest.id}: no stored evaluation of ${label} on ${task.taskId}`,
          );
        }
        const correct = await itemsOf(evaluation.id);
        columns ??= [...correct.keys()].sort();
        rows.push(columns.map((exampleId) => correct.get(exampleId) ?? 0));
      }
      perLabel.set(label, rows);
    }
    out.set(task.taskId, perLabel);
  }
  return out;
}
