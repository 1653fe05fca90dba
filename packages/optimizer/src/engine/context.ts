import type {
  ChatMessage,
  DatasetsClient,
  EvaluatorClient,
  Example,
  LlmClient,
  MetaTag,
  NodePhase,
  RunConfig,
  Split,
  TaskSpec,
  WrongExample,
} from '@metaspo/schemas';
import { extractTagged, type NodeRecord } from '@metaspo/schemas';
import { createLimiter, type Limiter, seedFrom } from '@metaspo/service-kit';
import type { StoredNode } from '../store/run-store.js';
import type { NodeDraft } from './nodes.js';
import type { StepStore } from './step-store.js';

export interface EngineClients {
  llm: LlmClient;
  evaluator: EvaluatorClient;
  datasets: DatasetsClient;
}

/** What one candidate's optimizer calls produced: a prompt, or the reason it was dropped. */
export type OptimizerOutcome = { ok: true; text: string } | { ok: false; reason: string };

export interface OptimizerCallStats {
  optimizerCalls: number;
  optimizerRetries: number;
  cachedCalls: number;
}

/**
 * Where an optimizer request is made: its call site (scope, iteration, task...) and the
 * candidate's index there. `shared`: the site is not the run's own (see RunContext.sampleSlot).
 */
export interface OptimizerSample {
  site: ReadonlyArray<string | number>;
  candidateIndex: number;
  shared?: boolean;
}

/** Sample indexes one call site spans: its candidates times their attempts stay below it. */
export const SAMPLES_PER_SITE = 2 ** 20;

const PROGRESS_INTERVAL_MS = 250;

/**
 * Everything one run (or meta-test) needs to execute its deterministic steps: the clients, the
 * step store it skips finished steps with, a limiter on parallel work, and an abort signal.
 */
export class RunContext {
  readonly limiter: Limiter;
  private readonly trainExampleCache = new Map<string, Promise<Example[]>>();
  private phase: { phase: NodePhase; iteration: number; taskId: string | null } = {
    phase: 'initial',
    iteration: 0,
    taskId: null,
  };
  private lastProgressAt = 0;
  private costUsd: number | null = null;

  constructor(
    readonly runId: string,
    readonly config: RunConfig,
    readonly tasks: readonly TaskSpec[],
    readonly clients: EngineClients,
    readonly store: StepStore,
    readonly signal: AbortSignal,
    readonly requestsTotal: number,
  ) {
    this.limiter = createLimiter(config.concurrency);
  }

  seed(...parts: Array<string | number>): number {
    return seedFrom(this.config.seed, ...parts);
  }

  /** The stored node of `stepKey`, or the one `build` drafts, stored before it is returned. */
  async ensureNode(stepKey: string, build: () => Promise<NodeDraft>): Promise<StoredNode> {
    const stored = this.store.findNode(stepKey);
    if (stored) return stored;
    this.signal.throwIfAborted();
    const draft = await build();
    const node = this.store.insertNode({ ...draft, id: `${this.runId}:${stepKey}`, stepKey });
    if (node.droppedReason) {
      this.store.emit({
        type: 'candidate-dropped',
        phase: node.phase,
        iteration: node.iteration,
        taskId: node.taskId,
        reason: node.droppedReason,
      });
    }
    this.reportProgress(false);
    return node;
  }

  /** Scores `node` on `split` unless that score is stored; returns the updated node. */
  async evaluate(node: StoredNode, split: Split): Promise<StoredNode> {
    const known = split === 'train' ? node.trainScore : node.testScore;
    if (known !== null || node.droppedReason || !node.taskId) return node;
    this.signal.throwIfAborted();
    const result = await this.limiter.run(() =>
      this.clients.evaluator.evaluate.mutate(
        {
          systemPrompt: node.systemPrompt,
          userPrompt: node.userPrompt,
          taskId: node.taskId as string,
          split,
          n: split === 'train' ? this.config.trainSize : this.config.testSize,
          seed: this.config.seed,
          model: this.config.baseModel,
          temperature: this.config.baseTemperature,
          maxTokens: this.config.maxTokens,
          runId: this.runId,
          sampleIndex: this.evaluationSample(node, split),
          systemPlacement: this.config.systemPlacement,
          // Only the score, counts and id are read; failures are fetched by wrongExamples.
          includeItems: false,
          // Every evaluation is a wide phase's; absent keeps the live path's request as it was.
          ...(this.config.execution === 'batch' ? { execution: 'batch' as const } : {}),
        },
        { signal: this.signal },
      ),
    );
    const patch: Partial<NodeRecord> =
      split === 'train' ? { trainScore: result.score } : { testScore: result.score };
    const evaluationIds = [...node.evaluationIds, result.id];
    this.store.updateNode(
      node.id,
      { ...patch, evaluationIds },
      {
        [split === 'train' ? 'baseTrainCalls' : 'baseTestCalls']: result.calls,
        cachedCalls: result.cachedCalls,
      },
    );
    const updated: StoredNode = { ...node, ...patch, evaluationIds };
    this.store.emit({
      type: 'node',
      nodeId: updated.id,
      taskId: updated.taskId,
      phase: updated.phase,
      iteration: updated.iteration,
      trainScore: updated.trainScore,
      testScore: updated.testScore,
    });
    this.reportProgress(false);
    return updated;
  }

  /**
   * The sample index of a node's evaluation. Evaluations of given prompts (a run's initial pair
   * on train; a meta-test's compared prompts, its roots included) are shared by text at index 0:
   * every run or cell that needs one replays it, and the plan lists them as shared work. Any
   * other evaluation (a generated candidate, a run's test of its kept nodes) is that node's own,
   * as the reference pays for it: two candidates the optimizer happened to write alike, or two
   * runs that kept the same prompt, are evaluated twice, so the formulas' counts are what is sent.
   */
  private evaluationSample(node: StoredNode, split: Split): number {
    const metaTest = isMetaTestStep(node.stepKey);
    const given = metaTest
      ? node.phase === 'unseen' || node.phase === 'initial'
      : node.phase === 'initial' && split === 'train';
    if (given) return 0;
    const owner = metaTest ? [] : [this.config.method, ...this.tasks.map((t) => t.id)];
    return (seedFrom(this.config.seed, ...owner, '|', node.stepKey, split) & 0x7fffffff) + 1;
  }

  /** A seeded sample of the questions `node` got wrong on its train evaluation. */
  async wrongExamples(node: StoredNode, k: number, seed: number): Promise<WrongExample[]> {
    const evaluationId = node.evaluationIds[0];
    if (!evaluationId) return [];
    return this.clients.evaluator.wrongExamples.query({ evaluationId, k, seed }, { signal: this.signal });
  }

  /** The task's train sample (the same one every train evaluation uses), for demonstrations. */
  trainExamples(taskId: string): Promise<Example[]> {
    let cached = this.trainExampleCache.get(taskId);
    if (!cached) {
      cached = this.clients.datasets.sample.query(
        { taskId, split: 'train', n: this.config.trainSize, seed: this.config.seed },
        { signal: this.signal },
      );
      this.trainExampleCache.set(taskId, cached);
    }
    return cached;
  }

  /**
   * The call site's share of the sample index. An optimizer request is a sample at temperature
   * 1: two call sites that happen to send the same messages (another method's or domain's run
   * whose failures read alike, a round whose prompt did not change) are two samples, as two
   * calls to the model would be, not one cache entry. A run's sites are its own (method, tasks,
   * seed); a `shared` site belongs to the seed alone, so every meta-test replays it.
   */
  private sampleSlot(sample: OptimizerSample): number {
    const owner = sample.shared ? [] : [this.config.method, ...this.tasks.map((t) => t.id)];
    return seedFrom(this.config.seed, ...owner, '|', ...sample.site) & 0x7fffffff;
  }

  /**
   * One optimizer request whose reply must carry `tag` (and pass `validate`). A malformed reply
   * is retried with the next sample index, up to maxMalformedRetries times; sample indexes are
   * derived from (call site, candidate index, retry) so every attempt is its own, replayable
   * cache entry.
   */
  async optimizerReply(
    messages: ChatMessage[],
    tag: MetaTag,
    sample: OptimizerSample,
    stats: OptimizerCallStats,
    validate: (text: string) => string | null = () => null,
  ): Promise<OptimizerOutcome> {
    const attempts = this.config.maxMalformedRetries + 1;
    const firstIndex = this.sampleSlot(sample) * SAMPLES_PER_SITE + sample.candidateIndex * attempts;
    let reason = '';
    for (let retry = 0; retry < attempts; retry += 1) {
      this.signal.throwIfAborted();
      const reply = await this.limiter.run(() =>
        this.clients.llm.complete.mutate(
          {
            model: this.config.optimizerModel,
            messages,
            temperature: this.config.optimizerTemperature,
            sampleIndex: firstIndex + retry,
            runId: this.runId,
            tag: `optimizer:${tag}`,
          },
          { signal: this.signal },
        ),
      );
      if (retry === 0) stats.optimizerCalls += 1;
      else stats.optimizerRetries += 1;
      if (reply.cached) stats.cachedCalls += 1;
      const text = extractTagged(reply.text, tag);
      const problem = text === null ? `reply has no <${tag}> tag` : validate(text);
      if (text !== null && problem === null) return { ok: true, text };
      reason = problem ?? 'malformed reply';
    }
    return { ok: false, reason: `${reason} (after ${attempts} attempts)` };
  }

  /** Records a phase change once per run (replays do not repeat the event). */
  async enterPhase(phase: NodePhase, iteration: number, taskId: string | null = null): Promise<void> {
    this.phase = { phase, iteration, taskId };
    if (this.store.putStepOnce(`phase:${phase}:${iteration}`, { phase, iteration })) {
      this.store.emit({ type: 'phase', phase, iteration, taskId });
    }
    await this.refreshCost();
    this.reportProgress(true);
  }

  async refreshCost(): Promise<number | null> {
    const usage = await this.clients.llm.usage.query({ runId: this.runId }, { signal: this.signal });
    this.costUsd = usage.totals.costUsd;
    return this.costUsd;
  }

  /** Requests of the formula done so far (retries of malformed replies are counted apart). */
  requestsDone(): number {
    const calls = this.store.callTotals();
    return calls.baseTrain + calls.baseTest + calls.optimizer;
  }

  reportProgress(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastProgressAt < PROGRESS_INTERVAL_MS) return;
    this.lastProgressAt = now;
    this.store.progress({
      ...this.phase,
      requestsDone: this.requestsDone(),
      requestsTotal: this.requestsTotal,
      costUsd: this.costUsd,
    });
  }
}

/** A meta-test's steps (`unseen/...`, `adapt/...`) belong to it, not to the run it is linked to. */
export const isMetaTestStep = (key: string) => key.startsWith('unseen/') || key.startsWith('adapt/');
