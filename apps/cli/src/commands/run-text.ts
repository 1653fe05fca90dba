import type { RunCalls, RunRecord } from '@metaspo/schemas';
import { count, counted, percent, REQUESTS_MEANING, SIMULATED_TAG, usd } from '../numbers.js';

/** The `--json` summary of a finished run (the contract of `metaspo train --json`): fractions, not percentages. */
export function runSummary(run: RunRecord) {
  return {
    runId: run.id,
    status: run.status,
    optimizedSystemPrompt: run.result?.optimizedSystemPrompt ?? null,
    scores: run.result ? { initial: run.result.scores.initial, final: run.result.scores.final } : null,
    calls: run.result?.calls ?? null,
    costUsd: run.result?.costUsd ?? null,
  };
}

/**
 * The run's request counters in words. They count requests (what the algorithm asked for,
 * served from the cache or not), not provider calls; `metaspo usage --run ID` has the calls.
 */
export function requestsLine(calls: RunCalls): string {
  const total = calls.baseTrain + calls.baseTest + calls.optimizer + calls.optimizerRetries;
  return (
    `requests: ${counted(total, 'request')} = base model ${count(calls.baseTrain)} on train + ${count(calls.baseTest)} on test` +
    `, optimizer ${count(calls.optimizer)} + ${count(calls.optimizerRetries)} re-asked after a malformed reply` +
    `; ${count(calls.cached)} served from the cache`
  );
}

export function runTextLines(run: RunRecord): string[] {
  const tag = run.simulated ? ` ${SIMULATED_TAG}` : '';
  const lines = [`run ${run.id}  ${run.status}${run.simulated ? '  (simulated scores)' : ''}`];
  if (run.error) lines.push(`error: ${run.error}`);
  if (run.result) {
    const { scores, calls } = run.result;
    lines.push(
      `meta-train tasks, train split: initial ${percent(scores.initial)}${tag}  final ${percent(scores.final)}${tag}`,
      `meta-train tasks, test split (held-out examples, optimized prompt): ${percent(scores.test)}${scores.test === null ? '' : tag}`,
      requestsLine(calls),
      `  (${REQUESTS_MEANING}; the provider calls, retries included, are in \`metaspo usage --run ${run.id}\`)`,
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
