import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  type Budget,
  type NodeRecord,
  RESUMABLE_STATUSES,
  type RunConfigInput,
  type RunEvent,
  type RunRecord,
  type RunStatus,
} from '@metaspo/schemas';
import { DomainError, domainCodeOf, type Logger, redactSecrets } from '@metaspo/service-kit';
import { parseRunConfig } from '../config.js';
import type { EngineClients } from '../engine/context.js';
import { metaPromptsOf } from '../meta-prompts.js';
import { nowIso } from '../store/database.js';
import type { EventLog } from '../store/event-log.js';
import { describeLeaseOwner, type HeldLease, type Leases } from '../store/leases.js';
import { metaPromptsInfo, type RunStore } from '../store/run-store.js';
import { executeRun } from './execute-run.js';

interface ActiveRun {
  controller: AbortController;
  stopAs: RunStatus | null;
  done: Promise<RunRecord>;
  lease: HeldLease;
}

/** Why a run stopped, from the error and from who asked it to stop. */
function stoppedStatus(error: unknown, stopAs: RunStatus | null): RunStatus {
  if (stopAs) return stopAs;
  const code = domainCodeOf(error);
  if (code === 'BUDGET_EXCEEDED') return 'budget-exceeded';
  if (code === 'CANCELLED') return 'cancelled';
  return 'failed';
}

/** The lifecycle of runs: create, start in the background, cancel, pause, resume. */
export class RunManager {
  private readonly active = new Map<string, ActiveRun>();

  constructor(
    private readonly store: RunStore,
    private readonly events: EventLog,
    private readonly clients: EngineClients,
    private readonly logger: Logger | undefined,
    private readonly leases: Leases,
  ) {}

  /**
   * The record as callers see it: a run stored as running whose lease nobody holds was left
   * by a process that died or hung, and is shown as `interrupted` (resumable).
   */
  view(run: RunRecord): RunRecord {
    if (run.status !== 'running' || this.active.has(run.id) || this.leases.live('run', run.id)) return run;
    return { ...run, status: 'interrupted' };
  }

  get(id: string): RunRecord {
    return this.view(this.store.getRun(id));
  }

  list(filter: { status?: RunStatus | undefined; limit: number }): RunRecord[] {
    // Interrupted is derived from running, so both are read as running and told apart here.
    const derived = filter.status === 'running' || filter.status === 'interrupted';
    const stored = this.store.listRuns({ ...filter, ...(derived ? { status: 'running' } : {}) });
    const viewed = stored.map((run) => this.view(run));
    return derived ? viewed.filter((run) => run.status === filter.status) : viewed;
  }

  create(input: { config: string | RunConfigInput; name?: string | undefined }): RunRecord {
    const config = parseRunConfig(input.config);
    // Validated now, so a bad template is refused at create rather than failing the run later.
    const metaPrompts = metaPromptsInfo(metaPromptsOf(config));
    const run: RunRecord = {
      id: `run_${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`,
      name: input.name ?? config.name ?? null,
      status: 'created',
      config,
      metaPrompts,
      simulated: config.baseModel.startsWith('sim:'),
      createdAt: nowIso(),
      startedAt: null,
      finishedAt: null,
      error: null,
      progress: null,
      result: null,
    };
    this.store.insertRun(run);
    this.events.append({ runId: run.id, type: 'status', status: 'created' });
    return run;
  }

  start(id: string): RunRecord {
    const run = this.store.getRun(id);
    if (run.status !== 'created') {
      throw new DomainError(
        'CONFLICT',
        `run ${id} is ${run.status}; only a created run can be started (use resume)`,
      );
    }
    return this.launch(run);
  }

  /** Continues a stopped or interrupted run where its store says it stopped. */
  resume(id: string, budget?: Budget): RunRecord {
    const run = this.store.getRun(id);
    if (this.active.has(id)) throw new DomainError('CONFLICT', `run ${id} is already running`);
    // A run left 'running' by a killed process is as resumable as a paused one.
    if (!RESUMABLE_STATUSES.includes(run.status) && run.status !== 'running') {
      throw new DomainError('CONFLICT', `run ${id} is ${run.status} and cannot be resumed`);
    }
    if (budget) {
      const config = { ...run.config, budget };
      this.store.updateRun(id, { config });
      return this.launch({ ...run, config });
    }
    return this.launch(run);
  }

  async cancel(id: string): Promise<RunRecord> {
    const active = this.active.get(id);
    if (!active) {
      // Executed by another process: record the request; its owner stops at its next heartbeat.
      const owner = await this.leases.cancelElsewhere('run', id);
      if (owner) {
        this.logger?.info({ runId: id, owner: describeLeaseOwner(owner) }, 'cancel requested from the owner');
        return this.get(id);
      }
      const run = this.store.getRun(id);
      if (run.status === 'completed' || run.status === 'cancelled') return run;
      // Written under the run's lease: an owner too slow to renew its own finds it gone at its
      // next heartbeat and stops without writing, so this status is not overwritten.
      const lease = this.leases.acquire('run', id, { onCancelRequested: () => {}, onLost: () => {} });
      try {
        this.finish(id, 'cancelled', null);
      } finally {
        lease.release();
      }
      return this.get(id);
    }
    return this.stop(id, active, 'cancelled');
  }

  /** Stops every active run as 'paused' (resumable) and waits for them to settle. */
  async pauseAll(): Promise<void> {
    await Promise.all([...this.active.entries()].map(([id, active]) => this.stop(id, active, 'paused')));
  }

  /** Resolves with the run's record when its background execution ends (immediately if idle). */
  async wait(id: string): Promise<RunRecord> {
    const active = this.active.get(id);
    return active ? active.done : this.get(id);
  }

  isActive(id: string): boolean {
    return this.active.has(id);
  }

  nodes(runId: string): NodeRecord[] {
    this.store.getRun(runId);
    return this.store.listNodes(runId).map(({ stepKey: _stepKey, ...node }) => node);
  }

  followEvents(runId: string, afterSeq: number, signal: AbortSignal | undefined): AsyncGenerator<RunEvent> {
    this.store.getRun(runId);
    return this.events.follow(runId, afterSeq, signal);
  }

  private async stop(id: string, active: ActiveRun, status: RunStatus): Promise<RunRecord> {
    active.stopAs = status;
    active.controller.abort(new DomainError('CANCELLED', `run ${id} ${status}`));
    try {
      await this.clients.llm.cancelRun.mutate({ runId: id });
    } catch (error) {
      this.logger?.warn({ runId: id, err: redactSecrets(String(error)) }, 'gateway cancelRun failed');
    }
    return active.done;
  }

  private launch(run: RunRecord): RunRecord {
    // Taken before anything is written: a run another process executes is refused untouched.
    const lease = this.leases.acquire('run', run.id, {
      onCancelRequested: () => {
        const active = this.active.get(run.id);
        if (active) void this.stop(run.id, active, 'cancelled');
      },
      onLost: () => {
        const active = this.active.get(run.id);
        if (active) active.controller.abort(new DomainError('CANCELLED', `run ${run.id} lost its lease`));
      },
    });
    const controller = new AbortController();
    // Every in-flight call listens on the run's signal: hundreds at once are expected.
    setMaxListeners(0, controller.signal);
    try {
      this.store.updateRun(run.id, {
        status: 'running',
        startedAt: run.startedAt ?? nowIso(),
        finishedAt: null,
        error: null,
      });
      this.events.append({ runId: run.id, type: 'status', status: 'running' });
    } catch (error) {
      lease.release();
      throw error;
    }
    const entry: ActiveRun = { controller, stopAs: null, done: Promise.resolve(run), lease };
    entry.done = executeRun(
      run,
      { clients: this.clients, store: this.store, events: this.events },
      controller.signal,
    )
      .then(
        (result) => {
          // A lost lease means another process owns the run now: its state is theirs to write.
          if (!lease.renew()) return;
          this.store.updateRun(run.id, { result });
          this.finish(run.id, 'completed', null);
        },
        (error: unknown) => {
          if (!lease.renew()) return;
          const status = stoppedStatus(error, entry.stopAs);
          const message = redactSecrets(error instanceof Error ? error.message : String(error));
          if (status === 'failed') this.logger?.error({ runId: run.id, err: message }, 'run failed');
          this.finish(run.id, status, status === 'paused' ? null : message);
        },
      )
      .catch((error: unknown) => this.recordStorageFailure(run.id, error))
      .then(() => this.settle(run, lease));
    this.active.set(run.id, entry);
    return this.get(run.id);
  }

  /**
   * Writing the run's end failed (disk full, SQLITE_BUSY past the busy timeout, a closed file):
   * the run is marked failed with the reason, which is resumable. If even that cannot be
   * written it stays stored as running and shows as interrupted once its lease is gone.
   */
  private recordStorageFailure(id: string, error: unknown): void {
    const message = `storing the end of the run failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`;
    this.logger?.error({ runId: id, err: message }, 'run failed');
    try {
      this.finish(id, 'failed', message);
    } catch (again) {
      this.logger?.error({ runId: id, err: redactSecrets(String(again)) }, 'run end could not be stored');
    }
  }

  /** The run's background work is over: free its slot and lease, and read what was stored. */
  private settle(run: RunRecord, lease: HeldLease): RunRecord {
    this.active.delete(run.id);
    lease.release();
    try {
      return this.get(run.id);
    } catch (error) {
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      return { ...run, status: 'interrupted', error: `the run's record could not be read: ${message}` };
    }
  }

  private finish(id: string, status: RunStatus, error: string | null): void {
    this.store.updateRun(id, { status, error, finishedAt: nowIso() });
    this.events.append({
      runId: id,
      type: 'status',
      status,
      ...(error ? { message: error } : {}),
    });
  }
}
