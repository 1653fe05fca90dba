import type Database from 'better-sqlite3';

type BatchProtocol = 'openai' | 'anthropic';
type BatchJobState = 'preparing' | 'submitted' | 'cancelling' | 'released' | 'ended' | 'abandoned';
/** `deadline`: its lines go live after `liveAfterMs`; `unneeded`: every request waiting on it left. */
export type BatchCancelReason = 'deadline' | 'unneeded';

export interface BatchJobRow {
  id: string;
  protocol: BatchProtocol;
  endpointId: string;
  model: string;
  providerBatchId: string | null;
  state: BatchJobState;
  lines: number;
  createdAt: number;
  /** Set (with the state `cancelling`) before the cancel is sent to the provider. */
  cancelReason: BatchCancelReason | null;
  cancelRequestedAt: number | null;
  /** The provider accepted the cancel: it is never sent again. */
  cancelAcknowledged: boolean;
}

/** What a new job is written with; the rest starts empty. */
type NewBatchJob = Omit<
  BatchJobRow,
  'state' | 'providerBatchId' | 'cancelReason' | 'cancelRequestedAt' | 'cancelAcknowledged'
>;

export interface BatchLineRow {
  cacheKey: string;
  runId: string | null;
  tag: string | null;
  submission: number;
  firstSubmittedAt: number;
  /** Estimated cost reserved against the run's budget at submission (0: none). */
  reservedUsd: number;
}

interface JobRecord {
  id: string;
  protocol: BatchProtocol;
  endpoint_id: string;
  model: string;
  provider_batch_id: string | null;
  state: BatchJobState;
  lines: number;
  created_at: number;
  cancel_reason: BatchCancelReason | null;
  cancel_requested_at: number | null;
  cancel_acknowledged_at: number | null;
}

const toJob = (row: JobRecord): BatchJobRow => ({
  id: row.id,
  protocol: row.protocol,
  endpointId: row.endpoint_id,
  model: row.model,
  providerBatchId: row.provider_batch_id,
  state: row.state,
  lines: row.lines,
  createdAt: row.created_at,
  cancelReason: row.cancel_reason,
  cancelRequestedAt: row.cancel_requested_at,
  cancelAcknowledged: row.cancel_acknowledged_at !== null,
});

export interface BatchStore {
  /** Writes the job (state `preparing`) and its lines in one transaction, before any submission. */
  create(job: NewBatchJob, lines: BatchLineRow[]): void;
  markSubmitted(jobId: string, providerBatchId: string): void;
  /** Written before the cancel is sent, so a restarted gateway knows it may have been. */
  markCancelling(jobId: string, reason: BatchCancelReason): void;
  markCancelAcknowledged(jobId: string): void;
  /** Its lines went live at the cancelling grace; the job is still followed to its end. */
  markReleased(jobId: string): void;
  /** Ends the job; each line is answered or failed. */
  end(jobId: string, state: 'ended' | 'abandoned', answeredKeys: ReadonlySet<string>): void;
  /** Jobs that may still be running at the provider (preparing, submitted, cancelling, released). */
  openJobs(): BatchJobRow[];
  lines(jobId: string): BatchLineRow[];
  /** What the store knows of earlier submissions of a key: how many, and since when. */
  history(cacheKey: string): { submissions: number; firstSubmittedAt: number } | undefined;
}

/**
 * The durable record of batches. Written synchronously (not through the write-behind queue): a
 * row must be on disk before the request it describes leaves the process.
 */
export function createBatchStore(sqlite: Database.Database): BatchStore {
  const insertJob = sqlite.prepare(
    `INSERT INTO batch_jobs (id, protocol, endpoint_id, model, provider_batch_id, state, lines, created_at)
     VALUES (@id, @protocol, @endpointId, @model, NULL, 'preparing', @lines, @createdAt)`,
  );
  const insertLine = sqlite.prepare(
    `INSERT INTO batch_lines (job_id, cache_key, run_id, tag, state, submission, first_submitted_at, reserved_usd)
     VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`,
  );
  const submitted = sqlite.prepare(
    `UPDATE batch_jobs SET provider_batch_id = ?, state = 'submitted', submitted_at = ? WHERE id = ?`,
  );
  const cancelling = sqlite.prepare(
    `UPDATE batch_jobs SET state = 'cancelling', cancel_reason = ?, cancel_requested_at = ? WHERE id = ?`,
  );
  const cancelAcknowledged = sqlite.prepare('UPDATE batch_jobs SET cancel_acknowledged_at = ? WHERE id = ?');
  const released = sqlite.prepare(`UPDATE batch_jobs SET state = 'released' WHERE id = ?`);
  const endJob = sqlite.prepare('UPDATE batch_jobs SET state = ?, ended_at = ? WHERE id = ?');
  const endLine = sqlite.prepare('UPDATE batch_lines SET state = ? WHERE job_id = ? AND cache_key = ?');
  const open = sqlite.prepare<[], JobRecord>(
    `SELECT * FROM batch_jobs WHERE state IN ('preparing', 'submitted', 'cancelling', 'released') ORDER BY created_at`,
  );
  const linesOf = sqlite.prepare<
    [string],
    {
      cache_key: string;
      run_id: string | null;
      tag: string | null;
      submission: number;
      first_submitted_at: number;
      reserved_usd: number;
    }
  >(
    'SELECT cache_key, run_id, tag, submission, first_submitted_at, reserved_usd FROM batch_lines WHERE job_id = ?',
  );
  const historyOf = sqlite.prepare<[string], { submissions: number | null; first: number | null }>(
    'SELECT max(submission) AS submissions, min(first_submitted_at) AS first FROM batch_lines WHERE cache_key = ?',
  );

  return {
    create: sqlite.transaction((job: NewBatchJob, lines: BatchLineRow[]) => {
      insertJob.run(job);
      for (const line of lines) {
        insertLine.run(
          job.id,
          line.cacheKey,
          line.runId,
          line.tag,
          line.submission,
          line.firstSubmittedAt,
          line.reservedUsd,
        );
      }
    }),
    markSubmitted: (jobId, providerBatchId) => submitted.run(providerBatchId, Date.now(), jobId),
    markCancelling: (jobId, reason) => cancelling.run(reason, Date.now(), jobId),
    markCancelAcknowledged: (jobId) => cancelAcknowledged.run(Date.now(), jobId),
    markReleased: (jobId) => released.run(jobId),
    end: sqlite.transaction(
      (jobId: string, state: 'ended' | 'abandoned', answeredKeys: ReadonlySet<string>) => {
        endJob.run(state, Date.now(), jobId);
        for (const line of linesOf.all(jobId)) {
          endLine.run(answeredKeys.has(line.cache_key) ? 'answered' : 'failed', jobId, line.cache_key);
        }
      },
    ),
    openJobs: () => open.all().map(toJob),
    lines: (jobId) =>
      linesOf.all(jobId).map((row) => ({
        cacheKey: row.cache_key,
        runId: row.run_id,
        tag: row.tag,
        submission: row.submission,
        firstSubmittedAt: row.first_submitted_at,
        reservedUsd: row.reserved_usd,
      })),
    history(cacheKey) {
      const row = historyOf.get(cacheKey);
      return row?.submissions == null || row.first == null
        ? undefined
        : { submissions: row.submissions, firstSubmittedAt: row.first };
    },
  };
}
