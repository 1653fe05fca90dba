import type { RunRecord, UsageTotals } from '@metaspo/schemas';
import { useQuery } from '@tanstack/react-query';
import { Score, Stat } from '../components/bits.js';
import { CALLS_MEANING, formatQuantity, REQUESTS_MEANING } from '../lib/format.js';
import { callsText, costText, requestsText } from '../lib/run-numbers.js';
import { useTRPC } from '../trpc.js';

/** Cost, calls and tokens of a run, with what requests and calls mean stated once. */
export function RunUsage({ run }: { run: RunRecord }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.llm.usage.queryOptions({ runId: run.id }));
  const totals: UsageTotals | undefined = usage.data?.totals;
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
          <span title={CALLS_MEANING}>{totals ? callsText(totals) : '–'}</span>
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
