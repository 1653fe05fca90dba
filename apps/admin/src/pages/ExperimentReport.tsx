import { type ExperimentReport, ScoringSchema } from '@metaspo/schemas';
import { useQuery } from '@tanstack/react-query';
import { ScoringTag, SimulatedTag } from '../components/bits.js';
import { DataTable } from '../components/DataTable.js';
import { Panel } from '../components/Panel.js';
import { Loadable } from '../components/QueryState.js';
import { ScoreChart } from '../components/ScoreChart.js';
import {
  adaptChart,
  differenceSign,
  differenceText,
  intervalText,
  planCostText,
  unseenRowLabel,
} from '../lib/experiment-view.js';
import { formatCount, formatScore } from '../lib/format.js';
import { useTRPC } from '../trpc.js';
import { ExperimentExport } from './ExperimentExport.js';

/** How the report's scores were read and whether they are simulated: beside every table. */
function ScoreLabels({ report }: { report: ExperimentReport }) {
  const scoring = ScoringSchema.safeParse(report.experiment.scoring);
  return (
    <span className="score-labels">
      {scoring.success ? (
        <ScoringTag scoring={scoring.data} />
      ) : (
        <span className="tag">{report.experiment.scoring}</span>
      )}{' '}
      <SimulatedTag simulated={report.experiment.simulated} />
    </span>
  );
}

export function ExperimentReportView({ id }: { id: string }) {
  const trpc = useTRPC();
  const report = useQuery({ ...trpc.optimizer.experiments.report.queryOptions({ id }), staleTime: 60_000 });
  return (
    <Loadable query={report} label="the report">
      {(data) => (
        <>
          {data.unseen && <UnseenTable report={data} rows={data.unseen} />}
          {data.unseen && data.methods.includes('metaspo') && (
            <MetaspoComparison report={data} rows={data.unseen} />
          )}
          {data.adapt && <AdaptSection report={data} adapt={data.adapt} />}
          <CostTable report={data} />
          <ExperimentExport id={id} />
        </>
      )}
    </Loadable>
  );
}

type UnseenRows = NonNullable<ExperimentReport['unseen']>;

function UnseenTable({ report, rows }: { report: ExperimentReport; rows: UnseenRows }) {
  const { bootstrap } = report;
  return (
    <Panel
      id="unseen"
      title={
        <>
          Unseen generalization <ScoreLabels report={report} />
        </>
      }
    >
      <p className="muted">
        Mean score over user prompts and test examples, with its {Math.round(bootstrap.level * 100)}% interval
        from a bootstrap over both ({formatCount(bootstrap.resamples)} resamples, seed {bootstrap.seed}). The
        best per row is marked ★.
      </p>
      <DataTable className="unseen-table" columns={['Task', ...report.methods]}>
        {rows.map((row) => (
          <tr
            key={`${row.kind}|${row.domain}|${row.taskId}`}
            className={row.kind === 'task' ? undefined : 'summary-row'}
            data-row-kind={row.kind}
          >
            <th scope="row">{unseenRowLabel(row)}</th>
            {report.methods.map((method) => {
              const cell = row.cells[method];
              const best = row.best.includes(method);
              return (
                <td
                  key={method}
                  className={best ? 'best-cell num' : 'num'}
                  data-method={method}
                  data-best={best ? 'true' : undefined}
                >
                  {cell ? intervalText(cell) : '–'}
                  {best && (
                    // An image with a name, not a hidden span: a positioned span would escape the
                    // table's scroll box and widen the page.
                    <span
                      className="best-mark"
                      role="img"
                      aria-label="best in this row"
                      title="Best in this row"
                    >
                      ★
                    </span>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </DataTable>
    </Panel>
  );
}

function MetaspoComparison({ report, rows }: { report: ExperimentReport; rows: UnseenRows }) {
  const others = report.methods.filter((m) => m !== 'metaspo');
  return (
    <Panel
      id="versus-metaspo"
      title={
        <>
          metaspo against each method <ScoreLabels report={report} />
        </>
      }
    >
      <p className="muted">
        Difference in points (metaspo minus the method) and its interval, from the same resamples: green where
        the whole interval is above zero, red where it is below.
      </p>
      <DataTable className="versus-table" columns={['Rows', ...others]}>
        {rows.map((row) => (
          <tr key={`${row.kind}|${row.domain}|${row.taskId}`} data-row-kind={row.kind}>
            <th scope="row">{unseenRowLabel(row)}</th>
            {others.map((method) => {
              const diff = row.versusMetaspo[method];
              return (
                <td
                  key={method}
                  className={diff ? `num diff-${differenceSign(diff)}` : 'num'}
                  data-method={method}
                >
                  {diff ? differenceText(diff) : '–'}
                </td>
              );
            })}
          </tr>
        ))}
      </DataTable>
    </Panel>
  );
}

function AdaptSection({
  report,
  adapt,
}: {
  report: ExperimentReport;
  adapt: NonNullable<ExperimentReport['adapt']>;
}) {
  const chart = adaptChart(adapt);
  const methods = Object.keys(adapt.meanCurves);
  return (
    <Panel
      id="adapt"
      title={
        <>
          Test-time adaptation <ScoreLabels report={report} />
        </>
      }
    >
      <div data-testid="adapt-chart">
        <ScoreChart
          rows={chart.rows}
          series={chart.series}
          title="Mean test score per iteration, over tasks and seeds"
          simulated={report.experiment.simulated}
        />
      </div>
      <DataTable
        className="adapt-table"
        columns={['Method', 'Final score', 'Iterations to reach default', 'Tasks that reach it']}
      >
        {methods.map((method) => {
          const curve = adapt.meanCurves[method] ?? [];
          const reach = adapt.iterationsToReachDefault[method];
          return (
            <tr key={method} data-method={method}>
              <th scope="row">{method}</th>
              <td className="num">{formatScore(curve.at(-1))}</td>
              <td className="num">{reach === null || reach === undefined ? 'never' : reach.toFixed(1)}</td>
              <td className="num">{formatScore(adapt.reachedShare[method])}</td>
            </tr>
          );
        })}
      </DataTable>
    </Panel>
  );
}

function CostTable({ report }: { report: ExperimentReport }) {
  return (
    <Panel
      id="experiment-cost-table"
      title={
        <>
          Cost and requests, planned and actual <SimulatedTag simulated={report.experiment.simulated} />
        </>
      }
    >
      <DataTable
        className="cost-table"
        columns={[
          'Method or meta-test',
          'Phase',
          'Planned requests',
          'Actual requests',
          'Planned cost',
          'Actual cost',
        ]}
      >
        {report.cost.map((row) => (
          <tr key={`${row.method}|${row.phase}`} data-method={row.method} data-phase={row.phase}>
            <td>{row.method}</td>
            <td>{row.phase}</td>
            <td className="num">{formatCount(row.plannedRequests)}</td>
            <td className="num">{formatCount(row.actualRequests)}</td>
            <td className="num">{planCostText(row.plannedUsd)}</td>
            <td className="num">{planCostText(row.actualUsd)}</td>
          </tr>
        ))}
      </DataTable>
    </Panel>
  );
}
