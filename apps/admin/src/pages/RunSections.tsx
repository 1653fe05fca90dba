import type { NodeRecord, RunEvent, Scoring } from '@metaspo/schemas';
import { useState } from 'react';
import { PromptText, Score } from '../components/bits.js';
import { DataTable } from '../components/DataTable.js';
import { Panel } from '../components/Panel.js';
import { PromptDiff } from '../components/PromptDiff.js';
import { lineageByTask, type SystemPromptStep } from '../lib/run-series.js';

/** The system prompts of successive iterations, with a word diff of one step against the one before. */
export function SystemPromptHistory({ history }: { history: SystemPromptStep[] }) {
  const [picked, setPicked] = useState<number | null>(null);
  const index = picked ?? history.length - 1;
  const after = history[index];
  const before = history[index - 1];
  return (
    <Panel id="history" title="System prompt changes">
      {history.length < 2 ? (
        <p className="empty">The system prompt has not changed yet.</p>
      ) : (
        <>
          <label>
            Change{' '}
            <select value={index} onChange={(e) => setPicked(Number(e.target.value))}>
              {history.slice(1).map((step, i) => (
                <option key={`${step.iteration}-${i + 1}`} value={i + 1}>
                  {`#${i + 1}: after iteration ${step.iteration}`}
                </option>
              ))}
            </select>
          </label>
          {after && before && (
            <PromptDiff before={before.prompt} after={after.prompt} label="System prompt diff" />
          )}
          <p className="legend">
            <del>removed</del> <ins>added</ins>
          </p>
        </>
      )}
    </Panel>
  );
}

/** Per task, the user prompts the run tried with their scores and parents. */
export function NodeLineage({
  nodes,
  simulated,
  scoring,
}: {
  nodes: NodeRecord[];
  simulated: boolean;
  scoring: Scoring;
}) {
  const byTask = lineageByTask(nodes);
  const shortId = (id: string | null) => (id ? id.slice(-6) : '–');
  return (
    <Panel id="lineage" title="User prompt lineage per task">
      {byTask.size === 0 && <p className="empty">No user prompts yet.</p>}
      {[...byTask.entries()].map(([taskId, list]) => (
        <details key={taskId} className="lineage">
          <summary>
            {taskId} <span className="muted">({list.length} prompts)</span>
          </summary>
          <DataTable columns={['Iter.', 'Node', 'Parent', 'User prompt', 'Train', 'Test']}>
            {list.map((node) => (
              <tr key={node.id} className={node.droppedReason ? 'dropped' : undefined}>
                <td>{node.iteration}</td>
                <td title={node.id}>{shortId(node.id)}</td>
                <td title={node.parentId ?? undefined}>{shortId(node.parentId)}</td>
                <td className="prompt-cell">
                  <PromptText text={node.userPrompt} />
                  {node.droppedReason && <small className="field-error">dropped: {node.droppedReason}</small>}
                </td>
                <td>
                  <Score value={node.trainScore} simulated={simulated} scoring={scoring} />
                </td>
                <td>
                  <Score value={node.testScore} simulated={simulated} scoring={scoring} />
                </td>
              </tr>
            ))}
          </DataTable>
        </details>
      ))}
    </Panel>
  );
}

type DroppedEvent = Extract<RunEvent, { type: 'candidate-dropped' }>;

/**
 * Candidates that never reached evaluation, and why (from the store, plus live events not yet
 * stored). A race's drops are evaluated ones: `races` points to the section that lists them.
 */
export function DroppedCandidates({
  nodes,
  liveDropped,
  races,
}: {
  nodes: NodeRecord[];
  liveDropped: DroppedEvent[];
  races: boolean;
}) {
  const stored = nodes.filter((n) => n.droppedReason !== null);
  const rows = [
    ...stored.map((n) => ({
      key: n.id,
      phase: n.phase,
      iteration: n.iteration,
      taskId: n.taskId,
      kind: n.kind,
      reason: n.droppedReason ?? '',
    })),
    ...(stored.length === 0
      ? liveDropped.map((e) => ({
          key: `event-${e.seq}`,
          phase: e.phase,
          iteration: e.iteration,
          taskId: e.taskId,
          kind: e.taskId ? 'user' : 'system',
          reason: e.reason,
        }))
      : []),
  ];
  return (
    <Panel id="dropped" title={`Dropped candidates (${rows.length})`}>
      {races && <p className="muted">Candidates a race stopped after a prefix are under Races.</p>}
      {rows.length === 0 ? (
        <p className="empty">No candidate was dropped before evaluation.</p>
      ) : (
        <DataTable columns={['Phase', 'Iter.', 'Kind', 'Task', 'Why']}>
          {rows.map((row) => (
            <tr key={row.key}>
              <td>{row.phase}</td>
              <td>{row.iteration}</td>
              <td>{row.kind}</td>
              <td>{row.taskId ?? 'all tasks'}</td>
              <td>{row.reason}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Panel>
  );
}
