import type { Budget, ExperimentRecord } from '@metaspo/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { ProgressBar, SimulatedTag, Stat, StatusBadge } from '../components/bits.js';
import { DataTable } from '../components/DataTable.js';
import { Panel } from '../components/Panel.js';
import { ErrorNote, Loadable } from '../components/QueryState.js';
import { useExperimentLive } from '../lib/experiment-live.js';
import { durationText, planCostText } from '../lib/experiment-view.js';
import { formatCount, formatDate } from '../lib/format.js';
import { useTRPC } from '../trpc.js';
import { ExperimentPlanView } from './ExperimentPlan.js';
import { ExperimentReportView } from './ExperimentReport.js';

const ACTIVE: ReadonlyArray<ExperimentRecord['status']> = ['created', 'running'];
const RESUMABLE: ReadonlyArray<ExperimentRecord['status']> = ['cancelled', 'failed', 'budget-exceeded'];

const route = getRouteApi('/experiments/$experimentId');

export function ExperimentDetailPage() {
  const { experimentId: id } = route.useParams();
  const trpc = useTRPC();
  const record = useQuery({
    ...trpc.optimizer.experiments.get.queryOptions({ id }),
    // The events drive the page; the poll catches a run in another process that sends none here.
    refetchInterval: (query) =>
      query.state.data && ACTIVE.includes(query.state.data.status) ? 3_000 : false,
  });
  return (
    <section>
      <Loadable query={record} label="the experiment">
        {(experiment) => <ExperimentView experiment={experiment} />}
      </Loadable>
    </section>
  );
}

function ExperimentView({ experiment }: { experiment: ExperimentRecord }) {
  const active = ACTIVE.includes(experiment.status);
  const live = useExperimentLive(experiment.id, active);
  const progress = live.progress ?? experiment.progress;
  const { config } = experiment;
  return (
    <>
      <div className="page-title">
        <h1>
          {experiment.name} <SimulatedTag simulated={experiment.simulated} />
        </h1>
        <Link to="/experiments">All experiments</Link>
      </div>
      <dl className="stats">
        <Stat term="Status" testId="experiment-status">
          <StatusBadge status={experiment.status} />
        </Stat>
        <Stat term="Id">
          <code>{experiment.id}</code>
        </Stat>
        <Stat term="Models">
          base <code>{config.baseModel}</code>, optimizer <code>{config.optimizerModel}</code>
        </Stat>
        <Stat term="Methods">{config.methods.join(', ')}</Stat>
        <Stat term="Created">{formatDate(experiment.createdAt)}</Stat>
        <Stat term="Finished">{formatDate(experiment.finishedAt)}</Stat>
      </dl>
      {experiment.error && <p className="field-error">{experiment.error}</p>}
      <Panel id="experiment-progress" title="Progress">
        <div className="stack" data-testid="experiment-progress">
          <ProgressBar
            done={progress.requestsDone}
            total={progress.requestsPlanned}
            label="Experiment progress"
          />
          <dl className="stats">
            <Stat term="Cells" testId="experiment-cells">
              {formatCount(progress.cellsDone)} / {formatCount(progress.cellsTotal)}
            </Stat>
            <Stat term="Cost so far" testId="experiment-cost">
              {planCostText(progress.costUsd)} <SimulatedTag simulated={experiment.simulated} />
            </Stat>
            <Stat term="Time left" testId="experiment-eta">
              {active ? durationText(progress.etaSeconds) : '–'}
            </Stat>
            <Stat term="Current cell">
              {progress.currentCell ? <code>{progress.currentCell}</code> : '–'}
            </Stat>
          </dl>
          <ExperimentActions experiment={experiment} />
        </div>
      </Panel>
      {experiment.status === 'completed' && <ExperimentReportView id={experiment.id} />}
      <details className="panel">
        <summary>Plan made before the start</summary>
        <ExperimentPlanView plan={experiment.plan} />
      </details>
      <details className="panel">
        <summary>Cells ({experiment.cells.length})</summary>
        <DataTable columns={['Cell', 'Kind', 'Domain', 'Method', 'Status', 'Run or meta-test']}>
          {experiment.cells.map((cell) => (
            <tr key={cell.key}>
              <td>
                <code>{cell.key}</code>
              </td>
              <td>{cell.kind}</td>
              <td>{cell.domain}</td>
              <td>{cell.method ?? 'every method'}</td>
              <td>
                <StatusBadge status={cell.status} />
              </td>
              <td>
                {cell.runId && (
                  <Link to="/runs/$runId" params={{ runId: cell.runId }}>
                    {cell.runId}
                  </Link>
                )}
                {cell.metaTestId && (
                  <Link to="/meta-test" search={{ id: cell.metaTestId }}>
                    {cell.metaTestId}
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      </details>
    </>
  );
}

function ExperimentActions({ experiment }: { experiment: ExperimentRecord }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries(trpc.optimizer.experiments.pathFilter());
  const cancel = useMutation(trpc.optimizer.experiments.cancel.mutationOptions({ onSettled: refresh }));
  const resume = useMutation(trpc.optimizer.experiments.resume.mutationOptions({ onSettled: refresh }));
  const id = experiment.id;
  return (
    <div className="actions">
      {ACTIVE.includes(experiment.status) && (
        <button
          type="button"
          className="danger"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate({ id })}
        >
          {cancel.isPending ? 'Cancelling…' : 'Cancel experiment'}
        </button>
      )}
      {RESUMABLE.includes(experiment.status) && experiment.status !== 'budget-exceeded' && (
        <button
          type="button"
          className="primary"
          disabled={resume.isPending}
          onClick={() => resume.mutate({ id })}
        >
          {resume.isPending ? 'Resuming…' : 'Resume experiment'}
        </button>
      )}
      {experiment.status === 'budget-exceeded' && (
        <BudgetResume
          current={experiment.config.budget}
          busy={resume.isPending}
          onResume={(budget) => resume.mutate({ id, budget })}
        />
      )}
      {cancel.error && <ErrorNote error={cancel.error} />}
      {resume.error && <ErrorNote error={resume.error} />}
    </div>
  );
}

/** A budget stop resumes only with a higher budget: the new limits replace the experiment's. */
function BudgetResume({
  current,
  busy,
  onResume,
}: {
  current: ExperimentRecord['config']['budget'];
  busy: boolean;
  onResume: (budget: Budget) => void;
}) {
  const [maxCalls, setMaxCalls] = useState(current?.maxCalls ? String(current.maxCalls * 2) : '');
  const [maxUsd, setMaxUsd] = useState(current?.maxUsd ? String(current.maxUsd * 2) : '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onResume({
      ...(maxCalls.trim() ? { maxCalls: Number(maxCalls) } : {}),
      ...(maxUsd.trim() ? { maxUsd: Number(maxUsd) } : {}),
    });
  };
  return (
    <form className="extra-prompt" onSubmit={submit} aria-label="Resume with a higher budget">
      <span className="muted">It stopped at its budget: resume with a higher one.</span>
      <label className="field">
        Max requests
        <input
          type="number"
          min={1}
          step={1}
          value={maxCalls}
          onChange={(e) => setMaxCalls(e.target.value)}
        />
      </label>
      <label className="field">
        Max USD
        <input type="number" min={0} step="any" value={maxUsd} onChange={(e) => setMaxUsd(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy || (!maxCalls.trim() && !maxUsd.trim())}>
        {busy ? 'Resuming…' : 'Resume with this budget'}
      </button>
    </form>
  );
}
