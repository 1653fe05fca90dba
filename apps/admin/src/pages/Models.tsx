import type { ProviderCheckState } from '@metaspo/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { PromptText, Stat } from '../components/bits.js';
import { DataTable } from '../components/DataTable.js';
import { RunOptions } from '../components/Options.js';
import { Panel } from '../components/Panel.js';
import { ErrorNote, Loadable } from '../components/QueryState.js';
import { formatCount, formatUsd } from '../lib/format.js';
import { useTRPC } from '../trpc.js';

function TestCall() {
  const trpc = useTRPC();
  const [model, setModel] = useState('sim:default');
  const [prompt, setPrompt] = useState('Say hello in five words.');
  const call = useMutation(trpc.llm.complete.mutationOptions());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    call.mutate({
      model,
      messages: [{ role: 'user', content: prompt }],
      cache: 'off',
      tag: 'admin-test-call',
    });
  };
  return (
    <form onSubmit={submit} className="stack" aria-label="Test call">
      <div className="field">
        <label htmlFor="test-model">Model</label>
        <input id="test-model" value={model} onChange={(e) => setModel(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="test-prompt">Prompt</label>
        <textarea id="test-prompt" rows={2} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
      </div>
      <div>
        <button type="submit" disabled={call.isPending}>
          {call.isPending ? 'Calling…' : 'Send test call'}
        </button>
      </div>
      {call.error && <ErrorNote error={call.error} />}
      {call.data && (
        <div>
          <p className="muted">
            {call.data.model} · {Math.round(call.data.latencyMs)} ms · {formatUsd(call.data.costUsd)} · finish{' '}
            {call.data.finishReason}
          </p>
          <PromptText text={call.data.text} label="Test call response" />
        </div>
      )}
    </form>
  );
}

const STATE_TEXT: Record<ProviderCheckState, string> = {
  ready: 'ready',
  unreachable: 'not running',
  error: 'error',
  'key-set': 'key set',
  'not-configured': 'not configured',
};

/** Each provider as a real check found it (local servers probed on each load and on "Check again"). */
function Providers() {
  const trpc = useTRPC();
  const models = useQuery(trpc.llm.models.queryOptions());
  const checks = useQuery(trpc.llm.checkProviders.queryOptions());
  const priced = new Map(
    (models.data?.providers ?? []).map((p) => [`${p.provider}@${p.endpoint ?? ''}`, p.pricedModels]),
  );
  return (
    <>
      <p className="muted">
        Local servers are probed (GET /models); hosted APIs are first called when a run uses them. API keys
        come from the environment and are never shown here.
      </p>
      <button type="button" disabled={checks.isFetching} onClick={() => void checks.refetch()}>
        {checks.isFetching ? 'Checking…' : 'Check again'}
      </button>
      <Loadable query={checks} label="provider checks">
        {(report) => (
          <DataTable className="providers-table" columns={['Provider', 'Status', 'Found', 'Priced models']}>
            {report.providers.map((p) => {
              const key = `${p.provider}@${p.endpoint ?? ''}`;
              return (
                <tr key={key} data-provider={p.endpoint ? `${p.provider}@${p.endpoint}` : p.provider}>
                  <td>
                    {p.provider}
                    {p.endpoint && `@${p.endpoint}`}
                  </td>
                  <td>
                    <span className={`status status-check-${p.state}`}>{STATE_TEXT[p.state]}</span>
                  </td>
                  <td className="wrap">
                    {p.detail}
                    {p.latencyMs !== null && ` in ${p.latencyMs} ms`}
                  </td>
                  <td className="wrap">{priced.get(key)?.join(', ') || '–'}</td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </Loadable>
    </>
  );
}

function Usage() {
  const trpc = useTRPC();
  const [runId, setRunId] = useState('');
  const runs = useQuery(trpc.optimizer.runs.list.queryOptions({ limit: 200 }));
  const usage = useQuery(trpc.llm.usage.queryOptions(runId ? { runId } : {}));
  return (
    <>
      <label>
        Run{' '}
        <select value={runId} onChange={(e) => setRunId(e.target.value)}>
          <option value="">all runs</option>
          <RunOptions runs={runs.data ?? []} />
        </select>
      </label>
      <Loadable query={usage} label="usage">
        {(report) => (
          <DataTable columns={['Model', 'Calls', 'Cached', 'Failed', 'Cancelled', 'Tokens in / out', 'Cost']}>
            {[...report.byModel, { ...report.totals, model: 'total' }].map((row) => (
              <tr key={row.model} className={row.model === 'total' ? 'total-row' : undefined}>
                <td>{row.model}</td>
                <td>{formatCount(row.calls)}</td>
                <td>{formatCount(row.cachedCalls)}</td>
                <td>{formatCount(row.failedCalls)}</td>
                <td>{formatCount(row.cancelledCalls)}</td>
                <td>
                  {formatCount(row.promptTokens)} / {formatCount(row.completionTokens)}
                </td>
                <td>
                  {formatUsd(row.costUsd)}
                  {row.costUsd !== null && row.unpricedCalls > 0 && (
                    <small className="muted"> (+ {formatCount(row.unpricedCalls)} calls with no price)</small>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Loadable>
    </>
  );
}

function Cache() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const stats = useQuery(trpc.llm.cache.stats.queryOptions());
  const clear = useMutation(
    trpc.llm.cache.clear.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.llm.cache.stats.queryFilter()),
    }),
  );
  return (
    <>
      <Loadable query={stats} label="cache stats">
        {(s) => (
          <dl className="stats">
            <Stat term="Entries">{formatCount(s.entries)}</Stat>
            <Stat term="Hits">{formatCount(s.hits)}</Stat>
            <Stat term="Misses">{formatCount(s.misses)}</Stat>
            <Stat term="Coalesced">{formatCount(s.coalesced)}</Stat>
          </dl>
        )}
      </Loadable>
      <button
        type="button"
        className="danger"
        disabled={clear.isPending}
        onClick={() => {
          if (
            window.confirm('Clear the whole response cache? Resumed runs will pay again for cleared calls.')
          )
            clear.mutate({});
        }}
      >
        Clear cache
      </button>
      {clear.error && <ErrorNote error={clear.error} />}
    </>
  );
}

export function ModelsPage() {
  return (
    <section>
      <h1>Models</h1>
      <div className="grid-2">
        <Panel id="providers" title="Providers">
          <Providers />
        </Panel>
        <Panel id="test" title="Test call">
          <TestCall />
        </Panel>
        <Panel id="usage" title="Usage and cost">
          <Usage />
        </Panel>
        <Panel id="cache" title="Response cache">
          <Cache />
        </Panel>
      </div>
    </section>
  );
}
