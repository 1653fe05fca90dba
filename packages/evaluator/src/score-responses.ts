import {
  type DatasetsClient,
  type Example,
  type ResponseToScore,
  type ScoreResponsesInput,
  ScoreResponsesInputSchema,
  type ScoreResponsesResult,
  type Split,
} from '@metaspo/schemas';
import { type FieldIssue, invalidInput, toFieldIssues } from '@metaspo/service-kit';
import { extractPrediction } from './extraction/extract.js';
import { scoreItems } from './scored-items.js';
import { callUpstream } from './upstream.js';

/** More than any split holds: the registry returns the whole split for a larger n. */
const WHOLE_SPLIT = 1_000_000_000;
const SPLITS: readonly Split[] = ['train', 'test'];
/** Issues named in the error message; all of them travel in its `issues`. */
const ISSUES_IN_MESSAGE = 5;

interface ExampleIndex {
  byId: Map<string, Example>;
  /** A question shared by examples with different golds maps to null: the id must say which. */
  byQuestion: Map<string, Example | null>;
}

async function indexTaskExamples(datasets: DatasetsClient, taskId: string): Promise<ExampleIndex> {
  const splits = await Promise.all(
    SPLITS.map((split) =>
      callUpstream('datasets.sample', () =>
        datasets.sample.query({ taskId, split, n: WHOLE_SPLIT, seed: 0 }),
      ),
    ),
  );
  const byId = new Map<string, Example>();
  const byQuestion = new Map<string, Example | null>();
  for (const example of splits.flat()) {
    byId.set(example.id, example);
    const key = example.question.trim();
    const known = byQuestion.get(key);
    if (known === undefined) byQuestion.set(key, example);
    else if (known !== null && known.answer !== example.answer) byQuestion.set(key, null);
  }
  return { byId, byQuestion };
}

/** The example a response names, or null after recording why there is none. */
function exampleOf(
  index: ExampleIndex,
  entry: ResponseToScore,
  path: string,
  taskId: string,
  issues: FieldIssue[],
): Example | null {
  if (entry.id !== undefined) {
    const example = index.byId.get(entry.id);
    if (!example) issues.push({ path: `${path}.id`, message: `no example "${entry.id}" in ${taskId}` });
    return example ?? null;
  }
  const example = index.byQuestion.get((entry.question ?? '').trim());
  if (example === undefined) {
    issues.push({ path: `${path}.question`, message: `no example of ${taskId} has this question` });
  } else if (example === null) {
    issues.push({
      path: `${path}.question`,
      message: `examples of ${taskId} with different answers share this question; give the id`,
    });
  }
  return example ?? null;
}

function invalidScoreInput(issues: FieldIssue[]): never {
  const shown = issues.slice(0, ISSUES_IN_MESSAGE).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length > ISSUES_IN_MESSAGE ? `; and ${issues.length - ISSUES_IN_MESSAGE} more` : '';
  throw invalidInput(`invalid responses to score: ${shown.join('; ')}${more}`, issues);
}

/**
 * Scores responses produced elsewhere against the task's examples (both splits), matched by
 * example id or by question text. Every unknown id or question is an INVALID_INPUT issue at
 * `responses.<i>.id` / `responses.<i>.question`; nothing is scored unless all are known.
 */
export async function scoreResponses(
  datasets: DatasetsClient,
  rawInput: ScoreResponsesInput,
): Promise<ScoreResponsesResult> {
  const parsed = ScoreResponsesInputSchema.safeParse(rawInput);
  if (!parsed.success) invalidScoreInput(toFieldIssues(parsed.error.issues));
  const input = parsed.data;
  const task = await callUpstream('datasets.tasks.get', () => datasets.tasks.get.query({ id: input.taskId }));
  const index = await indexTaskExamples(datasets, input.taskId);

  const issues: FieldIssue[] = [];
  const matched: Array<{ response: string; example: Example }> = [];
  input.responses.forEach((entry, i) => {
    const example = exampleOf(index, entry, `responses.${i}`, task.id, issues);
    if (example) matched.push({ response: entry.response, example });
  });
  if (issues.length > 0) invalidScoreInput(issues);

  const items = matched.map(({ response, example }) => ({
    exampleId: example.id,
    question: example.question,
    gold: example.answer,
    response,
    ...extractPrediction(response, task, { scoring: input.scoring, example }),
    correct: false,
  }));
  const totals = scoreItems(
    task,
    input.scoring,
    items,
    matched.map((m) => m.example),
  );
  return {
    taskId: task.id,
    scoring: input.scoring,
    metric: task.metric,
    score: totals.score,
    correct: totals.correct,
    n: items.length,
    formatFailures: totals.formatFailures,
    items,
  };
}
