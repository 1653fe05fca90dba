import { RESUMABLE_STATUSES, type RunRecord, type RunStatus } from '@metaspo/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorNote } from '../components/QueryState.js';
import { runConfigYaml } from '../lib/config-draft.js';
import { useTRPC, useTRPCClient } from '../trpc.js';

export const LIVE_STATUSES: ReadonlySet<RunStatus> = new Set(['created', 'running']);

/**
 * Why resuming a failed run would fail again, from the server's preflight of its config (a task
 * not imported, a provider not configured...): then only "edit and retry" can help.
 */
function useResumeBlocker(run: RunRecord): string | null {
  const trpc = useTRPC();
  const failed = run.status === 'failed';
  const preflight = useQuery({
    ...trpc.optimizer.runs.validateConfig.queryOptions({ yaml: failed ? runConfigYaml(run) : '' }),
    enabled: failed,
    staleTime: 10_000,
  });
  if (!failed || !preflight.data || preflight.data.ok) return null;
  const first = preflight.data.issues[0];
  return first
    ? `Resuming would fail again: ${first.path ? `${first.path}: ` : ''}${first.message}`
    : 'Resuming would fail again: the config does not pass the server check.';
}

function DeleteRun({ run }: { run: RunRecord }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.optimizer.runs.delete.mutationOptions({
      onSuccess: async () => {
        queryClient.removeQueries(trpc.optimizer.runs.get.queryFilter({ id: run.id }));
        await queryClient.invalidateQueries(trpc.optimizer.runs.list.pathFilter());
        await navigate({ to: '/runs' });
      },
    }),
  );
  const live = run.status === 'running';
  if (!confirming) {
    return (
      <button
        type="button"
        className="danger"
        disabled={live}
        title={live ? 'Cancel the run before deleting it' : undefined}
        onClick={() => setConfirming(true)}
      >
        Delete…
      </button>
    );
  }
  return (
    <fieldset className="confirm">
      <legend>
        Delete {run.name ?? run.id} with its prompts and events? Cached answers and the usage ledger stay.
      </legend>
      <button
        type="button"
        className="danger"
        disabled={remove.isPending}
        onClick={() => remove.mutate({ id: run.id })}
      >
        Delete run
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        Keep it
      </button>
      {remove.error && <ErrorNote error={remove.error} />}
    </fieldset>
  );
}

/** Cancel, resume, edit and retry, export and delete, each enabled only where it can work. */
export function RunActions({ run }: { run: RunRecord }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(trpc.optimizer.runs.pathFilter());
  const showRecord = (record: RunRecord) =>
    queryClient.setQueryData(trpc.optimizer.runs.get.queryKey({ id: record.id }), record);
  const cancel = useMutation(
    trpc.optimizer.runs.cancel.mutationOptions({ onSuccess: showRecord, onSettled: refresh }),
  );
  const resume = useMutation(
    trpc.optimizer.runs.resume.mutationOptions({ onSuccess: showRecord, onSettled: refresh }),
  );
  const resumeBlocker = useResumeBlocker(run);
  const exportRun = useMutation({
    mutationFn: async () => {
      const data = await client.optimizer.runs.export.query({ id: run.id });
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `run-${run.id}.json`;
      link.click();
      URL.revokeObjectURL(link.href);
    },
  });
  const error = cancel.error ?? resume.error ?? exportRun.error;
  const resumable = RESUMABLE_STATUSES.includes(run.status) && resumeBlocker === null;
  return (
    <div className="actions">
      <button
        type="button"
        disabled={!LIVE_STATUSES.has(run.status) || cancel.isPending}
        onClick={() => cancel.mutate({ id: run.id })}
      >
        Cancel
      </button>
      <button
        type="button"
        disabled={!resumable || resume.isPending}
        title={resumeBlocker ?? undefined}
        aria-describedby={resumeBlocker ? 'resume-blocked' : undefined}
        onClick={() => resume.mutate({ id: run.id })}
      >
        Resume
      </button>
      {!LIVE_STATUSES.has(run.status) && run.status !== 'completed' && (
        <Link className="button" to="/runs/new" search={{ from: run.id }}>
          Edit and retry
        </Link>
      )}
      <button type="button" disabled={exportRun.isPending} onClick={() => exportRun.mutate()}>
        Export JSON
      </button>
      <Link className="button" to="/meta-test" search={{ run: run.id }}>
        Meta-test…
      </Link>
      <DeleteRun run={run} />
      {resumeBlocker && (
        <p id="resume-blocked" className="field-error">
          {resumeBlocker}. Use “Edit and retry” to fix the config.
        </p>
      )}
      {error && <ErrorNote error={error} />}
    </div>
  );
}
