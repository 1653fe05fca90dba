import type { RunCalls, RunRecord, UsageTotals } from '@metaspo/schemas';
import { useQuery } from '@tanstack/react-query';
import { Score, Stat } from '../components/bits.js';
import { CALLS_MEANING, formatQuantity, formatUsd, REQUESTS_MEANING } from '../lib/format.js';
import { useTRPC } from '../trpc.js';

/** Optional counts newer ledgers report; absent ones are simply not shown. */
type Totals = UsageTotals & { cancelledCalls?: number };

/** "Calls" with its parts: from the cache, sent, failed and cancelled apart. */
function callsBreakdown(totals: Totals): string {
  const parts = [`${totals.cachedCalls.toLocaleString()} from the cache`];
  if (totals.failedCalls > 0) parts.push(`${totals.failedCalls.toLocaleString()} failed`);
  if (totals.cancelledCalls) parts.push(`${totals.cancelledCalls.toLocaleString()} cancelled`);
  return `${formatQuantity(totals.calls, 'call')} (${parts.join(', ')})`;
}

/**
 * Cost as the ledger knows it: a paid-call count only where a price exists (free local and
 * simulator calls have none), and "no price" when some call's price is unknown.
 */
function costText(cost: number | null | undefined, totals: Totals | undefined): string {
  if (cost === null) {
    const unpriced = totals?.unpricedCalls ?? 0;
    return unpriced > 0 ? `no price (${formatQuantity(unpriced, 'call')} of unpriced models)` : 'no price';
  }
  if (cost === 0 && totals && totals.unpricedCalls === 0) return '$0 (free models)';
  const paid =
    totals && cost !== undefined && cost > 0 ? `, ${formatQuantity(totals.paidCalls, 'paid call')}` : '';
  return `${formatUsd(cost)}${paid}`;
}

/** What the finished run asked for, by who asked (the run's own count, not the ledger's). */
function requestsText(calls: RunCalls): string {
  const total = calls.baseTrain + calls.baseTest + calls.optimizer + calls.optimizerRetries;
  const retried = calls.optimizerRetries > 0 ? ` + ${calls.optimizerRetries.toLocaleString()} re-asked` : '';
  const failed = calls.failedItems ? `; ${formatQuantity(calls.failedItems, 'failed item')}` : '';
  return (
    `${formatQuantity(total, 'request')}: base model ${calls.baseTrain.toLocaleString()} on train + ` +
    `${calls.baseTest.toLocaleString()} on test, optimizer ${calls.optimizer.toLocaleString()}${retried}; ` +
    `${calls.cached.toLocaleString()} from the cache${failed}`
  );
}

/** Cost, calls and tokens of a run, with what requests and calls mean stated once. */
export function RunUsage({ run }: { run: RunRecord }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.llm.usage.queryOptions({ runId: run.id }));
  const totals: Totals | undefined = usage.data?.totals;
  const cost = run.result?.costUsd ?? run.progress?.costUsd ?? totals?.costUsd;
  return (
    <>
      <dl className="stats">
        <Stat term="Cost so far" testId="run-cost">
          {costText(cost, totals)}
        </Stat>
        {run.result && (
          <Stat term="Requests" testId="run-requests">
            <span title={REQUESTS_MEANING}>{requestsText(run.result.calls)}</span>
          </Stat>
        )}
        <Stat term="Calls" testId="run-calls">
          <span title={CALLS_MEANING}>{totals ? callsBreakdown(totals) : '–'}</span>
        </Stat>
        <Stat term="Tokens">
          {totals
            ? `${formatQuantity(totals.promptTokens, 'token')} in / ${formatQuantity(totals.completionTokens, 'token')} out`
            : '–'}
        </Stat>
      </dl>
      <p className="legend" data-testid="numbers-legend">
        {REQUESTS_MEANING} {CALLS_MEANING}
      </p>
    </>
  );
}

/** A run's result scores, each named for the split and tasks it was measured on. */
export function RunScores({ run }: { run: RunRecord }) {
  if (!run.result) return null;
  const { scores } = run.result;
  const common = { simulated: run.simulated, scoring: run.config.scoring };
  return (
    <dl className="stats">
      <Stat term="Initial system prompt, train split">
        <Score value={scores.initial} {...common} />
      </Stat>
      <Stat term="Optimized system prompt, train split">
        <Score value={scores.final} {...common} />
      </Stat>
      <Stat term="Optimized, test split of the meta-train tasks">
        <span title="The optimized system prompt on the held-out test examples of the tasks it was trained on; unseen tasks are scored by a meta-test">
          <Score value={scores.test} {...common} />
        </span>
      </Stat>
    </dl>
  );
}
