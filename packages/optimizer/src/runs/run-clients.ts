import type { EvaluationRequestInput, Scoring } from '@metaspo/schemas';
import type { EngineClients } from '../engine/context.js';

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
    },
  };
}
