import type {
  CompletionBatchRequestInput,
  CompletionBatchResult,
  CompletionRequestInput,
  CompletionResult,
} from './completion.js';
import type { EvaluationRequestInput, EvaluationResult, WrongExample } from './evaluation.js';
import type { AnswerKeyEntry, Example, SampleRequest } from './example.js';
import type { DomainSplit, TaskSpec } from './task.js';

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

export interface LlmClient {
  complete: MutationProcedure<CompletionRequestInput, CompletionResult>;
  completeBatch: MutationProcedure<CompletionBatchRequestInput, CompletionBatchResult>;
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
}

export interface EvaluatorClient {
  evaluate: MutationProcedure<EvaluationRequestInput, EvaluationResult>;
  evaluateMany: MutationProcedure<{ requests: EvaluationRequestInput[] }, EvaluationResult[]>;
  wrongExamples: QueryProcedure<{ evaluationId: string; k: number; seed: number }, WrongExample[]>;
}
