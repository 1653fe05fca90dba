import { type Race, type RaceRound, summarizeRace } from '@metaspo/schemas';
import { useQuery } from '@tanstack/react-query';
import { DataTable } from '../components/DataTable.js';
import { Panel } from '../components/Panel.js';
import { Loadable } from '../components/QueryState.js';
import { formatScore } from '../lib/format.js';
import {
  aliveText,
  boundText,
  entrantRows,
  outcomeText,
  racesByIteration,
  racesTotalText,
  raceTitle,
  roundText,
} from '../lib/race-view.js';
import { useTRPC } from '../trpc.js';

const BOUND_MEANING =
  'Upper confidence bound of (this mean − a leader’s mean), the largest over the leaders: below 0, the candidate is confidently worse and is dropped. Contestants already scored on the whole sample are never dropped.';

function RoundTable({ round, scope }: { round: RaceRound; scope: string }) {
  return (
    <div className="race-round" data-testid="race-round" data-round={round.round}>
      <h4>{roundText(round)}</h4>
      <DataTable columns={['Contestant', 'Prefix mean', 'Upper bound vs leader', 'Outcome']}>
        {entrantRows(round, scope).map((row) => (
          <tr
            key={row.id}
            data-contestant={row.id}
            className={row.dropped ? 'dropped' : row.leader ? 'race-leader' : undefined}
          >
            <td
              title={row.fixed ? 'scored on the whole sample before the race' : `candidate index ${row.id}`}
            >
              {row.label}
            </td>
            <td>{formatScore(row.mean)}</td>
            <td title={BOUND_MEANING}>{boundText(row.upper)}</td>
            <td>{outcomeText(row)}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

function RaceDetails({ race }: { race: Race }) {
  const summary = summarizeRace(race);
  return (
    <details className="race" data-testid="race" data-scope={race.scope}>
      <summary>
        <strong>{raceTitle(race.scope)}</strong> <code>{race.scope}</code>{' '}
        <span
          data-testid="race-alive"
          title="candidates evaluated per round, then those that finished on the whole sample"
        >
          {aliveText(summary)}
        </span>
        <span className="muted">
          {' '}
          · prefixes of <span data-testid="race-sizes">{summary.sizes.join(', ')}</span> examples per task ·{' '}
          {summary.requests.toLocaleString()} requests in rounds ({summary.cached.toLocaleString()} cached)
        </span>
      </summary>
      {race.rounds.map((round) => (
        <RoundTable key={round.round} round={round} scope={race.scope} />
      ))}
    </details>
  );
}

/**
 * A racing run's races (`optimizer.runs.races`), by iteration: how many candidates each round
 * kept, and on opening a race its rounds' entrants. The live hook refetches it with the run.
 */
export function RunRaces({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const races = useQuery(trpc.optimizer.runs.races.queryOptions({ id: runId }));
  return (
    <Panel id="races" title="Races">
      <Loadable query={races} label="races">
        {(list) =>
          list.length === 0 ? (
            <p className="empty">No race has run yet.</p>
          ) : (
            <>
              <p data-testid="races-total">{racesTotalText(list)}</p>
              <p className="legend">
                Candidates are scored in rounds on growing prefixes of each task's train sample; one
                confidently worse than the leaders stops there, the others finish on the whole sample, so the
                choice compares full-sample means. The requests here are the rounds'; the finishers'
                whole-sample evaluations come on top (both are in the run's counts).
              </p>
              {racesByIteration(list).map((group) => (
                <div key={group.iteration ?? 'other'} className="race-iteration">
                  <h3>{group.iteration === null ? 'Other races' : `Iteration ${group.iteration}`}</h3>
                  {group.races.map((race) => (
                    <RaceDetails key={race.scope} race={race} />
                  ))}
                </div>
              ))}
            </>
          )
        }
      </Loadable>
    </Panel>
  );
}
