import type { ExperimentRecord } from '@metaspo/schemas';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ProgressBar, SimulatedTag, StatusBadge } from '../components/bits.js';
import { DataTable } from '../components/DataTable.js';
import { Loadable } from '../components/QueryState.js';
import { formatDate } from '../lib/format.js';
import { useTRPC } from '../trpc.js';

const ACTIVE: ReadonlyArray<ExperimentRecord['status']> = ['created', 'running'];

export function ExperimentsPage() {
  const trpc = useTRPC();
  const list = useQuery({
    ...trpc.optimizer.experiments.list.queryOptions({ limit: 200 }),
    refetchInterval: (query) => (query.state.data?.some((e) => ACTIVE.includes(e.status)) ? 2_000 : 10_000),
  });
  return (
    <section>
      <div className="page-title">
        <h1>Experiments</h1>
        <Link className="button primary" to="/experiments/new">
          New experiment
        </Link>
      </div>
      <p className="muted">
        Every method on every domain, unseen generalization and test-time adaptation, from one config with one
        budget: planned before it starts, reported with 95% intervals.
      </p>
      <Loadable query={list} label="experiments">
        {(experiments) =>
          experiments.length === 0 ? (
            <p className="empty">No experiments yet. Plan one with “New experiment”.</p>
          ) : (
            <DataTable
              className="experiments-table"
              columns={['Experiment', 'Id', 'Status', 'Progress', 'Created']}
            >
              {experiments.map((e) => (
                <tr key={e.id} data-experiment-id={e.id}>
                  <td>
                    <Link to="/experiments/$experimentId" params={{ experimentId: e.id }}>
                      {e.name}
                    </Link>{' '}
                    <SimulatedTag simulated={e.simulated} />
                  </td>
                  <td>
                    <code title={e.id}>{e.id.slice(0, 12)}</code>
                  </td>
                  <td>
                    <StatusBadge status={e.status} />
                  </td>
                  <td>
                    <ProgressBar
                      done={e.progress.requestsDone}
                      total={e.progress.requestsPlanned}
                      label={`Progress of ${e.name}`}
                    />
                  </td>
                  <td>{formatDate(e.createdAt)}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loadable>
    </section>
  );
}
