import { type RunRecord, racesCandidates } from '@metaspo/schemas';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useMemo } from 'react';
import { stringify } from 'yaml';
import { ProgressBar, PromptText, SimulatedTag, StatusBadge } from '../components/bits.js';
import { Panel } from '../components/Panel.js';
import { ErrorNote, Loadable } from '../components/QueryState.js';
import { ScoreChart } from '../components/ScoreChart.js';
import { formatDate, REQUESTS_MEANING } from '../lib/format.js';
import { currentBestSystemPrompt, systemPromptHistory, trainScoreSeries } from '../lib/run-series.js';
import { useRunLive } from '../lib/use-run-live.js';
import { useTRPC } from '../trpc.js';
import { LIVE_STATUSES, RunActions } from './RunActions.js';
import { RunScores, RunUsage } from './RunNumbers.js';
import { RunPhaseCalls } from './RunPhaseCalls.js';
import { RunRaces } from './RunRaces.js';
import { DroppedCandidates, NodeLineage, SystemPromptHistory } from './RunSections.js';

function RunBody({ run }: { run: RunRecord }) {
  const trpc = useTRPC();
  const live = useRunLive(run.id, LIVE_STATUSES.has(run.status));
  const nodes = useQuery(trpc.optimizer.nodes.list.queryOptions({ runId: run.id }));
  const nodeList = nodes.data ?? [];
  const series = useMemo(() => trainScoreSeries(nodeList), [nodeList]);
  const history = useMemo(() => systemPromptHistory(run, nodeList), [run, nodeList]);
  const progress = live.progress ?? run.progress;
  const racing = racesCandidates(run.config);

  return (
    <>
      <Panel id="progress" title="Progress">
        {progress ? (
          <div data-testid="run-progress" title={REQUESTS_MEANING}>
            <p>
              Phase <strong>{progress.phase}</strong>, iteration {progress.iteration}
              {progress.taskId && <>, task {progress.taskId}</>}
            </p>
            <ProgressBar done={progress.requestsDone} total={progress.requestsTotal} label="Requests done" />
            {racing && (
              <p className="muted" data-testid="racing-upper-bound">
                The planned total is an upper bound: candidates a race drops stop after a prefix.
              </p>
            )}
          </div>
        ) : (
          <p>Not started.</p>
        )}
        {LIVE_STATUSES.has(run.status) && (
          <p className="muted">
            Live updates: {live.connection === 'pending' ? 'connected' : live.connection}
          </p>
        )}
        <RunUsage run={run} />
        {run.result && <RunPhaseCalls runId={run.id} />}
        <RunScores run={run} />
        {run.error && <ErrorNote error={new Error(run.error)} />}
      </Panel>

      <Panel id="best" title={run.result ? 'Optimized system prompt' : 'Current best system prompt'}>
        <PromptText text={currentBestSystemPrompt(run, history)} label="Best system prompt" />
      </Panel>

      <Panel id="chart" title="Mean train score per iteration">
        <Loadable query={nodes} label="scores">
          {() => (
            <ScoreChart
              title="Train score (mean over tasks, and per task)"
              simulated={run.simulated}
              rows={series.rows}
              series={[
                { key: 'mean', label: 'mean', emphasis: true },
                ...series.taskIds.map((id) => ({ key: id, label: id })),
              ]}
            />
          )}
        </Loadable>
      </Panel>

      <SystemPromptHistory history={history} />
      <Loadable query={nodes} label="node lineage">
        {(list) => <NodeLineage nodes={list} simulated={run.simulated} scoring={run.config.scoring} />}
      </Loadable>
      <DroppedCandidates nodes={nodeList} liveDropped={live.dropped} races={racing} />
      {racing && <RunRaces runId={run.id} />}

      <details className="panel">
        <summary>Config</summary>
        <PromptText text={stringify(run.config, { lineWidth: 0 })} label="Run config" />
      </details>
    </>
  );
}

const route = getRouteApi('/runs/$runId');

export function RunDetailPage() {
  const { runId } = route.useParams();
  const trpc = useTRPC();
  const run = useQuery({
    ...trpc.optimizer.runs.get.queryOptions({ id: runId }),
    // The event stream carries progress; this poll keeps status and cost current if it drops.
    refetchInterval: (query) =>
      query.state.data && LIVE_STATUSES.has(query.state.data.status) ? 2_000 : false,
  });
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/runs">Runs</Link> / {runId}
      </p>
      <Loadable query={run} label="run">
        {(record) => (
          <>
            <div className="page-title">
              <h1>
                {record.name ?? record.id} <StatusBadge status={record.status} />{' '}
                <SimulatedTag simulated={record.simulated} />
              </h1>
              <RunActions run={record} />
            </div>
            <p className="muted">
              {record.config.method} · base {record.config.baseModel} · optimizer{' '}
              {record.config.optimizerModel} · created {formatDate(record.createdAt)}
              {record.finishedAt && <> · finished {formatDate(record.finishedAt)}</>}
            </p>
            <RunBody run={record} />
          </>
        )}
      </Loadable>
    </section>
  );
}
