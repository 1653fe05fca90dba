import type {
  CompletionBatchRequestInput,
  CompletionOutcome,
  CompletionRequestInput,
  DatasetsClient,
  Example,
  LlmClient,
  TaskSpec,
} from '@metaspo/schemas';
import { notFound } from '@metaspo/service-kit';

/**
 * Small in-test implementations of the ports, for tests about the evaluator's own logic
 * (message building, error handling, storage). Integration tests use the real services.
 */
export const YES_NO_TASK: TaskSpec = {
  id: 'toy_yes_no',
  domain: 'procedural',
  description: 'Is the number even?',
  initialUserPrompt: 'Is it even? {question}',
  answerType: { kind: 'yes-no' },
  answerFormat: 'tagged',
  metric: 'accuracy',
  importer: 'test',
  available: true,
};

export function toyExamples(count: number): Example[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `ex-${i}`,
    taskId: YES_NO_TASK.id,
    split: 'test' as const,
    question: `Number ${i}`,
    answer: i % 2 === 0 ? 'yes' : 'no',
  }));
}

export type CountingDatasets = DatasetsClient & { sampleCalls: number };

export function fakeDatasets(examples: Example[], task: TaskSpec = YES_NO_TASK): CountingDatasets {
  const datasets: CountingDatasets = {
    sampleCalls: 0,
    tasks: {
      get: {
        query: async ({ id }) => {
          if (id !== task.id) throw notFound(`task "${id}"`);
          return task;
        },
      },
      list: { query: async () => [task] },
    },
    domains: { get: { query: async ({ domain }) => ({ domain, train: [], test: [] }) } },
    sample: {
      query: async ({ n }) => {
        datasets.sampleCalls += 1;
        return examples.slice(0, n);
      },
    },
    answerKey: { query: async () => [] },
    protocol: {
      systemPrompts: { query: async () => [] },
      unseenUserPrompts: { query: async () => null },
      componentCorpus: { query: async () => null },
    },
  };
  return datasets;
}

export interface RecordingLlm extends LlmClient {
  batches: CompletionRequestInput[][];
  maxInFlight: number;
}

/** Answers each request with `answer(request)`; records batches and peak concurrency. */
export function fakeLlm(answer: (request: CompletionRequestInput) => CompletionOutcome): RecordingLlm {
  let inFlight = 0;
  const llm: RecordingLlm = {
    batches: [],
    maxInFlight: 0,
    complete: {
      mutate: async () => {
        throw new Error('the evaluator must use completeBatch');
      },
    },
    completeBatch: {
      mutate: async (input: CompletionBatchRequestInput) => {
        llm.batches.push(input.requests);
        inFlight += 1;
        llm.maxInFlight = Math.max(llm.maxInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return { outcomes: input.requests.map(answer) };
      },
    },
    budgets: { set: { mutate: async () => ({}) } },
    cancelRun: { mutate: async () => ({}) },
    usage: { query: async () => ({ totals: emptyTotals(), byModel: [] }) },
  };
  return llm;
}

function emptyTotals() {
  return {
    calls: 0,
    cachedCalls: 0,
    paidCalls: 0,
    failedCalls: 0,
    promptTokens: 0,
    completionTokens: 0,
    costUsd: 0,
    unpricedCalls: 0,
  };
}

export function okOutcome(text: string, cached = false): CompletionOutcome {
  return {
    ok: true,
    result: {
      callId: 'call',
      model: 'sim:default',
      text,
      usage: { promptTokens: 10, completionTokens: 2 },
      finishReason: 'stop',
      cached,
      latencyMs: 0,
      costUsd: null,
    },
  };
}

/** The number in the last user message: even numbers are "yes". */
/** A reply holding its answer in the tag that strict scoring reads. */
export const tagged = (answer: string) => `Thinking it over.\n<answer>${answer}</answer>`;

export function parityAnswer(request: CompletionRequestInput): string {
  const user = request.messages.at(-1)!.content;
  const number = Number(/Number (\d+)/.exec(user)?.[1]);
  return number % 2 === 0 ? 'yes' : 'no';
}
