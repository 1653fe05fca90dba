import type { DatasetSummary, TaskSpec } from '@metaspo/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable } from '../components/DataTable.js';
import { ValueOptions } from '../components/Options.js';
import { Panel } from '../components/Panel.js';
import { ErrorNote, Loadable } from '../components/QueryState.js';
import { formatCount } from '../lib/format.js';
import { useTRPC } from '../trpc.js';
import { ExampleBrowser } from './DatasetExamples.js';
import { ImportForm } from './DatasetImport.js';

function FetchDomainButton({ domain }: { domain: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fetchDomain = useMutation(
    trpc.datasets.fetch.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.datasets.pathFilter()),
    }),
  );
  return (
    <span className="inline-actions">
      <button type="button" disabled={fetchDomain.isPending} onClick={() => fetchDomain.mutate({ domain })}>
        {fetchDomain.isPending ? 'Fetching…' : `Fetch ${domain}`}
      </button>
      {fetchDomain.data && (
        <small className="muted">
          {fetchDomain.data.tasks.length} tasks fetched
          {fetchDomain.data.unavailable.length > 0 && `, ${fetchDomain.data.unavailable.length} unavailable`}
        </small>
      )}
      {fetchDomain.error && <ErrorNote error={fetchDomain.error} />}
    </span>
  );
}

function TaskTable({ tasks, summaries }: { tasks: TaskSpec[]; summaries: Map<string, DatasetSummary> }) {
  const byDomain = new Map<string, TaskSpec[]>();
  for (const task of tasks) byDomain.set(task.domain, [...(byDomain.get(task.domain) ?? []), task]);
  return (
    <>
      {[...byDomain.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([domain, list]) => (
          <section key={domain} className="panel" aria-label={`Domain ${domain}`}>
            <div className="page-title">
              <h2>
                {domain} <span className="muted">({list.length} tasks)</span>
              </h2>
              {domain !== 'procedural' && domain !== 'custom' && <FetchDomainButton domain={domain} />}
            </div>
            <DataTable columns={['Task', 'Answer', 'Metric', 'Train / test', 'Source', 'License']}>
              {list.map((task) => {
                const summary = summaries.get(task.id);
                return (
                  <tr key={task.id}>
                    <td title={task.description}>{task.id}</td>
                    <td>{task.answerType.kind}</td>
                    <td>{task.metric}</td>
                    <td>
                      {summary
                        ? `${formatCount(summary.counts.train)} / ${formatCount(summary.counts.test)}`
                        : task.available
                          ? 'not fetched'
                          : `unavailable${task.unavailableReason ? `: ${task.unavailableReason}` : ''}`}
                    </td>
                    <td className="wrap">
                      {summary?.origin ?? task.importer}
                      {task.source?.repository && ` · ${task.source.repository}`}
                    </td>
                    <td>{task.source?.license ?? '–'}</td>
                  </tr>
                );
              })}
            </DataTable>
          </section>
        ))}
    </>
  );
}

export function DatasetsPage() {
  const trpc = useTRPC();
  const tasks = useQuery(trpc.datasets.tasks.list.queryOptions(undefined));
  const summaries = useQuery(trpc.datasets.datasets.list.queryOptions());
  const [browsing, setBrowsing] = useState('');
  return (
    <section>
      <h1>Datasets</h1>
      <Loadable query={tasks} label="tasks">
        {(list) => (
          <>
            <Panel id="examples" title="Examples">
              <label htmlFor="examples-task">Task</label>{' '}
              <select id="examples-task" value={browsing} onChange={(e) => setBrowsing(e.target.value)}>
                <option value="">choose a task</option>
                <ValueOptions values={list.map((t) => t.id)} />
              </select>
              {browsing && <ExampleBrowser key={browsing} taskId={browsing} />}
            </Panel>
            {summaries.isError && (
              <ErrorNote error={summaries.error} onRetry={() => void summaries.refetch()} />
            )}
            <TaskTable tasks={list} summaries={new Map((summaries.data ?? []).map((s) => [s.taskId, s]))} />
          </>
        )}
      </Loadable>
      <Panel id="import" title="Import a file">
        <ImportForm />
      </Panel>
    </section>
  );
}
