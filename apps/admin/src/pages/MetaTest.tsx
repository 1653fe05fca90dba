import type { MetaTestKind, MetaTestRecord, SystemPromptOrigin } from '@metaspo/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ScoringTag, SimulatedTag, StatusBadge } from '../components/bits.js';
import { RunOptions } from '../components/Options.js';
import { Panel } from '../components/Panel.js';
import { ErrorNote, Loadable } from '../components/QueryState.js';
import { formatDate } from '../lib/format.js';
import { href, navigate } from '../lib/hash-route.js';
import { useTRPC } from '../trpc.js';
import { AdaptationCurves, UnseenTable } from './MetaTestResults.js';

const SYSTEM_PROMPT_ORIGIN: Record<SystemPromptOrigin, string> = {
  reference: "the reference's prompt file",
  builtin: "the platform's own text: the reference's file is not fetched",
  optimized: 'optimized by the run',
  input: 'given when the meta-test started',
};

function StartMetaTest({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runs = useQuery(trpc.optimizer.runs.list.queryOptions({ status: 'completed', limit: 200 }));
  const [kind, setKind] = useState<MetaTestKind>('unseen');
  const [fromRun, setFromRun] = useState(runId);
  const start = useMutation(
    trpc.optimizer.metaTests.start.mutationOptions({
      onSuccess: async (record) => {
        await queryClient.invalidateQueries(trpc.optimizer.metaTests.pathFilter());
        navigate(href('meta-test', { run: record.runId ?? '', id: record.id }));
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate(fromRun ? { kind, runId: fromRun } : { kind });
  };
  return (
    <form className="toolbar" onSubmit={submit} aria-label="Start a meta-test">
      <label>
        Kind{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value === 'adapt' ? 'adapt' : 'unseen')}>
          <option value="unseen">unseen generalization</option>
          <option value="adapt">test-time adaptation</option>
        </select>
      </label>
      <label>
        From run{' '}
        <select value={fromRun} onChange={(e) => setFromRun(e.target.value)}>
          <option value="">fixed prompts only</option>
          <RunOptions runs={runs.data ?? []} />
        </select>
      </label>
      <button type="submit" className="primary" disabled={start.isPending}>
        {start.isPending ? 'Starting…' : 'Start meta-test'}
      </button>
      {start.error && <ErrorNote error={start.error} />}
    </form>
  );
}

/** A stopped meta-test runs again under its id; what it computed comes back from the cache. */
function ResumeMetaTest({ test }: { test: MetaTestRecord }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const resume = useMutation(
    trpc.optimizer.metaTests.resume.mutationOptions({
      onSettled: () => queryClient.invalidateQueries(trpc.optimizer.metaTests.pathFilter()),
    }),
  );
  if (test.status !== 'failed' && test.status !== 'cancelled') return null;
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
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 2_000 : false),
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
            {test.taskIds.length} tasks · {test.systemPrompts.length} system prompts · {test.calls} calls ·{' '}
            <ScoringTag scoring={test.scoring} /> scoring · started {formatDate(test.createdAt)}
          </p>
          {test.error && <ErrorNote error={new Error(test.error)} />}
          <ResumeMetaTest test={test} />
          {test.status === 'running' && <p role="status">Running… results appear when it finishes.</p>}
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

export function MetaTestPage({ params }: { params: URLSearchParams }) {
  const trpc = useTRPC();
  const runId = params.get('run') ?? '';
  const selected = params.get('id');
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
                    <a
                      href={href('meta-test', { run: runId, id: t.id })}
                      aria-current={t.id === selected ? 'true' : undefined}
                    >
                      {t.kind} · {formatDate(t.createdAt)}
                    </a>{' '}
                    <StatusBadge status={t.status} />{' '}
                    <span className="muted">{t.runId ?? 'fixed prompts'}</span>
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
