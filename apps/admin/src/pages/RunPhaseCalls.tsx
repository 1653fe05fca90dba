import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable } from '../components/DataTable.js';
import { ErrorNote, Loading } from '../components/QueryState.js';
import { REQUESTS_MEANING } from '../lib/format.js';
import { useTRPC } from '../trpc.js';

/**
 * A finished run's requests per phase (the export's `callsByPhase`): where the requests went,
 * e.g. the outer loops' share a racing run saves on. The export is fetched only once opened.
 */
export function RunPhaseCalls({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const exported = useQuery({ ...trpc.optimizer.runs.export.queryOptions({ id: runId }), enabled: open });
  const phases = exported.data?.callsByPhase;
  return (
    <details
      className="phase-calls"
      data-testid="requests-by-phase"
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary>Requests per phase</summary>
      {exported.isPending && open && <Loading label="requests per phase" />}
      {exported.isError && <ErrorNote error={exported.error} onRetry={() => void exported.refetch()} />}
      {exported.isSuccess && !phases && <p className="empty">This run's export has no per-phase counts.</p>}
      {phases && (
        <DataTable
          columns={[
            'Phase',
            'Base model, train',
            'Base model, test',
            'Optimizer',
            'Asked again',
            'From the cache',
          ]}
        >
          {phases.map((row) => (
            <tr key={row.phase} data-phase={row.phase} title={REQUESTS_MEANING}>
              <td>{row.phase}</td>
              <td>{row.baseTrain.toLocaleString()}</td>
              <td>{row.baseTest.toLocaleString()}</td>
              <td>{row.optimizer.toLocaleString()}</td>
              <td>{row.optimizerRetries.toLocaleString()}</td>
              <td>{row.cached.toLocaleString()}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </details>
  );
}
