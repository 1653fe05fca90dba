import type { ExperimentPlan } from '@metaspo/schemas';
import { SimulatedTag, Stat } from '../components/bits.js';
import { DataTable } from '../components/DataTable.js';
import { durationText, planCostText, planGroups } from '../lib/experiment-view.js';
import { formatCount } from '../lib/format.js';

/**
 * What an experiment will send, from the call-count formulas and before any request: per model
 * and phase, the requests (or their upper bound), tokens, cost, and what the cache holds.
 */
export function ExperimentPlanView({ plan }: { plan: ExperimentPlan }) {
  const groups = planGroups(plan);
  const anyUpper = groups.some((g) => g.upper);
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
        <Stat term="Wall time" testId="plan-wall">
          {durationText(plan.totals.wallSeconds)}
        </Stat>
      </dl>
      <p className="muted">
        Made without any request to a model.{' '}
        {plan.cacheChecked
          ? 'The cache was asked which requests it already holds: those cost nothing.'
          : 'The gateway could not be asked what its cache holds: nothing is counted as cached.'}{' '}
        <SimulatedTag simulated={plan.simulated} />
      </p>
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
          <tr key={`${g.model}|${g.phase}`} data-model={g.model} data-phase={g.phase}>
            <td>
              <code>{g.model}</code>
            </td>
            <td>{g.phase}</td>
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
