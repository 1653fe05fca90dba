import type { RunRecord } from '@metaspo/schemas';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ProgressBar, Score, Stat, StatusBadge } from '../components/bits.js';
import { DataTable } from '../components/DataTable.js';
import { Panel } from '../components/Panel.js';
import { Loadable } from '../components/QueryState.js';
import {
  CALLS_MEANING,
  formatCallsCached,
  formatDate,
  formatQuantity,
  formatUsd,
  isToday,
} from '../lib/format.js';
import { useTRPC } from '../trpc.js';

function runCost(run: RunRecord): number | null {
  return run.result?.costUsd ?? run.progress?.costUsd ?? null;
}

function ActiveRuns({ runs }: { runs: RunRecord[] }) {
  const active = runs.filter((r) => r.status === 'running' || r.status === 'created');
  if (active.length === 0) return <p className="empty">No run in progress.</p>;
  return (
    <ul className="cards">
      {active.map((run) => (
        <li key={run.id} className="card">
          <Link to="/runs/$runId" params={{ runId: run.id }}>
            {run.name ?? run.id}
          </Link>{' '}
          <StatusBadge status={run.status} />
          {run.progress ? (
            <>
              <p className="muted">
                {run.progress.phase} · iteration {run.progress.iteration}
                {run.progress.taskId && <> · {run.progress.taskId}</>} · {formatUsd(run.progress.costUsd)}
              </p>
              <ProgressBar
                done={run.progress.requestsDone}
                total={run.progress.requestsTotal}
                label={`Progress of ${run.name ?? run.id}`}
              />
            </>
          ) : (
            <p className="muted">waiting to start</p>
          )}
        </li>
      ))}
    </ul>
  );
}

function Spend({ runs }: { runs: RunRecord[] }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.llm.usage.queryOptions({}));
  const today = runs.filter((r) => isToday(r.createdAt)).map(runCost);
  const todayKnown = today.filter((c): c is number => c !== null);
  return (
    <>
      <dl className="stats">
        <Stat term="Spend today (runs created today)">
          {formatUsd(todayKnown.reduce((a, b) => a + b, 0))}
        </Stat>
        <Stat term="Spend, all time">{usage.data ? formatUsd(usage.data.totals.costUsd) : '–'}</Stat>
        <Stat term="Calls">
          <span title={CALLS_MEANING}>{formatCallsCached(usage.data?.totals)}</span>
        </Stat>
      </dl>
      <Loadable query={usage} label="usage">
        {(report) =>
          report.byModel.length === 0 ? (
            <p className="empty">No model calls yet.</p>
          ) : (
            <DataTable columns={['Model', 'Calls', 'From the cache', 'Cost']}>
              {report.byModel.map((row) => (
                <tr key={row.model}>
                  <td>{row.model}</td>
                  <td>{formatQuantity(row.calls, 'call')}</td>
                  <td>{formatQuantity(row.cachedCalls, 'call')}</td>
                  <td>{formatUsd(row.costUsd)}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loadable>
    </>
  );
}

function ProviderHealth() {
  const trpc = useTRPC();
  const health = useQuery({ ...trpc.llm.health.queryOptions(), refetchInterval: 10_000 });
  const models = useQuery(trpc.llm.models.queryOptions());
  return (
    <>
      <Loadable query={health} label="gateway health">
        {(h) => (
          <p>
            Gateway{' '}
            <span className={h.ok ? 'status status-completed' : 'status status-failed'}>
              {h.ok ? 'ok' : 'degraded'}
            </span>{' '}
            · {h.inFlightCalls} in flight · {h.queuedCalls} queued
          </p>
        )}
      </Loadable>
      <Loadable query={models} label="providers">
        {(report) => (
          <ul className="chips">
            {report.providers.map((p) => (
              <li key={`${p.provider}@${p.endpoint ?? ''}`} className={p.configured ? 'chip ok' : 'chip off'}>
                {p.provider}
                {p.endpoint && `@${p.endpoint}`}:{' '}
                {p.configured ? 'configured' : `not configured${p.missing ? ` (${p.missing})` : ''}`}
              </li>
            ))}
          </ul>
        )}
      </Loadable>
    </>
  );
}

export function OverviewPage() {
  const trpc = useTRPC();
  const runs = useQuery({ ...trpc.optimizer.runs.list.queryOptions({ limit: 100 }), refetchInterval: 3_000 });
  return (
    <section>
      <h1>Overview</h1>
      <div className="grid-2">
        <Panel id="active" title="In progress">
          <Loadable query={runs} label="runs">
            {(list) => <ActiveRuns runs={list} />}
          </Loadable>
        </Panel>
        <Panel id="health" title="Providers">
          <ProviderHealth />
        </Panel>
        <Panel id="recent" title="Recent runs">
          <Loadable query={runs} label="runs">
            {(list) =>
              list.length === 0 ? (
                <p className="empty">
                  No runs yet. <Link to="/runs/new">Create one</Link>.
                </p>
              ) : (
                <ul className="plain-list">
                  {list.slice(0, 8).map((run) => (
                    <li key={run.id}>
                      <Link to="/runs/$runId" params={{ runId: run.id }}>
                        {run.name ?? run.id}
                      </Link>{' '}
                      <StatusBadge status={run.status} />{' '}
                      {run.result && (
                        <Score
                          value={run.result.scores.final}
                          simulated={run.simulated}
                          scoring={run.config.scoring}
                        />
                      )}{' '}
                      <span className="muted">{formatDate(run.createdAt)}</span>
                    </li>
                  ))}
                </ul>
              )
            }
          </Loadable>
        </Panel>
        <Panel id="spend" title="Spend">
          <Loadable query={runs} label="runs">
            {(list) => <Spend runs={list} />}
          </Loadable>
        </Panel>
      </div>
    </section>
  );
}
