import type {
  CallOptions,
  EvaluationRequestInput,
  EvaluationResult,
  RunConfig,
  Scoring,
} from '@metaspo/schemas';
import { DomainError, throwIfAborted } from '@metaspo/service-kit';
import type { EngineClients } from '../engine/context.js';
import type { InFlight } from './in-flight.js';

/**
 * The clients a run's (or meta-test's) steps use: every evaluation request carries the run's
 * scoring mode unless the step set one itself. Scoring is fixed for a whole run, so it is bound
 * here once instead of at each place a request is built.
 */
export function withScoring(clients: EngineClients, scoring: Scoring): EngineClients {
  const { evaluator } = clients;
  const scored = (request: EvaluationRequestInput): EvaluationRequestInput => ({
    ...request,
    scoring: request.scoring ?? scoring,
  });
  return {
    ...clients,
    evaluator: {
      evaluate: { mutate: (input, opts) => evaluator.evaluate.mutate(scored(input), opts) },
      evaluateMany: {
        mutate: (input, opts) =>
          evaluator.evaluateMany.mutate({ requests: input.requests.map(scored) }, opts),
      },
      wrongExamples: evaluator.wrongExamples,
      outcomes: evaluator.outcomes,
    },
  };
}

/**
 * Work queued behind the run's limiter starts after a cancel unless something refuses it: it
 * would reach the gateway with an aborted signal and be recorded there as one more (cancelled)
 * call, which is why a cancelled run's call count kept rising. Refused here, before any call.
 */
function refuseIfAborted(opts: CallOptions | undefined): void {
  throwIfAborted(opts?.signal, runStopped);
}

function runStopped(signal: AbortSignal): DomainError {
  const reason: unknown = signal.reason;
  return reason instanceof DomainError ? reason : new DomainError('CANCELLED', 'the run was stopped');
}

/**
 * The gateway client with `complete` refused after an abort. A tRPC client is a proxy without
 * own keys, so it is wrapped by a proxy too rather than spread.
 */
function guardedLlm(llm: EngineClients['llm'], inFlight: InFlight): EngineClients['llm'] {
  const complete: EngineClients['llm']['complete'] = {
    mutate: (input, opts) => {
      refuseIfAborted(opts);
      return inFlight.track(() => llm.complete.mutate(input, opts));
    },
  };
  return new Proxy(llm, {
    get: (target, key, receiver) => (key === 'complete' ? complete : Reflect.get(target, key, receiver)),
  });
}

/** What the failure policy tells its caller about an evaluation whose failed items it tolerated. */
export interface ToleratedFailures {
  evaluationId: string;
  taskId: string;
  split: string;
  failedItems: number;
  n: number;
}

/**
 * An evaluation some of whose model calls failed (after the gateway's retries) would score
 * those items as wrong answers. Beyond `maxFailedItemShare` of its items the step throws
 * instead, which stops the run (or meta-test) as `failed`, resumable: nothing of that
 * evaluation is stored, so a resume evaluates it again and the successful calls replay from
 * the cache. Failures within the share are reported to `onTolerated`, to be shown apart.
 */
function failedItemsError(result: EvaluationResult, maxShare: number): DomainError | null {
  const failed = result.failedItems ?? 0;
  if (failed === 0 || failed <= maxShare * result.n) return null;
  const reason = result.failedItemError ? `: ${result.failedItemError}` : '';
  return new DomainError(
    'UPSTREAM',
    `${failed} of ${result.n} calls failed evaluating task ${result.taskId} (${result.split} split) with ${result.model}, ` +
      `more than maxFailedItemShare ${maxShare} allows; scores would count them as wrong answers${reason}`,
  );
}

/**
 * The clients with the run's guards: nothing starts after the run's signal aborted, every
 * evaluation is held to the config's `maxFailedItemShare`, and `inFlight` counts the calls.
 */
export function withRunGuards(
  clients: EngineClients,
  config: Pick<RunConfig, 'maxFailedItemShare'>,
  onTolerated: (failures: ToleratedFailures) => void,
  inFlight: InFlight,
): EngineClients {
  const { evaluator, llm } = clients;
  const check = (result: EvaluationResult): EvaluationResult => {
    const error = failedItemsError(result, config.maxFailedItemShare);
    if (error) throw error;
    const failedItems = result.failedItems ?? 0;
    if (failedItems > 0) {
      onTolerated({
        evaluationId: result.id,
        taskId: result.taskId,
        split: result.split,
        failedItems,
        n: result.n,
      });
    }
    return result;
  };
  return {
    ...clients,
    llm: guardedLlm(llm, inFlight),
    evaluator: {
      evaluate: {
        mutate: async (input, opts) => {
          refuseIfAborted(opts);
          return check(await inFlight.track(() => evaluator.evaluate.mutate(input, opts)));
        },
      },
      evaluateMany: {
        mutate: async (input, opts) => {
          refuseIfAborted(opts);
          return (await inFlight.track(() => evaluator.evaluateMany.mutate(input, opts))).map(check);
        },
      },
      wrongExamples: evaluator.wrongExamples,
      outcomes: evaluator.outcomes,
    },
  };
}
