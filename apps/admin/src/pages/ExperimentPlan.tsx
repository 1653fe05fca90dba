import type { ExperimentPlan } from '@metaspo/schemas';
import { SimulatedTag, Stat } from '../components/bits.js';
import { DataTable } from '../components/DataTable.js';
import {
  batchShareText,
  durationText,
  planCostText,
  planGroups,
  planUsesBatch,
} from '../lib/experiment-view.js';
import { formatCount } from '../lib/format.js';

/**
 * `execution: batch` per model: how many requests go through the batch API, what they cost at
 * the batch price against the same requests live, and what that saves.
 */
function BatchModels({ plan }: { plan: ExperimentPlan }) {
  return (
    <DataTable
      className="plan-batch-table"
      columns={['Model', 'Requests', 'Through the batch API', 'Cost', 'At live prices', 'Batch saves']}
    >
      {plan.models.map((m) => (
        <tr key={m.model} data-model={m.model}>
          <td>
            <code>{m.model}</code>
          </td>
          <td className="num">{formatCount(m.requests)}</td>
          <td className="num" data-testid="batch-share">
            {formatCount(m.batchRequests)} ({batchShareText(m)})
          </td>
          <td className="num">{planCostText(m.costUsd)}</td>
          <td className="num">{planCostText(m.liveCostUsd)}</td>
          <td className="num" data-testid="batch-saved">
            {planCostText(m.savedUsd)}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/**
 * What an experiment will send, from the call-count formulas and before any request: per model
 * and phase, the requests (or their upper bound), tokens, cost, and what the cache holds. A plan
 * with batch rows also says what batch saves against live prices and how long it waits on batches;
 * a live plan shows neither.
 */
export function ExperimentPlanView({ plan }: { plan: ExperimentPlan }) {
  const groups = planGroups(plan);
  const anyUpper = groups.some((g) => g.upper);
  const batched = planUsesBatch(plan);
  const batchWait = plan.totals.batchWaitSeconds;
  return (
    <div className="stack" data-testid="experiment-plan">
      <dl className="stats">
        <Stat term="Requests" testId="plan-requests">
          {formatCount(plan.totals.requests)}
          {anyUpper && ' (upper bound)'}
        </Stat>
        <Stat term="Already in the cache">{formatCount(plan.totals.cached)}</Stat>
        <Stat term="Cost" testId="plan-cost">
          {planCostText(plan.totals.costUsd)}
          {plan.unknownPrices.length > 0 && plan.totals.costUsd !== null && ' + unknown price'}
        </Stat>
        {batched && (
          <Stat term="Batch saves" testId="plan-saved">
            {planCostText(plan.totals.savedUsd)} of {planCostText(plan.totals.liveCostUsd)} at live prices
          </Stat>
        )}
        <Stat term="Wall time" testId="plan-wall">
          {durationText(plan.totals.wallSeconds)}
          {batchWait > 0 && (
            <span data-testid="plan-batch-wait"> ({durationText(batchWait)} of it waiting on batches)</span>
          )}
        </Stat>
      </dl>
      <p className="muted">
        Made without any request to a model.{' '}
        {plan.cacheChecked
          ? 'The cache was asked which requests it already holds: those cost nothing.'
          : 'The gateway could not be asked what its cache holds: nothing is counted as cached.'}{' '}
        <SimulatedTag simulated={plan.simulated} />
      </p>
      {batched && (
        <>
          <p className="muted">
            Base-model evaluations go through the provider's batch API at its batch price; optimizer calls
            stay live. Each wave of batches is counted at the configured turnaround
            (plan.batchTurnaroundMinutes); a provider may take up to 24 h.
          </p>
          <BatchModels plan={plan} />
        </>
      )}
      {plan.unknownPrices.length > 0 && (
        <p className="field-error">
          Unknown price for {plan.unknownPrices.join(', ')}: their cost is not in the total.
        </p>
      )}
      <DataTable
        className="plan-table"
        columns={['Model', 'Phase', 'Requests', 'Cached', 'Input tokens', 'Output tokens', 'Cost']}
      >
        {groups.map((g) => (
          <tr
            key={`${g.model}|${g.phase}`}
            data-model={g.model}
            data-phase={g.phase}
            data-execution={g.batch ? 'batch' : 'live'}
          >
            <td>
              <code>{g.model}</code>
            </td>
            <td>
              {g.phase}
              {g.batch && <span className="tag tag-batch">batch</span>}
            </td>
            <td className="num">
              {formatCount(g.requests)}
              {g.upper && <span className="tag">upper bound</span>}
            </td>
            <td className="num">{formatCount(g.cached)}</td>
            <td className="num">{formatCount(g.inputTokens)}</td>
            <td className="num">{formatCount(g.outputTokens)}</td>
            <td className="num">{planCostText(g.costUsd)}</td>
          </tr>
        ))}
      </DataTable>
      {anyUpper && (
        <p className="muted">
          An upper bound: dropped malformed candidates, or a prompt kept over several rounds, can only lower
          it.
        </p>
      )}
      {plan.confirmReasons.length > 0 && (
        <ul className="issues warnings" aria-label="Why to look twice">
          {plan.confirmReasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
