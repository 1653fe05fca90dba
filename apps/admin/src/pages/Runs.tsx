import { type RunStatus, RunStatusSchema } from '@metaspo/schemas';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { Score, StatusBadge } from '../components/bits.js';
import { DataTable } from '../components/DataTable.js';
import { ValueOptions } from '../components/Options.js';
import { Loadable } from '../components/QueryState.js';
import { formatDate, formatQuantity, formatUsd } from '../lib/format.js';
import { useTRPC } from '../trpc.js';

const ACTIVE: readonly RunStatus[] = ['created', 'running'];

const route = getRouteApi('/runs');

export function RunsPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const parsedStatus = RunStatusSchema.safeParse(route.useSearch().status);
  const status = parsedStatus.success ? parsedStatus.data : undefined;
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const runs = useQuery({
    ...trpc.optimizer.runs.list.queryOptions(status ? { status, limit: 200 } : { limit: 200 }),
    refetchInterval: (query) => (query.state.data?.some((r) => ACTIVE.includes(r.status)) ? 2_000 : 10_000),
  });

  const toggle = (id: string) =>
    setSelected((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));

  return (
    <section>
      <div className="page-title">
        <h1>Runs</h1>
        <Link className="button primary" to="/runs/new">
          New run
        </Link>
      </div>
      <div className="toolbar">
        <label>
          Status{' '}
          <select
            value={status ?? ''}
            onChange={(e) =>
              void navigate({ to: '/runs', search: e.target.value ? { status: e.target.value } : {} })
            }
          >
            <option value="">all</option>
            <ValueOptions values={RunStatusSchema.options} />
          </select>
        </label>
        <label>
          Search{' '}
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="name, id, method, model"
          />
        </label>
        <button
          type="button"
          disabled={selected.length < 2}
          onClick={() => void navigate({ to: '/compare', search: { ids: selected.join(',') } })}
        >
          Compare selected ({selected.length})
        </button>
      </div>
      <Loadable query={runs} label="runs">
        {(list) => {
          const needle = search.trim().toLowerCase();
          const shown = needle
            ? list.filter((r) =>
                [r.id, r.name ?? '', r.config.method, r.config.baseModel].some((v) =>
                  v.toLowerCase().includes(needle),
                ),
              )
            : list;
          if (shown.length === 0) return <p className="empty">No runs match. Create one with “New run”.</p>;
          return (
            <DataTable
              className="runs-table"
              columns={[
                { hidden: 'Select' },
                'Run',
                'Status',
                'Method',
                'Base model',
                'Progress',
                'Score',
                'Cost',
                'Created',
              ]}
            >
              {shown.map((run) => (
                <tr key={run.id} data-run-id={run.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${run.name ?? run.id} for comparison`}
                      checked={selected.includes(run.id)}
                      onChange={() => toggle(run.id)}
                    />
                  </td>
                  <td>
                    <Link to="/runs/$runId" params={{ runId: run.id }}>
                      {run.name ?? run.id}
                    </Link>
                  </td>
                  <td>
                    <StatusBadge status={run.status} />
                  </td>
                  <td>{run.config.method}</td>
                  <td>{run.config.baseModel}</td>
                  <td>
                    {run.progress
                      ? `${run.progress.phase} · iteration ${run.progress.iteration} · ${run.progress.requestsDone.toLocaleString()} / ${formatQuantity(run.progress.requestsTotal, 'request')}`
                      : '–'}
                  </td>
                  <td>
                    {run.result ? (
                      <Score
                        value={run.result.scores.final}
                        simulated={run.simulated}
                        scoring={run.config.scoring}
                      />
                    ) : (
                      '–'
                    )}
                  </td>
                  <td>{formatUsd(run.result?.costUsd ?? run.progress?.costUsd)}</td>
                  <td>{formatDate(run.createdAt)}</td>
                </tr>
              ))}
            </DataTable>
          );
        }}
      </Loadable>
    </section>
  );
}
