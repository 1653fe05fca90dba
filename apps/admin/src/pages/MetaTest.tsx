import type { MetaTestRecord, SystemPromptOrigin } from '@metaspo/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { ScoringTag, SimulatedTag, StatusBadge } from '../components/bits.js';
import { shortId } from '../components/Options.js';
import { Panel } from '../components/Panel.js';
import { ErrorNote, Loadable } from '../components/QueryState.js';
import { formatCount, formatDate } from '../lib/format.js';
import { useTRPC } from '../trpc.js';
import { MetaTestProgressView } from './MetaTestProgress.js';
import { AdaptationCurves, UnseenTable } from './MetaTestResults.js';
import { StartMetaTest } from './MetaTestStart.js';

const SYSTEM_PROMPT_ORIGIN: Record<SystemPromptOrigin, string> = {
  reference: "the reference's prompt file",
  builtin: "the platform's own text: the reference's file is not fetched",
  optimized: 'optimized by the run',
  input: 'given when the meta-test started',
};

/** A stopped meta-test runs again under its id; what it computed comes back from the cache. */
function ResumeMetaTest({ test }: { test: MetaTestRecord }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const resume = useMutation(
    trpc.optimizer.metaTests.resume.mutationOptions({
      onSettled: () => void queryClient.invalidateQueries(trpc.optimizer.metaTests.pathFilter()),
    }),
  );
  if (test.status === 'running' || test.status === 'completed') return null;
  return (
    <div className="actions">
      <button type="button" disabled={resume.isPending} onClick={() => resume.mutate({ id: test.id })}>
        Resume
      </button>
      {resume.error && <ErrorNote error={resume.error} />}
    </div>
  );
}

function MetaTestView({ id }: { id: string }) {
  const trpc = useTRPC();
  const record = useQuery({
    ...trpc.optimizer.metaTests.get.queryOptions({ id }),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1_000 : false),
  });
  const runId = record.data?.runId ?? null;
  const run = useQuery({
    ...trpc.optimizer.runs.get.queryOptions({ id: runId ?? '' }),
    enabled: runId !== null,
  });
  const simulated = run.data?.simulated ?? false;
  return (
    <Loadable query={record} label="meta-test">
      {(test: MetaTestRecord) => (
        <section className="panel" aria-label="Meta-test result">
          <h2>
            {test.kind === 'unseen' ? 'Unseen generalization' : 'Test-time adaptation'}{' '}
            <StatusBadge status={test.status} /> <SimulatedTag simulated={simulated} />
          </h2>
          <p className="muted">
            {test.taskIds.length} tasks ({test.taskIds.join(', ')}) · {test.systemPrompts.length} system
            prompts · {formatCount(test.progress?.calls ?? test.calls)} calls ·{' '}
            <ScoringTag scoring={test.scoring} /> scoring · started {formatDate(test.createdAt)}
          </p>
          {test.error && <ErrorNote error={new Error(test.error)} />}
          <ResumeMetaTest test={test} />
          {test.status === 'running' && <MetaTestProgressView test={test} />}
          {test.unseen && <UnseenTable result={test.unseen} context={{ simulated, scoring: test.scoring }} />}
          {test.adapt && <AdaptationCurves result={test.adapt} simulated={simulated} />}
          <details>
            <summary>System prompts</summary>
            <dl>
              {test.systemPrompts.map((p) => (
                <div key={p.label}>
                  <dt>
                    {p.label} <span className="muted">({SYSTEM_PROMPT_ORIGIN[p.origin]})</span>
                  </dt>
                  <dd>
                    <pre className="prompt">{p.prompt}</pre>
                  </dd>
                </div>
              ))}
            </dl>
          </details>
        </section>
      )}
    </Loadable>
  );
}

const route = getRouteApi('/meta-test');

export function MetaTestPage() {
  const trpc = useTRPC();
  const search = route.useSearch();
  const runId = search.run ?? '';
  const selected = search.id;
  const list = useQuery({
    ...trpc.optimizer.metaTests.list.queryOptions(runId ? { runId } : {}),
    refetchInterval: (query) => (query.state.data?.some((t) => t.status === 'running') ? 3_000 : false),
  });
  return (
    <section>
      <h1>Meta-test</h1>
      <Panel id="start" title="Start">
        <StartMetaTest runId={runId} />
      </Panel>
      <Panel id="tests" title={`Meta-tests${runId && ` of run ${runId}`}`}>
        <Loadable query={list} label="meta-tests">
          {(tests) =>
            tests.length === 0 ? (
              <p className="empty">No meta-test yet.</p>
            ) : (
              <ul className="plain-list">
                {tests.map((t) => (
                  <li key={t.id}>
                    <Link
                      to="/meta-test"
                      search={{ run: search.run, id: t.id }}
                      aria-current={t.id === selected ? 'true' : undefined}
                    >
                      {t.kind} · {formatDate(t.createdAt)} · {shortId(t.id)}
                    </Link>{' '}
                    <StatusBadge status={t.status} />{' '}
                    <span className="muted">
                      {t.runId ? `run ${shortId(t.runId)}` : 'fixed prompts'} · {t.taskIds.length} tasks
                    </span>
                  </li>
                ))}
              </ul>
            )
          }
        </Loadable>
      </Panel>
      {selected && <MetaTestView id={selected} />}
    </section>
  );
}
