import type { RunConfigInput } from '@metaspo/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorNote } from '../components/QueryState.js';
import { href, navigate } from '../lib/hash-route.js';
import { useTRPC } from '../trpc.js';
import { RunConfigForm } from './RunConfigForm.js';
import { RunConfigYamlEditor } from './RunConfigYamlEditor.js';

type Mode = 'form' | 'yaml';
export type CreateRequest = { config: RunConfigInput | string };

/** Creates a run from the form or from pasted YAML, then (by default) starts it and opens it. */
export function RunCreatePage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>('form');
  const [startNow, setStartNow] = useState(true);
  const create = useMutation(trpc.optimizer.runs.create.mutationOptions());
  const start = useMutation(trpc.optimizer.runs.start.mutationOptions());

  const submit = async (request: CreateRequest) => {
    const run = await create.mutateAsync(request);
    if (startNow) await start.mutateAsync({ id: run.id });
    await queryClient.invalidateQueries(trpc.optimizer.runs.list.pathFilter());
    navigate(href('runs', run.id));
  };
  const busy = create.isPending || start.isPending;
  const failure = create.error ?? start.error;

  return (
    <section>
      <h1>New run</h1>
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
        <RunConfigForm busy={busy} onSubmit={(config) => submit({ config })} />
      ) : (
        <RunConfigYamlEditor busy={busy} onSubmit={(yaml) => submit({ config: yaml })} />
      )}
      {failure && <ErrorNote error={failure} />}
    </section>
  );
}
