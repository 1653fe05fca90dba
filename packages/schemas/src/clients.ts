import type {
  CompletionBatchRequestInput,
  CompletionBatchResult,
  CompletionRequestInput,
  CompletionResult,
} from './completion.js';
import type { EvaluationRequestInput, EvaluationResult, WrongExample } from './evaluation.js';
import type { EvaluationListInput, EvaluationSummary, ItemOutcome, OutcomesInput } from './evaluator-api.js';
import type { AnswerKeyEntry, Example, SampleRequest } from './example.js';
import type { CacheCheckInput, CacheCheckResult, PricesResult } from './llm-api.js';
import type {
  ComponentCorpus,
  ReferenceSystemPrompt,
  ReferenceUserPrompts,
  UnseenUserPromptsInput,
} from './protocol-assets.js';
import type { DomainSplit, TaskSpec } from './task.js';
import type { UsageTotals } from './usage.js';

/**
 * What one service needs of another, written in the shape of a tRPC client
 * (`client.x.query(input)` / `client.x.mutate(input)`). The typed tRPC client of the real
 * router satisfies these structurally, whether its link is in-process or HTTP, so a service
 * depends on this contract instead of on the other package's code.
 */
export interface CallOptions {
  signal?: AbortSignal;
}
export interface QueryProcedure<Input, Output> {
  query(input: Input, opts?: CallOptions): Promise<Output>;
}
export interface MutationProcedure<Input, Output> {
  mutate(input: Input, opts?: CallOptions): Promise<Output>;
}

export interface RunBudgetInput {
  runId: string;
  maxUsd?: number | undefined;
  maxCalls?: number | undefined;
}

export interface UsageReport {
  totals: UsageTotals;
  byModel: Array<UsageTotals & { model: string }>;
}

export interface LlmClient {
  complete: MutationProcedure<CompletionRequestInput, CompletionResult>;
  completeBatch: MutationProcedure<CompletionBatchRequestInput, CompletionBatchResult>;
  budgets: { set: MutationProcedure<RunBudgetInput, unknown> };
  /** Aborts the queued and in-flight calls of a run, wherever the gateway runs. */
  cancelRun: MutationProcedure<{ runId: string }, unknown>;
  usage: QueryProcedure<{ runId?: string | undefined }, UsageReport>;
  /**
   * For plans: which requests the cache holds (nothing is called), and model prices. Optional
   * so that narrow fakes need not implement them; a plan without them says "unknown".
   */
  cache?: { check: QueryProcedure<CacheCheckInput, CacheCheckResult> };
  prices?: QueryProcedure<{ models: string[] }, PricesResult>;
}

export interface DatasetsClient {
  tasks: {
    get: QueryProcedure<{ id: string }, TaskSpec>;
    list: QueryProcedure<{ domain?: string } | undefined, TaskSpec[]>;
  };
  domains: {
    get: QueryProcedure<{ domain: string }, DomainSplit>;
  };
  sample: QueryProcedure<SampleRequest, Example[]>;
  answerKey: QueryProcedure<{ taskIds: string[] }, AnswerKeyEntry[]>;
  /** The reference protocol's files once fetched; empty or null before (callers fall back). */
  protocol: {
    systemPrompts: QueryProcedure<void, ReferenceSystemPrompt[]>;
    unseenUserPrompts: QueryProcedure<UnseenUserPromptsInput, ReferenceUserPrompts | null>;
    componentCorpus: QueryProcedure<void, ComponentCorpus | null>;
  };
}

export interface EvaluatorClient {
  evaluate: MutationProcedure<EvaluationRequestInput, EvaluationResult>;
  evaluateMany: MutationProcedure<{ requests: EvaluationRequestInput[] }, EvaluationResult[]>;
  wrongExamples: QueryProcedure<{ evaluationId: string; k: number; seed: number }, WrongExample[]>;
  /** Every item's outcome, in the evaluation's order (what a race compares). */
  outcomes: QueryProcedure<OutcomesInput, ItemOutcome[]>;
  /**
   * Stored evaluations with their per-example items (experiment reports read them). Optional so
   * that narrow fakes need not implement them.
   */
  get?: QueryProcedure<{ id: string }, EvaluationResult>;
  list?: QueryProcedure<EvaluationListInput, EvaluationSummary[]>;
}
