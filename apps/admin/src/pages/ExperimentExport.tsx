import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Panel } from '../components/Panel.js';
import { ErrorNote } from '../components/QueryState.js';
import { useTRPC } from '../trpc.js';

const FORMATS = [
  { format: 'md', label: 'Markdown (with its SVG figures)' },
  { format: 'csv', label: 'CSV (one file per table)' },
  { format: 'json', label: 'JSON (the report data)' },
] as const;
type Format = (typeof FORMATS)[number]['format'];

interface Prepared {
  format: Format;
  files: Array<{ name: string; url: string }>;
}

/**
 * The report's files as `metaspo experiment report --format F` writes them, rendered by the
 * server and offered as downloads (one link per file: a browser may block several at once).
 */
export function ExperimentExport({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [busy, setBusy] = useState<Format | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(
    () => () => {
      for (const file of prepared?.files ?? []) URL.revokeObjectURL(file.url);
    },
    [prepared],
  );

  const prepare = async (format: Format) => {
    setBusy(format);
    setError(null);
    try {
      const files = await queryClient.fetchQuery(
        trpc.optimizer.experiments.exportReport.queryOptions({ id, format }),
      );
      setPrepared({
        format,
        files: files.map((file) => ({
          name: file.name,
          url: URL.createObjectURL(new Blob([file.text], { type: file.mediaType })),
        })),
      });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Panel id="experiment-export" title="Export the report">
      <div className="actions">
        {FORMATS.map(({ format, label }) => (
          <button
            key={format}
            type="button"
            disabled={busy !== null}
            onClick={() => void prepare(format)}
            title={label}
          >
            {busy === format ? 'Rendering…' : `Export ${format}`}
          </button>
        ))}
      </div>
      {error !== null && <ErrorNote error={error} />}
      {prepared && (
        <ul className="export-files" aria-label={`Report files (${prepared.format})`}>
          {prepared.files.map((file) => (
            <li key={file.name}>
              <a href={file.url} download={file.name}>
                {file.name}
              </a>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
