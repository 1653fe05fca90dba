import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorNote, Loadable } from '../components/QueryState.js';
import { DEFAULT_CONFIG_YAML, runConfigYaml } from '../lib/config-draft.js';
import { useTRPC } from '../trpc.js';
import { useConfigCheck } from './RunConfigCheck.js';
import { RunConfigForm } from './RunConfigForm.js';
import { RunConfigYamlEditor } from './RunConfigYamlEditor.js';

const route = getRouteApi('/runs/new');

type Mode = 'form' | 'yaml';

function CreateRunEditor({ initialText }: { initialText: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [mode, setMode] = useState<Mode>('form');
  const [text, setText] = useState(initialText);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [startNow, setStartNow] = useState(true);
  const check = useConfigCheck(text);
  const create = useMutation(trpc.optimizer.runs.create.mutationOptions());
  const start = useMutation(trpc.optimizer.runs.start.mutationOptions());

  const submit = async () => {
    const created = await create.mutateAsync({ config: text });
    const run = startNow ? await start.mutateAsync({ id: created.id }) : created;
    // The run page shows this record at once, even while the server is busy running it.
    queryClient.setQueryData(trpc.optimizer.runs.get.queryKey({ id: run.id }), run);
    await queryClient.invalidateQueries(trpc.optimizer.runs.list.pathFilter());
    await navigate({ to: '/runs/$runId', params: { runId: run.id } });
  };
  const busy = create.isPending || start.isPending;
  const failure = create.error ?? start.error;
  const shared = {
    text,
    check,
    busy,
    onSubmit: () => void submit().catch(() => undefined),
  };

  return (
    <>
      <div className="tabs" role="tablist" aria-label="How to write the config">
        {(['form', 'yaml'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            className={mode === m ? 'tab active' : 'tab'}
            onClick={() => setMode(m)}
          >
            {m === 'form' ? 'Form' : 'YAML'}
          </button>
        ))}
      </div>
      <label className="inline-check">
        <input type="checkbox" checked={startNow} onChange={(e) => setStartNow(e.target.checked)} /> Start the
        run right away
      </label>
      {mode === 'form' ? (
        <RunConfigForm
          {...shared}
          drafts={drafts}
          onEdit={(next, draft) => {
            setText(next);
            setDrafts((d) => ({ ...d, ...draft }));
          }}
          onOpenYaml={() => setMode('yaml')}
        />
      ) : (
        <RunConfigYamlEditor {...shared} onEdit={setText} />
      )}
      {check.serverError !== null && <ErrorNote error={check.serverError} />}
      {failure && <ErrorNote error={failure} />}
    </>
  );
}

/** Creates a run from the form or from YAML (one shared config), then (by default) starts it and opens it. */
export function RunCreatePage() {
  const trpc = useTRPC();
  const { from } = route.useSearch();
  const source = useQuery({ ...trpc.optimizer.runs.get.queryOptions({ id: from ?? '' }), enabled: !!from });

  return (
    <section>
      <h1>{from ? 'Edit and retry' : 'New run'}</h1>
      {from ? (
        <Loadable query={source} label="the run's config">
          {(run) => (
            <>
              <p className="muted">
                The config of{' '}
                <Link to="/runs/$runId" params={{ runId: run.id }}>
                  {run.name ?? run.id}
                </Link>
                {run.error && <>, which failed with: {run.error}</>}. Fix it and create a new run.
              </p>
              <CreateRunEditor key={run.id} initialText={runConfigYaml(run)} />
            </>
          )}
        </Loadable>
      ) : (
        <CreateRunEditor initialText={DEFAULT_CONFIG_YAML} />
      )}
    </section>
  );
}
