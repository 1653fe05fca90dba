import { randomUUID } from 'node:crypto';
import type {
  Budget,
  ExperimentCell,
  ExperimentConfig,
  ExperimentEvent,
  ExperimentPlan,
  ExperimentRecord,
} from '@metaspo/schemas';
import { DomainError, type Logger, onAbort, redactSecrets } from '@metaspo/service-kit';
import type { Leases } from '../store/leases.js';
import { parseExperimentConfig } from './config.js';
import { type CellOutcome, executeCell } from './execute-cell.js';
import { gridCells, resolveDomains } from './grid.js';
import { planExperiment } from './plan.js';
import type { ExperimentClients, ExperimentRunPorts } from './ports.js';
import { ExperimentProgressMeter } from './progress.js';
import type { ExperimentStore } from './store.js';

interface Active {
  controller: AbortController;
  done: Promise<ExperimentRecord>;
}

const RESUMABLE = new Set(['created', 'running', 'cancelled', 'failed', 'budget-exceeded']);

/**
 * Experiments: plan, create, run in the background cell after cell, cancel, resume. Every cell
 * is an ordinary run or meta-test created through the service, linked by `experiment_id`; its
 * id is stored before it starts, so a resumed experiment continues it (what it had paid for
 * replays from the gateway's cache) rather than starting another.
 */
export class ExperimentManager {
  private readonly active = new Map<string, Active>();
  private readonly listeners = new Map<string, Set<(event: ExperimentEvent) => void>>();

  constructor(
    private readonly store: ExperimentStore,
    private readonly ports: ExperimentRunPorts,
    private readonly clients: ExperimentClients,
    private readonly logger: Logger | undefined,
    /** One executing process per experiment (the cells' runs and meta-tests have their own). */
    private readonly leases: Leases | undefined,
  ) {}

  async plan(input: string | Record<string, unknown>): Promise<ExperimentPlan> {
    return planExperiment(parseExperimentConfig(input), this.clients);
  }

  /** Stores the experiment with its plan and cells; `start` runs it. */
  async create(input: string | Record<string, unknown>): Promise<ExperimentRecord> {
    const config = parseExperimentConfig(input);
    const cells = gridCells(config, await resolveDomains(this.clients.datasets, config));
    const plan = await planExperiment(config, this.clients, cells);
    const id = `exp_${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`;
    const stored: ExperimentCell[] = cells.map((cell) => ({
      key: cell.key,
      kind: cell.kind,
      domain: cell.domain.name,
      seed: cell.seed,
      method: cell.method,
      runId: null,
      metaTestId: null,
      status: 'pending',
    }));
    this.store.insert({ id, config, plan, cells: stored });
    return this.store.get(id);
  }

  start(id: string): ExperimentRecord {
    const record = this.store.get(id);
    if (record.status !== 'created') {
      throw new DomainError('CONFLICT', `experiment ${id} is ${record.status}; use resume`);
    }
    return this.launch(record);
  }

  /** Continues a stopped or interrupted experiment; a new budget replaces the old one. */
  resume(id: string, budget?: Budget): ExperimentRecord {
    const record = this.store.get(id);
    if (this.active.has(id)) throw new DomainError('CONFLICT', `experiment ${id} is already running`);
    if (!RESUMABLE.has(record.status)) {
      throw new DomainError('CONFLICT', `experiment ${id} is ${record.status} and cannot be resumed`);
    }
    if (budget) this.store.setConfig(id, { ...record.config, budget });
    return this.launch(this.store.get(id));
  }

  async cancel(id: string): Promise<ExperimentRecord> {
    const active = this.active.get(id);
    if (!active) {
      // Executed by another process: ask its owner, which stops at its next heartbeat.
      if (await this.leases?.cancelElsewhere('experiment', id)) return this.store.get(id);
      const record = this.store.get(id);
      if (record.status === 'running' || record.status === 'created') this.store.setStatus(id, 'cancelled');
      return this.store.get(id);
    }
    active.controller.abort(new DomainError('CANCELLED', `experiment ${id} cancelled`));
    return active.done;
  }

  get(id: string): ExperimentRecord {
    return this.store.get(id);
  }

  list(limit = 100): ExperimentRecord[] {
    return this.store.list(limit);
  }

  async wait(id: string): Promise<ExperimentRecord> {
    return this.active.get(id)?.done ?? this.store.get(id);
  }

  /** The current progress, then live events until the experiment stops or `signal` aborts. */
  async *events(id: string, signal?: AbortSignal): AsyncGenerator<ExperimentEvent> {
    const record = this.store.get(id);
    const queue: ExperimentEvent[] = [
      { type: 'status', experimentId: id, status: record.status, error: record.error },
      { type: 'progress', experimentId: id, progress: record.progress },
    ];
    let wake: (() => void) | null = null;
    const listener = (event: ExperimentEvent) => {
      queue.push(event);
      wake?.();
    };
    const set = this.listeners.get(id) ?? new Set();
    set.add(listener);
    this.listeners.set(id, set);
    const stopListening = onAbort(signal, () => wake?.());
    try {
      while (!signal?.aborted) {
        const event = queue.shift();
        if (event) {
          yield event;
          if (event.type === 'status' && event.status !== 'running' && !this.active.has(id)) return;
          continue;
        }
        if (!this.active.has(id)) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      set.delete(listener);
      stopListening();
    }
  }

  async cancelAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.cancel(id)));
  }

  private emit(event: ExperimentEvent): void {
    for (const listener of this.listeners.get(event.experimentId) ?? []) listener(event);
  }

  private launch(record: ExperimentRecord): ExperimentRecord {
    const controller = new AbortController();
    // Taken before anything is written: an experiment another process executes is refused.
    const lease = this.leases?.acquire('experiment', record.id, {
      onCancelRequested: () =>
        controller.abort(new DomainError('CANCELLED', `experiment ${record.id} cancelled`)),
      onLost: () => controller.abort(new DomainError('CANCELLED', `experiment ${record.id} lost its lease`)),
    });
    this.store.setStatus(record.id, 'running');
    this.emit({ type: 'status', experimentId: record.id, status: 'running', error: null });
    const done = this.execute(record.id, controller.signal).then(() => {
      lease?.release();
      this.active.delete(record.id);
      const final = this.store.get(record.id);
      this.emit({ type: 'status', experimentId: record.id, status: final.status, error: final.error });
      return final;
    });
    this.active.set(record.id, { controller, done });
    return this.store.get(record.id);
  }

  private async execute(id: string, signal: AbortSignal): Promise<void> {
    const record = this.store.get(id);
    const config: ExperimentConfig = record.config;
    const meter = new ExperimentProgressMeter(record, this.clients.llm, (progress) => {
      this.store.setProgress(id, progress);
      this.emit({ type: 'progress', experimentId: id, progress });
    });
    try {
      const grid = gridCells(config, await resolveDomains(this.clients.datasets, config));
      for (const cell of grid) {
        const stored = this.store.cells(id).find((c) => c.key === cell.key);
        if (!stored || stored.status === 'completed') continue;
        // A cancel between cells starts nothing more.
        if (signal.aborted) {
          this.store.setStatus(id, 'cancelled');
          await meter.refresh(null);
          return;
        }
        const outcome: CellOutcome = await executeCell({
          experimentId: id,
          cell,
          stored,
          config,
          store: this.store,
          ports: this.ports,
          clients: this.clients,
          meter,
          signal,
          onCell: (updated) => this.emit({ type: 'cell', experimentId: id, cell: updated }),
        });
        if (outcome !== 'completed') {
          this.store.setStatus(id, outcome);
          await meter.refresh(null);
          return;
        }
      }
      await meter.refresh(null);
      this.store.setStatus(id, 'completed');
    } catch (error) {
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      this.logger?.warn({ experimentId: id, err: message }, 'experiment stopped');
      this.store.setStatus(id, signal.aborted ? 'cancelled' : 'failed', message);
    } finally {
      meter.stop();
    }
  }
}
