import {
  type CompletionRequestInput,
  chatMessages,
  type DatasetsClient,
  type Example,
  type ExperimentConfig,
  type ExperimentPhase,
  type RunConfig,
  racesCandidates,
  type TaskSpec,
} from '@metaspo/schemas';
import { expectedAdaptCalls, expectedCalls } from '../call-count.js';
import { fixedSystemPrompts } from '../fixed-prompts.js';
import { referenceUserPrompts } from '../meta-test/unseen.js';
import { type GridCell, isFixed } from './grid.js';

/**
 * The requests of an experiment, cell by cell, as the plan counts them. A request whose text is
 * known before the run (a fixed system prompt or the initial one, a task's initial or reference
 * user prompt, an imported example) is `concrete`: the plan asks the gateway whether it is cached.
 * One whose system or user prompt is produced during the run stands for that prompt by a symbol
 * (`trained:<cell>`, `generated:<task>:<i>`); equal keys are one request, as the gateway's cache
 * makes them, and a symbol's requests are an upper bound (two symbols may turn out one text). The
 * rest (candidates' evaluations, optimizer requests) comes from the call-count formulas: distinct,
 * since each is its node's own sample (RunContext.evaluationSample).
 */
interface PlannedRequest {
  key: string;
  role: 'base' | 'optimizer';
  phase: ExperimentPhase;
  /** Present when the request's text is known: checked against the cache. */
  concrete?: CompletionRequestInput;
  /**
   * A prompt produced during the run may turn out equal to another (a run that accepted no
   * candidate keeps the initial prompt; two generated user prompts may read alike): then the
   * gateway sends one request for both, so the count is an upper bound.
   */
  upper?: true;
  promptChars: number;
  outputTokens: number;
}

interface FormulaRequests {
  role: 'base' | 'optimizer';
  phase: ExperimentPhase;
  count: number;
  exact: boolean;
  promptChars: number;
  outputTokens: number;
}

export interface CellRequests {
  cell: GridCell;
  listed: PlannedRequest[];
  formula: FormulaRequests[];
}

/** Characters assumed for a system prompt produced during the run: the longest fixed prompt. */
const TRAINED_PROMPT_CHARS = 900;
/** Characters assumed for a generated user prompt besides the question. */
const GENERATED_USER_PROMPT_CHARS = 400;

/** What the planner reads from the registry, memoized: tasks, samples, prompt files. */
export class PlanSources {
  private readonly tasks = new Map<string, Promise<TaskSpec>>();
  private readonly samples = new Map<string, Promise<Example[]>>();
  private readonly references = new Map<string, Promise<string[] | null>>();
  private fixed: Promise<Map<string, string>> | null = null;

  constructor(private readonly datasets: DatasetsClient) {}

  task(id: string): Promise<TaskSpec> {
    let found = this.tasks.get(id);
    if (!found) {
      found = this.datasets.tasks.get.query({ id });
      this.tasks.set(id, found);
    }
    return found;
  }

  sample(taskId: string, split: 'train' | 'test', n: number, seed: number): Promise<Example[]> {
    const key = `${taskId}|${split}|${n}|${seed}`;
    let found = this.samples.get(key);
    if (!found) {
      found = this.datasets.sample.query({ taskId, split, n, seed });
      this.samples.set(key, found);
    }
    return found;
  }

  referenceUserPrompts(taskId: string, count: number): Promise<string[] | null> {
    const key = `${taskId}|${count}`;
    let found = this.references.get(key);
    if (!found) {
      found = referenceUserPrompts(this.datasets, taskId, count);
      this.references.set(key, found);
    }
    return found;
  }

  fixedPrompts(): Promise<Map<string, string>> {
    this.fixed ??= fixedSystemPrompts(this.datasets).then(
      (all) => new Map(all.map((p) => [p.label, p.prompt])),
    );
    return this.fixed;
  }
}

/** What the planner needs of an experiment config (a single run's plan builds one). */
export type PlanSettings = Pick<
  ExperimentConfig,
  'methods' | 'baseModel' | 'optimizerModel' | 'concurrency' | 'plan'
>;

type Prompt = { symbol: string } | { text: string };
const promptKey = (p: Prompt) => ('text' in p ? `t:${p.text}` : `s:${p.symbol}`);
const promptChars = (p: Prompt, assumed: number) => ('text' in p ? p.text.length : assumed);

/** Base-model requests of one prompt pair over examples: listed one by one, deduplicated by key. */
function pairRequests(
  config: RunConfig,
  phase: ExperimentPhase,
  system: Prompt,
  user: Prompt,
  examples: readonly Example[],
  outputTokens: number,
): PlannedRequest[] {
  return examples.map((example) => {
    const concrete =
      'text' in system && 'text' in user
        ? {
            model: config.baseModel,
            messages: chatMessages(
              { systemPrompt: system.text, userPrompt: user.text, systemPlacement: config.systemPlacement },
              example.question,
            ),
            temperature: config.baseTemperature,
            maxTokens: config.maxTokens,
            sampleIndex: 0,
          }
        : undefined;
    const chars = concrete
      ? concrete.messages.reduce((n, m) => n + m.content.length, 0)
      : promptChars(system, TRAINED_PROMPT_CHARS) +
        promptChars(user, GENERATED_USER_PROMPT_CHARS) +
        example.question.length;
    return {
      key: `${config.baseModel}|${promptKey(system)}|${promptKey(user)}|${example.question}`,
      role: 'base' as const,
      phase,
      ...(concrete ? { concrete } : { upper: true as const }),
      promptChars: chars,
      outputTokens,
    };
  });
}

const meanQuestionChars = (examples: readonly Example[]) =>
  examples.length === 0 ? 0 : examples.reduce((n, e) => n + e.question.length, 0) / examples.length;

/** The requests of one cell; `systemPromptOf` gives each method's prompt (text or symbol). */
export async function cellRequests(
  experiment: PlanSettings,
  cell: GridCell,
  sources: PlanSources,
): Promise<CellRequests> {
  const out = experiment.plan.outputTokens;
  const config = cell.config;
  const taskIds = cell.kind === 'train' ? cell.domain.metaTrainTasks : cell.domain.metaTestTasks;
  const tasks = await Promise.all(taskIds.map((id) => sources.task(id)));
  const answerTokens = (task: TaskSpec) => out[task.answerType.kind];
  const listed: PlannedRequest[] = [];
  const formula: FormulaRequests[] = [];
  const optimizer = (phase: ExperimentPhase, count: number) =>
    formula.push({
      role: 'optimizer',
      phase,
      count,
      exact: true,
      promptChars: experiment.plan.optimizerInputTokens * 4,
      outputTokens: out.optimizer,
    });

  if (cell.kind === 'train') {
    const calls = expectedCalls(config, tasks.length);
    const initial: Prompt = { text: cell.method === 'sprig' ? '' : config.initialSystemPrompt };
    let trainChars = 0;
    for (const task of tasks) {
      const examples = await sources.sample(task.id, 'train', config.trainSize, config.seed);
      trainChars += meanQuestionChars(examples) + task.initialUserPrompt.length;
      listed.push(
        ...pairRequests(
          config,
          'meta-train',
          initial,
          { text: task.initialUserPrompt },
          examples,
          answerTokens(task),
        ),
      );
    }
    const averageOutput = tasks.reduce((n, t) => n + answerTokens(t), 0) / Math.max(1, tasks.length);
    const averageChars = trainChars / Math.max(1, tasks.length) + TRAINED_PROMPT_CHARS;
    // SPRIG skips a candidate equal to an earlier prompt; the baselines test a re-kept node once;
    // a race stops the candidates it drops early.
    const exact =
      (cell.method === 'metaspo' || cell.method === 'metaspo-ape' || cell.method === 'outer-loop') &&
      !racesCandidates(config);
    const listedTrain = tasks.length * config.trainSize;
    formula.push({
      role: 'base',
      phase: 'meta-train',
      count: calls.baseTrain - listedTrain,
      exact,
      promptChars: averageChars,
      outputTokens: averageOutput,
    });
    formula.push({
      role: 'base',
      phase: 'meta-train-test',
      count: calls.baseTest,
      exact: true,
      promptChars: averageChars,
      outputTokens: averageOutput,
    });
    optimizer('meta-train', calls.optimizer);
    return { cell, listed, formula };
  }

  const fixed = await sources.fixedPrompts();
  const prompts: Prompt[] = experiment.methods.map((method) =>
    isFixed(method)
      ? { text: fixed.get(method) ?? '' }
      : { symbol: `trained:${cell.domain.name}/s${cell.seed}/${method}` },
  );
  if (cell.kind === 'unseen') {
    for (const task of tasks) {
      const reference = await sources.referenceUserPrompts(task.id, config.unseenUserPrompts);
      const users: Prompt[] =
        reference?.map((text) => ({ text })) ??
        Array.from({ length: config.unseenUserPrompts }, (_, i) => ({
          symbol: `generated:${task.id}:${config.seed}:${i}`,
        }));
      if (!reference) optimizer('unseen', config.unseenUserPrompts);
      const examples = await sources.sample(task.id, 'test', config.testSize, config.seed);
      for (const system of prompts) {
        for (const user of users) {
          listed.push(...pairRequests(config, 'unseen', system, user, examples, answerTokens(task)));
        }
      }
    }
    return { cell, listed, formula };
  }

  // Test-time adaptation: ProTeGi per task and prompt; its root is scored on train and on test.
  const perSearch = expectedAdaptCalls(config, 1, 1);
  for (const task of tasks) {
    const train = await sources.sample(task.id, 'train', config.trainSize, config.seed);
    const test = await sources.sample(task.id, 'test', config.testSize, config.seed);
    const user: Prompt = { text: task.initialUserPrompt };
    const chars = meanQuestionChars(train) + task.initialUserPrompt.length + TRAINED_PROMPT_CHARS;
    for (const system of prompts) {
      listed.push(...pairRequests(config, 'adapt', system, user, train, answerTokens(task)));
      listed.push(...pairRequests(config, 'adapt', system, user, test, answerTokens(task)));
      formula.push(
        {
          role: 'base',
          phase: 'adapt',
          count: perSearch.baseTrain - config.trainSize,
          exact: true,
          promptChars: chars,
          outputTokens: answerTokens(task),
        },
        // Every node ever kept is tested once: a node kept over several rounds lowers it.
        {
          role: 'base',
          phase: 'adapt',
          count: perSearch.baseTest - config.testSize,
          exact: false,
          promptChars: chars,
          outputTokens: answerTokens(task),
        },
      );
      optimizer('adapt', perSearch.optimizer);
    }
  }
  return { cell, listed, formula };
}
