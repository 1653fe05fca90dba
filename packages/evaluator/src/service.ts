import {
  type CallOptions,
  type DatasetsClient,
  type EvaluationListInput,
  EvaluationListInputSchema,
  type EvaluationRequest,
  type EvaluationRequestInput,
  EvaluationRequestSchema,
  type EvaluationResult,
  type EvaluationSummary,
  type ExtractInput,
  ExtractInputSchema,
  type Extraction,
  type ItemOutcome,
  type LlmClient,
  type OutcomesInput,
  type ScoreResponsesInput,
  type ScoreResponsesResult,
  userMessage,
  type WrongExample,
  type WrongExamplesInput,
} from '@metaspo/schemas';
import {
  createRng,
  DomainError,
  invalidInput,
  mapLimited,
  openDatabase,
  sampleWithoutReplacement,
  seedFrom,
  throwIfAborted,
  toFieldIssues,
} from '@metaspo/service-kit';
import { migrationsFolder } from './db/migrations.js';
import { evaluatorSchema } from './db/schema.js';
import { evaluatePair } from './evaluate-pair.js';
import { extractPrediction } from './extraction/extract.js';
import { assertUserPrompt } from './messages.js';
import { createSampleLoader } from './sample-loader.js';
import { scoreResponses } from './score-responses.js';
import { SignalFanOut } from './signal-fan-out.js';
import { createEvaluationStore } from './store.js';
import { callUpstream } from './upstream.js';

export interface EvaluatorServiceOptions {
  /** A path, or ':memory:' for a private database. */
  databaseFile: string;
  llm: LlmClient;
  datasets: DatasetsClient;
  /** How many prompt pairs `evaluateMany` evaluates at once (each is one gateway batch). */
  concurrency?: number | undefined;
}

export interface EvaluatorService {
  evaluate(input: EvaluationRequestInput, options?: CallOptions): Promise<EvaluationResult>;
  /** Evaluates pairs in parallel (bounded by `concurrency`); results in request order. */
  evaluateMany(inputs: readonly EvaluationRequestInput[], options?: CallOptions): Promise<EvaluationResult[]>;
  get(id: string): EvaluationResult;
  list(input?: EvaluationListInput): EvaluationSummary[];
  /** A deterministic sample (by `seed` alone) of the evaluation's wrong answers. */
  wrongExamples(input: WrongExamplesInput): WrongExample[];
  /** Every item's outcome in the evaluation's order: right, wrong, failed call. */
  outcomes(input: OutcomesInput): ItemOutcome[];
  /** Reads one response as the task's prediction, in the given scoring mode (strict by default). */
  extract(input: ExtractInput): Promise<Extraction>;
  /** Scores responses produced elsewhere against the task's examples; nothing is stored. */
  scoreResponses(input: ScoreResponsesInput): Promise<ScoreResponsesResult>;
  close(): void;
}

export const DEFAULT_EVALUATOR_CONCURRENCY = 8;

/** Parses with defaults and checks the `{question}` placeholder; `path` names the pair. */
function validRequest(input: EvaluationRequestInput, path: string): EvaluationRequest {
  const parsed = EvaluationRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error.issues).map((issue) => ({
      ...issue,
      path: [path, issue.path].filter((p) => p !== '').join('.'),
    }));
    throw invalidInput(
      `invalid evaluation request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  assertUserPrompt(parsed.data.userPrompt, path === '' ? 'userPrompt' : `${path}.userPrompt`);
  return parsed.data;
}

const evaluationCancelled = () => new DomainError('CANCELLED', 'evaluation cancelled by the caller');

export function createEvaluatorService(options: EvaluatorServiceOptions): EvaluatorService {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_EVALUATOR_CONCURRENCY));
  const database = openDatabase(options.databaseFile, { migrationsFolder, schema: evaluatorSchema });
  const store = createEvaluationStore(database);
  const depsForOneCall = () => ({
    llm: options.llm,
    store,
    loadSample: createSampleLoader(options.datasets),
  });

  return {
    async evaluate(input, callOptions = {}) {
      const request = validRequest(input, '');
      throwIfAborted(callOptions.signal, evaluationCancelled);
      return evaluatePair(depsForOneCall(), request, callOptions);
    },
    async evaluateMany(inputs, callOptions = {}) {
      const requests = inputs.map((input, i) => validRequest(input, `requests.${i}`));
      const deps = depsForOneCall();
      const signals = new SignalFanOut(callOptions.signal);
      try {
        return await mapLimited(requests, concurrency, async (request) => {
          throwIfAborted(callOptions.signal, evaluationCancelled);
          return signals.run((signal) => evaluatePair(deps, request, signal ? { signal } : {}));
        });
      } finally {
        signals.dispose();
      }
    },
    get: (id) => store.get(id),
    list: (input = {}) => {
      const filter = EvaluationListInputSchema.parse(input);
      return store.list({
        limit: filter.limit,
        offset: filter.offset,
        ...(filter.taskId === undefined ? {} : { taskId: filter.taskId }),
        ...(filter.runId === undefined ? {} : { runId: filter.runId }),
      });
    },
    wrongExamples({ evaluationId, k, seed }) {
      const { stored, items } = store.wrongItems(evaluationId);
      // Items whose model call failed have no response to learn from.
      const answered = items.filter((item) => item.error === undefined);
      const rng = createRng(seedFrom('wrong-examples', seed));
      return sampleWithoutReplacement(answered, k, rng).map((item) => ({
        exampleId: item.exampleId,
        question: item.question,
        prompt: userMessage(stored.request, item.question),
        response: item.response,
        prediction: item.prediction,
        gold: item.gold,
      }));
    },
    outcomes: ({ evaluationId }) => store.outcomes(evaluationId),
    async extract(input) {
      const parsed = ExtractInputSchema.safeParse(input);
      if (!parsed.success) {
        const issues = toFieldIssues(parsed.error.issues);
        throw invalidInput(
          `invalid extract input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          issues,
        );
      }
      const { taskId, response, scoring } = parsed.data;
      const task = await callUpstream('datasets.tasks.get', () =>
        options.datasets.tasks.get.query({ id: taskId }),
      );
      return extractPrediction(response, task, { scoring });
    },
    scoreResponses: (input) => scoreResponses(options.datasets, input),
    close: () => database.close(),
  };
}
