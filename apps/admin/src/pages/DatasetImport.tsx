import { AnswerKindSchema, type ImportFormat, ImportFormatSchema } from '@metaspo/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ValueOptions } from '../components/Options.js';
import { ErrorNote } from '../components/QueryState.js';
import { useTRPC } from '../trpc.js';

function formatOfFile(name: string): ImportFormat {
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.jsonl')) return 'jsonl';
  return 'json';
}

/** Imports a user's file through the registry; its error messages are shown next to the form. */
export function ImportForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [taskId, setTaskId] = useState('');
  const [domain, setDomain] = useState('custom');
  const [answerType, setAnswerType] = useState('free-text');
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const importFile = useMutation(
    trpc.datasets.import.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.datasets.pathFilter()),
    }),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    const kind = AnswerKindSchema.safeParse(answerType);
    importFile.mutate({
      taskId,
      domain,
      fileName: file.name,
      format: format || formatOfFile(file.name),
      content: await file.text(),
      ...(kind.success ? { answerType: kind.data } : {}),
    });
  };

  return (
    <form className="config-form" onSubmit={(e) => void submit(e)} aria-label="Import a dataset file">
      <div className="field">
        <label htmlFor="import-file">File (JSON, JSONL or CSV)</label>
        <input
          id="import-file"
          type="file"
          accept=".json,.jsonl,.csv"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <div className="field">
        <label htmlFor="import-task">Task id</label>
        <input
          id="import-task"
          required
          value={taskId}
          onChange={(e) => setTaskId(e.target.value)}
          placeholder="my_task"
        />
      </div>
      <div className="field">
        <label htmlFor="import-domain">Domain</label>
        <input id="import-domain" value={domain} onChange={(e) => setDomain(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="import-answer">Answer type</label>
        <select id="import-answer" value={answerType} onChange={(e) => setAnswerType(e.target.value)}>
          <ValueOptions values={AnswerKindSchema.options} />
        </select>
      </div>
      <div className="field">
        <label htmlFor="import-format">Format</label>
        <select
          id="import-format"
          value={format}
          onChange={(e) => setFormat(ImportFormatSchema.safeParse(e.target.value).data ?? '')}
        >
          <option value="">from the file name</option>
          <ValueOptions values={ImportFormatSchema.options} />
        </select>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!file || !taskId || importFile.isPending}>
          {importFile.isPending ? 'Importing…' : 'Import'}
        </button>
      </div>
      <div className="field-wide" aria-live="polite">
        {importFile.error && <ErrorNote error={importFile.error} />}
        {importFile.data && (
          <p className="ok-note">
            {importFile.data.taskId}: {importFile.data.status}, {importFile.data.counts.train} train /{' '}
            {importFile.data.counts.test} test from {importFile.data.recordsRead} records
            {importFile.data.skipped.map((s) => `; skipped ${s.count} (${s.reason})`).join('')}
          </p>
        )}
      </div>
    </form>
  );
}
