import { RESUMABLE_STATUSES, type RunRecord } from '@metaspo/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { stringify } from 'yaml';
import { ProgressBar, PromptText, Score, SimulatedTag, Stat, StatusBadge } from '../components/bits.js';
import { Panel } from '../components/Panel.js';
import { ErrorNote, Loadable } from '../components/QueryState.js';
import { ScoreChart } from '../components/ScoreChart.js';
import { formatCallsCached, formatCount, formatDate, formatUsd } from '../lib/format.js';
import { href } from '../lib/hash-route.js';
import { currentBestSystemPrompt, systemPromptHistory, trainScoreSeries } from '../lib/run-series.js';
import { useRunLive } from '../lib/use-run-live.js';
import { useTRPC, useTRPCClient } from '../trpc.js';
import { DroppedCandidates, NodeLineage, SystemPromptHistory } from './RunSections.js';

const LIVE_STATUSES = new Set(['created', 'running']);

function RunActions({ run }: { run: RunRecord }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(trpc.optimizer.runs.pathFilter());
  const cancel = useMutation(trpc.optimizer.runs.cancel.mutationOptions({ onSettled: refresh }));
  const resume = useMutation(trpc.optimizer.runs.resume.mutationOptions({ onSettled: refresh }));
  const exportRun = useMutation({
    mutationFn: async () => {
      const data = await client.optimizer.runs.export.query({ id: run.id });
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `run-${run.id}.json`;
      link.click();
      URL.revokeObjectURL(link.href);
    },
  });
  const error = cancel.error ?? resume.error ?? exportRun.error;
  return (
    <div className="actions">
      <button
        type="button"
        disabled={!LIVE_STATUSES.has(run.status) || cancel.isPending}
        onClick={() => cancel.mutate({ id: run.id })}
      >
        Cancel
      </button>
      <button
        type="button"
        disabled={!RESUMABLE_STATUSES.includes(run.status) || resume.isPending}
        onClick={() => resume.mutate({ id: run.id })}
      >
        Resume
      </button>
      <button type="button" disabled={exportRun.isPending} onClick={() => exportRun.mutate()}>
        Export JSON
      </button>
      <a className="button" href={href('meta-test', { run: run.id })}>
        Meta-test…
      </a>
      {error && <ErrorNote error={error} />}
    </div>
  );
}

function RunCost({ run }: { run: RunRecord }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.llm.usage.queryOptions({ runId: run.id }));
  const cost = run.result?.costUsd ?? run.progress?.costUsd ?? usage.data?.totals.costUsd ?? null;
  return (
    <dl className="stats">
      <Stat term="Cost so far" testId="run-cost">
        {formatUsd(cost)}
      </Stat>
      <Stat term="Calls (cached)">{formatCallsCached(usage.data?.totals)}</Stat>
      <Stat term="Tokens in / out">
        {usage.data
          ? `${formatCount(usage.data.totals.promptTokens)} / ${formatCount(usage.data.totals.completionTokens)}`
          : '–'}
      </Stat>
    </dl>
  );
}

function RunBody({ run }: { run: RunRecord }) {
  const trpc = useTRPC();
  const live = useRunLive(run.id, LIVE_STATUSES.has(run.status));
  const nodes = useQuery(trpc.optimizer.nodes.list.queryOptions({ runId: run.id }));
  const nodeList = nodes.data ?? [];
  const series = useMemo(() => trainScoreSeries(nodeList), [nodeList]);
  const history = useMemo(() => systemPromptHistory(run, nodeList), [run, nodeList]);
  const progress = live.progress ?? run.progress;

  return (
    <>
      <Panel id="progress" title="Progress">
        {progress ? (
          <div data-testid="run-progress">
            <p>
              Phase <strong>{progress.phase}</strong>, iteration {progress.iteration}
              {progress.taskId && <>, task {progress.taskId}</>}
            </p>
            <ProgressBar done={progress.requestsDone} total={progress.requestsTotal} label="Requests done" />
          </div>
        ) : (
          <p>Not started.</p>
        )}
        {LIVE_STATUSES.has(run.status) && (
          <p className="muted">
            Live updates: {live.connection === 'pending' ? 'connected' : live.connection}
          </p>
        )}
        <RunCost run={run} />
        {run.result && (
          <dl className="stats">
            <Stat term="Initial score">
              <Score
                value={run.result.scores.initial}
                simulated={run.simulated}
                scoring={run.config.scoring}
              />
            </Stat>
            <Stat term="Final train score">
              <Score value={run.result.scores.final} simulated={run.simulated} scoring={run.config.scoring} />
            </Stat>
            <Stat term="Test score">
              <Score value={run.result.scores.test} simulated={run.simulated} scoring={run.config.scoring} />
            </Stat>
          </dl>
        )}
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
      <DroppedCandidates nodes={nodeList} liveDropped={live.dropped} />

      <details className="panel">
        <summary>Config</summary>
        <PromptText text={stringify(run.config, { lineWidth: 0 })} label="Run config" />
      </details>
    </>
  );
}

export function RunDetailPage({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const run = useQuery({
    ...trpc.optimizer.runs.get.queryOptions({ id: runId }),
    refetchInterval: (query) =>
      query.state.data && LIVE_STATUSES.has(query.state.data.status) ? 3_000 : false,
  });
  return (
    <section>
      <p className="breadcrumb">
        <a href={href('runs')}>Runs</a> / {runId}
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
