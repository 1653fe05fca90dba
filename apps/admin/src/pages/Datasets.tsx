import type { DatasetSummary, FetchSources, TaskSpec } from '@metaspo/schemas';
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

/** How to give an offline server the files: the same folder layout `datasets fetch --from` reads. */
function OfflineHint({ domain }: { domain: string }) {
  return (
    <p className="hint">
      Without internet access the server needs the files in a folder laid out like the shared datasets folder
      (one folder per domain, the pinned files in it): start it with{' '}
      <code>metaspo serve --shared-datasets DIR</code> (or set <code>METASPO_SHARED_DATASETS</code>), or
      import on the server's machine with <code>metaspo datasets fetch --domain {domain} --from DIR</code>.
    </p>
  );
}

function FetchDomainButton({ domain, sources }: { domain: string; sources: FetchSources }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fetchDomain = useMutation(
    trpc.datasets.fetch.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.datasets.pathFilter()),
    }),
  );
  const local = sources.localDir !== null && sources.localDirFound;
  return (
    <div className="fetch-domain">
      <span className="inline-actions">
        <button type="button" disabled={fetchDomain.isPending} onClick={() => fetchDomain.mutate({ domain })}>
          {fetchDomain.isPending
            ? 'Fetching…'
            : local
              ? `Fetch ${domain} from the server's folder`
              : `Download ${domain}`}
        </button>
        <small className="muted">
          {local ? `reads ${sources.localDir}` : 'downloads the pinned public files'}
        </small>
        {fetchDomain.data && (
          <small className="muted">
            {fetchDomain.data.tasks.length} tasks fetched
            {fetchDomain.data.unavailable.length > 0 &&
              `, ${fetchDomain.data.unavailable.length} unavailable`}
          </small>
        )}
      </span>
      {sources.localDir !== null && !sources.localDirFound && (
        <p className="hint">
          The server's source folder {sources.localDir} does not exist, so files are downloaded.
        </p>
      )}
      {fetchDomain.error && (
        <>
          <ErrorNote error={fetchDomain.error} />
          {!local && <OfflineHint domain={domain} />}
        </>
      )}
    </div>
  );
}

function TaskTable({
  tasks,
  summaries,
  sources,
}: {
  tasks: TaskSpec[];
  summaries: Map<string, DatasetSummary>;
  /** Undefined while loading: no fetch button is offered until the server says what it can fetch. */
  sources: FetchSources | undefined;
}) {
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
              {sources?.catalogDomains.includes(domain) && (
                <FetchDomainButton domain={domain} sources={sources} />
              )}
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
  const sources = useQuery(trpc.datasets.fetchSources.queryOptions());
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
            {sources.isError && <ErrorNote error={sources.error} onRetry={() => void sources.refetch()} />}
            <TaskTable
              tasks={list}
              summaries={new Map((summaries.data ?? []).map((s) => [s.taskId, s]))}
              sources={sources.data}
            />
          </>
        )}
      </Loadable>
      <Panel id="import" title="Import a file">
        <ImportForm />
      </Panel>
    </section>
  );
}
