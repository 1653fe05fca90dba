import type { AdaptResult, Scoring, UnseenResult } from '@metaspo/schemas';
import { Score, ScoringTag, SimulatedTag } from '../components/bits.js';
import { ScoreChart } from '../components/ScoreChart.js';

function bestLabel(scores: Record<string, number>, labels: string[]): string | null {
  let best: string | null = null;
  for (const label of labels) {
    const value = scores[label];
    if (value !== undefined && (best === null || value > (scores[best] ?? -1))) best = label;
  }
  return best;
}

/** How every score of a meta-test was read and whether its base model is the simulator. */
interface ScoreContext {
  simulated: boolean;
  scoring: Scoring;
}

function ScoreRow({
  head,
  scores,
  labels,
  context,
  className,
}: {
  head: string;
  scores: Record<string, number>;
  labels: string[];
  context: ScoreContext;
  className?: string;
}) {
  const best = bestLabel(scores, labels);
  return (
    <tr className={className}>
      <th scope="row">{head}</th>
      {labels.map((label) => (
        <td
          key={label}
          data-label={label}
          className={label === best ? 'best-cell' : undefined}
          aria-label={label === best ? 'best' : undefined}
        >
          <Score value={scores[label]} simulated={context.simulated} scoring={context.scoring} />
        </td>
      ))}
    </tr>
  );
}

/** Tasks x system prompts, then domain averages and the overall mean; the best cell of each row is marked. */
export function UnseenTable({ result, context }: { result: UnseenResult; context: ScoreContext }) {
  return (
    <div className="table-wrap">
      <table className="unseen-table narrow-cards">
        <caption>
          Mean test score over each task's user prompts (reference: the reference's prompt file; generated:
          written by the optimizer model); the best cell of a row is highlighted.{' '}
          <ScoringTag scoring={context.scoring} /> <SimulatedTag simulated={context.simulated} />
        </caption>
        <thead>
          <tr>
            <th scope="col">Task</th>
            {result.labels.map((label) => (
              <th key={label} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.tasks.map((task) => (
            <ScoreRow
              key={task.taskId}
              head={`${task.taskId} (${task.domain}) · ${task.userPrompts.length} ${task.userPromptOrigin} user prompts`}
              scores={task.scores}
              labels={result.labels}
              context={context}
            />
          ))}
          {result.domainAverages.map((avg) => (
            <ScoreRow
              key={avg.domain}
              head={`${avg.domain} average`}
              scores={avg.scores}
              labels={result.labels}
              context={context}
              className="avg-row"
            />
          ))}
          <ScoreRow
            head="overall"
            scores={result.overall}
            labels={result.labels}
            context={context}
            className="total-row"
          />
        </tbody>
      </table>
    </div>
  );
}

/** Test score per iteration for each system prompt: the mean over tasks, then each task. */
export function AdaptationCurves({ result, simulated }: { result: AdaptResult; simulated: boolean }) {
  const series = result.labels.map((label) => ({ key: label, label }));
  const length = Math.max(0, ...Object.values(result.meanCurves).map((c) => c.length));
  const meanRows = Array.from({ length }, (_, iteration) => {
    const row: Record<string, number | null> = { iteration };
    for (const label of result.labels) row[label] = result.meanCurves[label]?.[iteration] ?? null;
    return row;
  });
  return (
    <div className="stack">
      <ScoreChart title="Mean test score over tasks" rows={meanRows} series={series} simulated={simulated} />
      <div className="grid-2">
        {result.tasks.map((task) => {
          const rows = new Map<number, Record<string, number | null>>();
          for (const curve of task.curves) {
            for (const point of curve.points) {
              const row = rows.get(point.iteration) ?? { iteration: point.iteration };
              row[curve.label] = point.testScore;
              rows.set(point.iteration, row);
            }
          }
          return (
            <div key={task.taskId}>
              <ScoreChart
                title={`${task.taskId}: test score per iteration`}
                rows={[...rows.values()].sort((a, b) => (a.iteration ?? 0) - (b.iteration ?? 0))}
                series={series}
                simulated={simulated}
              />
              <p className="muted">
                Iterations to reach the default prompt's final score:{' '}
                {task.curves.map((c) => `${c.label} ${c.iterationsToReachDefault ?? 'never'}`).join(' · ')}
              </p>
            </div>
          );
        })}
      </div>
    </div>
  );
}
