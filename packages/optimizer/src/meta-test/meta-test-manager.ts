import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  DEFAULT_SCORING,
  type MetaTestRecord,
  type MetaTestStartInput,
  MetaTestStartInputSchema,
  type MetaTestSystemPrompt,
  type RunConfig,
  RunConfigSchema,
  type TaskSelection,
  type TaskSpec,
  type UserPromptOrigin,
} from '@metaspo/schemas';
import { DomainError, invalidInput, redactSecrets } from '@metaspo/service-kit';
import { expectedCalls, totalRequests } from '../call-count.js';
import { type EngineClients, RunContext } from '../engine/context.js';
import { memoryStepStore } from '../engine/step-store.js';
import { fixedSystemPrompts } from '../fixed-prompts.js';
import { withScoring } from '../runs/run-clients.js';
import { nowIso } from '../store/database.js';
import type { RunStore } from '../store/run-store.js';
import { loadTasks, resolveTaskIds } from '../tasks.js';
import { runAdaptMetaTest } from './adapt.js';
import type { MetaTestStore } from './meta-test-store.js';
import { referenceUserPrompts, runUnseenMetaTest } from './unseen.js';

/** Starts meta-tests in the background and records their results. */
export class MetaTestManager {
  private readonly active = new Map<string, { controller: AbortController; done: Promise<MetaTestRecord> }>();

  constructor(
    private readonly store: MetaTestStore,
    private readonly runs: RunStore,
    private readonly clients: EngineClients,
  ) {}

  async start(rawInput: MetaTestStartInput): Promise<MetaTestRecord> {
    const input = MetaTestStartInputSchema.parse(rawInput);
    const run = input.runId ? this.runs.getRun(input.runId) : null;
    if (run && !run.result)
      throw new DomainError('CONFLICT', `run ${run.id} has no optimized system prompt yet`);
    const systemPrompts: MetaTestSystemPrompt[] = [
      ...(input.includeFixed ? await fixedSystemPrompts(this.clients.datasets) : []),
      ...(run?.result
        ? [{ label: 'optimized', prompt: run.result.optimizedSystemPrompt, origin: 'optimized' as const }]
        : []),
      ...(input.systemPrompts ?? []).map((p) => ({ ...p, origin: 'input' as const })),
    ];
    const labels = systemPrompts.map((p) => p.label);
    const duplicate = labels.find((l, i) => labels.indexOf(l) !== i);
    if (duplicate) throw invalidInput(`system prompt label "${duplicate}" is used twice`);
    if (systemPrompts.length === 0) throw invalidInput('no system prompts to compare');

    const selection: TaskSelection | undefined =
      input.tasks ??
      run?.config.metaTestTasks ??
      (run && !Array.isArray(run.config.metaTrainTasks) ? run.config.metaTrainTasks : undefined);
    if (!selection) throw invalidInput('name the unseen tasks (tasks: ids or a domain)');
    const taskIds = await resolveTaskIds(this.clients.datasets, selection, 'test');
    const tasks = await loadTasks(this.clients.datasets, taskIds);
    const config = metaTestConfig(run?.config, input, taskIds);
    if (input.kind === 'unseen' && input.userPrompts === 'reference') {
      await this.requireReferenceUserPrompts(tasks, config);
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
    this.launch(record, tasks, config, input.userPrompts);
    return record;
  }

  /** `userPrompts: reference` asked explicitly: every task must have the reference's file. */
  private async requireReferenceUserPrompts(tasks: TaskSpec[], config: RunConfig): Promise<void> {
    const missing: string[] = [];
    for (const task of tasks) {
      const prompts = await referenceUserPrompts(this.clients.datasets, task.id, config.unseenUserPrompts);
      if (!prompts) missing.push(task.id);
    }
    if (missing.length > 0) {
      throw invalidInput(
        `userPrompts: reference, but the registry holds no reference user prompts for ${missing.join(', ')} ` +
          '(fetch the protocol files with `metaspo datasets fetch`, or use userPrompts: generated)',
        [{ path: 'userPrompts', message: `no reference user prompts for ${missing.join(', ')}` }],
      );
    }
  }

  /**
   * Runs a cancelled, failed or interrupted meta-test again from its stored input, under the
   * same id. Its requests are the same, so what it had computed comes back from the gateway's
   * response cache (and unseen tasks' user prompts from this store): nothing is paid twice.
   * A meta-test left 'running' by a process that stopped is resumable too.
   */
  async resume(id: string): Promise<MetaTestRecord> {
    const record = this.store.get(id);
    if (record.status === 'completed') {
      throw new DomainError('CONFLICT', `meta-test ${id} has completed: start a new one instead`);
    }
    const input = MetaTestStartInputSchema.parse(this.store.inputOf(id));
    const run = input.runId ? this.runs.getRun(input.runId) : null;
    const tasks = await loadTasks(this.clients.datasets, record.taskIds);
    const config = metaTestConfig(run?.config, input, record.taskIds);
    // After the last await: two resumes at once must not both start it.
    if (this.active.has(id)) throw new DomainError('CONFLICT', `meta-test ${id} is still running`);
    this.store.restart(id);
    const restarted = this.store.get(id);
    this.launch(restarted, tasks, config, input.userPrompts);
    return restarted;
  }

  private launch(
    record: MetaTestRecord,
    tasks: TaskSpec[],
    config: RunConfig,
    userPromptChoice: UserPromptOrigin | undefined,
  ): void {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const steps = memoryStepStore(record.id);
    const { systemPrompts } = record;
    const requests =
      record.kind === 'adapt'
        ? totalRequests(expectedCalls({ ...config, method: 'protegi' }, tasks.length)) * systemPrompts.length
        : tasks.length * systemPrompts.length * config.unseenUserPrompts * config.testSize;
    const clients = withScoring(this.clients, config.scoring);
    const ctx = new RunContext(record.id, config, tasks, clients, steps, controller.signal, requests);
    const callsOf = () => {
      const c = steps.callTotals();
      return c.baseTrain + c.baseTest + c.optimizer + c.optimizerRetries;
    };
    const work =
      record.kind === 'unseen'
        ? runUnseenMetaTest(ctx, this.store, systemPrompts, userPromptChoice)
        : runAdaptMetaTest(ctx, systemPrompts);
    const done = work
      .then(
        (result) => this.store.finish(record.id, { status: 'completed', calls: callsOf(), result }),
        (error: unknown) =>
          this.store.finish(record.id, {
            status: controller.signal.aborted ? 'cancelled' : 'failed',
            error: redactSecrets(error instanceof Error ? error.message : String(error)),
            calls: callsOf(),
          }),
      )
      .then(() => {
        this.active.delete(record.id);
        return this.store.get(record.id);
      });
    this.active.set(record.id, { controller, done });
  }

  get(id: string): MetaTestRecord {
    return this.store.get(id);
  }

  list(runId?: string): MetaTestRecord[] {
    return this.store.list(runId);
  }

  async wait(id: string): Promise<MetaTestRecord> {
    return this.active.get(id)?.done ?? this.store.get(id);
  }

  async cancelAll(): Promise<void> {
    const all = [...this.active.values()];
    for (const entry of all) entry.controller.abort(new DomainError('CANCELLED', 'service closing'));
    await Promise.all(all.map((entry) => entry.done));
  }
}

/** The run's config (or the defaults) with the meta-test's overrides. */
function metaTestConfig(
  base: RunConfig | undefined,
  input: ReturnType<typeof MetaTestStartInputSchema.parse>,
  taskIds: string[],
): RunConfig {
  const overrides = {
    ...(input.unseenUserPrompts === undefined ? {} : { unseenUserPrompts: input.unseenUserPrompts }),
    scoring: input.scoring ?? base?.scoring ?? DEFAULT_SCORING,
    ...(input.trainSize === undefined ? {} : { trainSize: input.trainSize }),
    ...(input.testSize === undefined ? {} : { testSize: input.testSize }),
    ...(input.iterations === undefined ? {} : { adaptIterations: input.iterations }),
    ...(input.beamSize === undefined ? {} : { beamSize: input.beamSize }),
    ...(input.baseModel === undefined ? {} : { baseModel: input.baseModel }),
    ...(input.optimizerModel === undefined ? {} : { optimizerModel: input.optimizerModel }),
    ...(input.seed === undefined ? {} : { seed: input.seed }),
    ...(input.concurrency === undefined ? {} : { concurrency: input.concurrency }),
  };
  const { budget: _budget, ...inherited } = base ?? { metaTrainTasks: taskIds };
  return RunConfigSchema.parse({
    ...inherited,
    metaTrainTasks: taskIds,
    metaTestTasks: taskIds,
    ...overrides,
  });
}
