import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  type Budget,
  type MetaTestRecord,
  type MetaTestStartInput,
  MetaTestStartInputSchema,
  type MetaTestStatus,
  type RunConfig,
  type TaskSpec,
  type UserPromptOrigin,
} from '@metaspo/schemas';
import { DomainError, domainCodeOf, type Logger, redactSecrets } from '@metaspo/service-kit';
import { type EngineClients, RunContext } from '../engine/context.js';
import { memoryStepStore } from '../engine/step-store.js';
import { InFlight } from '../runs/in-flight.js';
import { withRunGuards, withScoring } from '../runs/run-clients.js';
import { nowIso } from '../store/database.js';
import type { HeldLease, Leases } from '../store/leases.js';
import type { RunStore } from '../store/run-store.js';
import { loadTasks, resolveTaskIds } from '../tasks.js';
import { runAdaptMetaTest } from './adapt.js';
import {
  comparedSystemPrompts,
  metaTestConfig,
  metaTestRequests,
  requireReferenceUserPrompts,
  unseenTaskSelection,
} from './meta-test-input.js';
import { MetaTestProgressBoard } from './meta-test-progress.js';
import type { MetaTestStore } from './meta-test-store.js';
import { runUnseenMetaTest } from './unseen.js';

/** Starts meta-tests in the background and records their results. */
export class MetaTestManager {
  private readonly active = new Map<string, { controller: AbortController; done: Promise<MetaTestRecord> }>();

  constructor(
    private readonly store: MetaTestStore,
    private readonly runs: RunStore,
    private readonly clients: EngineClients,
    private readonly leases: Leases,
    private readonly logger?: Logger | undefined,
  ) {
    this.progress = new MetaTestProgressBoard((id, calls) => this.store.updateCalls(id, calls));
  }

  private readonly progress: MetaTestProgressBoard;

  /** A meta-test stored as running whose lease nobody holds was left by a dead process. */
  private view(record: MetaTestRecord): MetaTestRecord {
    if (
      record.status !== 'running' ||
      this.active.has(record.id) ||
      this.leases.live('meta-test', record.id)
    ) {
      return record;
    }
    return { ...record, status: 'interrupted' };
  }

  /** The meta-test's lease; another process's live one is refused naming its owner. */
  private acquireLease(id: string): HeldLease {
    return this.leases.acquire('meta-test', id, {
      onCancelRequested: () =>
        this.active.get(id)?.controller.abort(new DomainError('CANCELLED', `meta-test ${id} cancelled`)),
      onLost: () =>
        this.active.get(id)?.controller.abort(new DomainError('CANCELLED', `meta-test ${id} lost its lease`)),
    });
  }

  async start(rawInput: MetaTestStartInput): Promise<MetaTestRecord> {
    const input = MetaTestStartInputSchema.parse(rawInput);
    const run = input.runId ? this.runs.getRun(input.runId) : null;
    if (run && !run.result)
      throw new DomainError('CONFLICT', `run ${run.id} has no optimized system prompt yet`);
    const systemPrompts = await comparedSystemPrompts(this.clients.datasets, input, run);
    const selection = unseenTaskSelection(input, run);
    const taskIds = await resolveTaskIds(this.clients.datasets, selection, 'test');
    const tasks = await loadTasks(this.clients.datasets, taskIds);
    const config = metaTestConfig(run?.config, input, taskIds);
    if (input.kind === 'unseen' && input.userPrompts === 'reference') {
      await requireReferenceUserPrompts(this.clients.datasets, tasks, config);
    }

    const record: MetaTestRecord = {
      id: `mt_${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`,
      kind: input.kind,
      status: 'running',
      runId: run?.id ?? null,
      systemPrompts,
      taskIds,
      scoring: config.scoring,
      createdAt: nowIso(),
      finishedAt: null,
      error: null,
      calls: 0,
      unseen: null,
      adapt: null,
    };
    this.store.insert(record, input);
    this.launch(record, tasks, config, input, this.acquireLease(record.id));
    return record;
  }

  /**
   * Runs a cancelled, failed or interrupted meta-test again from its stored input, under the
   * same id. Its requests are the same, so what it had computed comes back from the gateway's
   * response cache (and unseen tasks' user prompts from this store): nothing is paid twice.
   * A meta-test left 'running' by a process that stopped is resumable too.
   */
  async resume(id: string, budget?: Budget): Promise<MetaTestRecord> {
    const record = this.store.get(id);
    if (record.status === 'completed') {
      throw new DomainError('CONFLICT', `meta-test ${id} has completed: start a new one instead`);
    }
    const stored = MetaTestStartInputSchema.parse(this.store.inputOf(id));
    const input = budget ? { ...stored, budget } : stored;
    const run = input.runId ? this.runs.getRun(input.runId) : null;
    const tasks = await loadTasks(this.clients.datasets, record.taskIds);
    const config = metaTestConfig(run?.config, input, record.taskIds);
    // After the last await: two resumes at once must not both start it.
    if (this.active.has(id)) throw new DomainError('CONFLICT', `meta-test ${id} is still running`);
    const lease = this.acquireLease(id);
    try {
      this.store.restart(id, budget ? input : undefined);
    } catch (error) {
      lease.release();
      throw error;
    }
    const restarted = this.store.get(id);
    this.launch(restarted, tasks, config, input, lease);
    return restarted;
  }

  private launch(
    record: MetaTestRecord,
    tasks: TaskSpec[],
    config: RunConfig,
    input: {
      userPrompts?: UserPromptOrigin | undefined;
      budget?: Budget | undefined;
      maxFailedItemShare?: number | undefined;
    },
    lease: HeldLease,
  ): void {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const memory = memoryStepStore(record.id);
    const { systemPrompts } = record;
    const requests = metaTestRequests(record.kind, config, tasks.length, systemPrompts.length);
    const callsOf = () => {
      const c = memory.callTotals();
      return c.baseTrain + c.baseTest + c.optimizer + c.optimizerRetries;
    };
    const steps = this.progress.track(record.id, memory, requests, callsOf);
    const inFlight = new InFlight();
    const clients = withRunGuards(
      withScoring(this.clients, config.scoring),
      { maxFailedItemShare: input.maxFailedItemShare ?? config.maxFailedItemShare },
      (failures) => this.progress.addFailedItems(record.id, failures.failedItems),
      inFlight,
    );
    const ctx = new RunContext(record.id, config, tasks, clients, steps, controller.signal, requests);
    const work = async () => {
      // The gateway enforces it under the meta-test's id, the runId of every call it makes.
      if (input.budget) {
        await this.clients.llm.budgets.set.mutate(
          { runId: record.id, ...input.budget },
          { signal: controller.signal },
        );
      }
      return record.kind === 'unseen'
        ? runUnseenMetaTest(ctx, this.store, systemPrompts, input.userPrompts)
        : runAdaptMetaTest(ctx, systemPrompts);
    };
    const done = work()
      .then(
        (result) => {
          // A lost lease means another process owns the meta-test now: its state is theirs to write.
          if (lease.renew()) this.store.finish(record.id, { status: 'completed', calls: callsOf(), result });
        },
        async (error: unknown) => {
          const status = stoppedStatus(error, controller.signal.aborted);
          // The other branches are refused new calls and awaited, so none writes after the end.
          inFlight.close(new DomainError('CANCELLED', `meta-test ${record.id} is stopping`));
          await inFlight.idle();
          if (!lease.renew()) return;
          this.store.finish(record.id, {
            status,
            error: redactSecrets(error instanceof Error ? error.message : String(error)),
            calls: callsOf(),
          });
        },
      )
      .catch((error: unknown) => this.recordStorageFailure(record.id, error, callsOf()))
      .then(() => this.settle(record, lease));
    this.active.set(record.id, { controller, done });
  }

  /**
   * Writing the meta-test's end failed (disk full, SQLITE_BUSY, a closed file): it is marked
   * failed with the reason (resumable); if even that fails it shows as interrupted.
   */
  private recordStorageFailure(id: string, error: unknown, calls: number): void {
    const message = `storing the end of the meta-test failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`;
    this.logger?.error({ metaTestId: id, err: message }, 'meta-test failed');
    try {
      this.store.finish(id, { status: 'failed', error: message, calls });
    } catch (again) {
      this.logger?.error(
        { metaTestId: id, err: redactSecrets(String(again)) },
        'meta-test end could not be stored',
      );
    }
  }

  private settle(record: MetaTestRecord, lease: HeldLease): MetaTestRecord {
    this.active.delete(record.id);
    this.progress.clear(record.id);
    lease.release();
    try {
      return this.get(record.id);
    } catch (error) {
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      return {
        ...record,
        status: 'interrupted',
        error: `the meta-test's record could not be read: ${message}`,
      };
    }
  }

  get(id: string): MetaTestRecord {
    return this.withProgress(this.view(this.store.get(id)));
  }

  list(runId?: string): MetaTestRecord[] {
    return this.store.list(runId).map((record) => this.withProgress(this.view(record)));
  }

  /** A running meta-test's live numbers; its stored `calls` lag them by up to a second. */
  private withProgress(record: MetaTestRecord): MetaTestRecord {
    const progress = this.progress.of(record.id);
    return progress ? { ...record, calls: progress.calls, progress } : { ...record, progress: null };
  }

  /**
   * Stops a running meta-test: its queued work is refused and its in-flight calls are cancelled
   * at the gateway (they carry its id as runId), as a run's are. It stays resumable.
   */
  async cancel(id: string): Promise<MetaTestRecord> {
    const active = this.active.get(id);
    if (!active) {
      const record = this.get(id);
      if (record.status !== 'running') return record;
      // Stored as running with no live owner here: ask the owner, or end the leftover row.
      const owner = await this.leases.cancelElsewhere('meta-test', id);
      if (owner) return this.get(id);
      this.store.finish(id, { status: 'cancelled', error: `meta-test ${id} cancelled`, calls: record.calls });
      return this.get(id);
    }
    active.controller.abort(new DomainError('CANCELLED', `meta-test ${id} cancelled`));
    try {
      await this.clients.llm.cancelRun.mutate({ runId: id });
    } catch (error) {
      this.logger?.warn({ metaTestId: id, err: redactSecrets(String(error)) }, 'gateway cancelRun failed');
    }
    return active.done;
  }

  async wait(id: string): Promise<MetaTestRecord> {
    return this.active.get(id)?.done ?? this.get(id);
  }

  async cancelAll(): Promise<void> {
    const all = [...this.active.values()];
    for (const entry of all) entry.controller.abort(new DomainError('CANCELLED', 'service closing'));
    await Promise.all(all.map((entry) => entry.done));
  }
}

function stoppedStatus(error: unknown, aborted: boolean): MetaTestStatus {
  if (domainCodeOf(error) === 'BUDGET_EXCEEDED') return 'budget-exceeded';
  return aborted ? 'cancelled' : 'failed';
}
