import type { MetaTestRecord } from '@metaspo/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ProgressBar } from '../components/bits.js';
import { ErrorNote } from '../components/QueryState.js';
import { formatCount, formatDate } from '../lib/format.js';
import { useTRPC } from '../trpc.js';

function CancelMetaTest({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cancel = useMutation(
    trpc.optimizer.metaTests.cancel.mutationOptions({
      onSettled: () => void queryClient.invalidateQueries(trpc.optimizer.metaTests.pathFilter()),
    }),
  );
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={cancel.isPending}
        onClick={() => cancel.mutate({ id })}
      >
        {cancel.isPending ? 'Cancelling…' : 'Cancel meta-test'}
      </button>
      {cancel.error && <ErrorNote error={cancel.error} />}
    </>
  );
}

/**
 * A running meta-test: its requests done of those planned and the gateway calls so far, from
 * the record the page polls (the service updates it as the evaluations go), and a cancel.
 */
export function MetaTestProgressView({ test }: { test: MetaTestRecord }) {
  const progress = test.progress;
  return (
    <div className="stack" data-testid="meta-test-progress">
      {progress ? (
        <>
          <ProgressBar
            done={progress.requestsDone}
            total={progress.requestsPlanned}
            label="Meta-test progress"
          />
          <p className="muted" role="status">
            Running: {formatCount(progress.calls)} gateway calls so far (retries and cached replays included)
            {progress.failedItems > 0 && `, ${formatCount(progress.failedItems)} failed items tolerated`} ·
            updated {formatDate(progress.updatedAt)}. Results appear when it finishes.
          </p>
        </>
      ) : (
        <p role="status">Running in another process: results appear when it finishes.</p>
      )}
      <div className="actions">
        <CancelMetaTest id={test.id} />
      </div>
    </div>
  );
}
