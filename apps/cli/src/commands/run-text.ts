import type { RunCalls, RunRecord } from '@metaspo/schemas';
import { CALLS_MEANING, count, counted, REQUESTS_MEANING, scoreText, usd } from '../numbers.js';

/** The `--json` summary of a finished run (the contract of `metaspo train --json`): fractions, not percentages. */
export function runSummary(run: RunRecord) {
  return {
    runId: run.id,
    status: run.status,
    scoring: run.config.scoring,
    simulated: run.simulated,
    optimizedSystemPrompt: run.result?.optimizedSystemPrompt ?? null,
    scores: run.result ? { initial: run.result.scores.initial, final: run.result.scores.final } : null,
    calls: run.result?.calls ?? null,
    costUsd: run.result?.costUsd ?? null,
  };
}

/**
 * The run's counters in the words of the schema (RunCallsSchema): requests are what the algorithm
 * asked for; calls are what the gateway answered for the run, the requests plus malformed
 * optimizer replies asked again; the provider attempts behind them are in `metaspo usage`.
 */
export function requestsLine(calls: RunCalls): string {
  const requests = calls.baseTrain + calls.baseTest + calls.optimizer;
  const failed = calls.failedItems ? `; ${counted(calls.failedItems, 'failed item')} counted wrong` : '';
  return (
    `requests: ${count(requests)} = base model ${count(calls.baseTrain)} on train + ${count(calls.baseTest)} on test + optimizer ${count(calls.optimizer)}` +
    `; calls: ${count(requests + calls.optimizerRetries)} (${counted(calls.optimizerRetries, 'malformed optimizer reply', 'malformed optimizer replies')} asked again)` +
    `, ${count(calls.cached)} served from the cache${failed}`
  );
}

export function runTextLines(run: RunRecord): string[] {
  const context = { scoring: run.config.scoring, simulated: run.simulated };
  const lines = [`run ${run.id}  ${run.status}${run.simulated ? '  (simulated scores)' : ''}`];
  if (run.error) lines.push(`error: ${run.error}`);
  if (run.result) {
    const { scores, calls } = run.result;
    lines.push(
      `meta-train tasks, train split: initial ${scoreText(scores.initial, context)}  final ${scoreText(scores.final, context)}`,
      `meta-train tasks, test split (held-out examples, optimized prompt): ${scoreText(scores.test, context)}`,
      requestsLine(calls),
      `  (${REQUESTS_MEANING}; ${CALLS_MEANING}; per model: \`metaspo usage --run ${run.id}\`)`,
      `cost: ${usd(run.result.costUsd, run.simulated && run.config.optimizerModel.startsWith('sim:'))}`,
      'optimized system prompt:',
      run.result.optimizedSystemPrompt,
    );
  } else if (run.status !== 'running') {
    lines.push(`resume with: metaspo runs resume ${run.id}`);
  }
  return lines;
}

export function printRunText(run: RunRecord): void {
  process.stdout.write(`${runTextLines(run).join('\n')}\n`);
}
