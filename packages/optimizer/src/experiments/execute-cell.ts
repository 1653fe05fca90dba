import type {
  Budget,
  ExperimentCell,
  ExperimentConfig,
  LabelledSystemPrompt,
  MetaTestRecord,
  RunRecord,
} from '@metaspo/schemas';
import { DomainError, domainCodeOf, onAbort } from '@metaspo/service-kit';
import { fixedSystemPrompts } from '../fixed-prompts.js';
import { type GridCell, isFixed, metaTestOverrides } from './grid.js';
import type { ExperimentClients, ExperimentRunPorts } from './ports.js';
import { type ExperimentProgressMeter, type Spent, spentBy } from './progress.js';
import type { ExperimentStore } from './store.js';

export type CellOutcome = 'completed' | 'cancelled' | 'failed' | 'budget-exceeded';

export interface CellContext {
  experimentId: string;
  cell: GridCell;
  stored: ExperimentCell;
  config: ExperimentConfig;
  store: ExperimentStore;
  ports: ExperimentRunPorts;
  clients: ExperimentClients;
  meter: ExperimentProgressMeter;
  signal: AbortSignal;
  onCell(cell: ExperimentCell): void;
}

const BUDGET_POLL_MS = 500;
/** How long a resume waits for the lease of a killed process to expire. */
const LEASE_WAIT_MS = 30_000;

/** The experiment's budget left after what all its cells have spent; null: no budget. */
function budgetLeft(budget: Budget | undefined, spent: Spent): { usd: number; calls: number } | null {
  if (!budget) return null;
  return {
    usd: budget.maxUsd === undefined ? Number.POSITIVE_INFINITY : budget.maxUsd - spent.usd,
    calls: budget.maxCalls === undefined ? Number.POSITIVE_INFINITY : budget.maxCalls - spent.calls,
  };
}

/** A run's own budget: what it has spent plus what the experiment has left. */
function runBudget(budget: Budget | undefined, left: { usd: number; calls: number } | null, own: Spent) {
  if (!budget || !left) return undefined;
  return {
    ...(budget.maxUsd === undefined ? {} : { maxUsd: own.usd + left.usd }),
    ...(budget.maxCalls === undefined ? {} : { maxCalls: own.calls + left.calls }),
  };
}

/** Calls `start` again while it is refused because a killed process's lease has not expired. */
async function whenLeaseFree<T>(start: () => T | Promise<T>): Promise<T> {
  const deadline = Date.now() + LEASE_WAIT_MS;
  for (;;) {
    try {
      return await start();
    } catch (error) {
      const busy = domainCodeOf(error) === 'CONFLICT' && /being executed by/.test(String(error));
      if (!busy || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

function update(ctx: CellContext, patch: Partial<Pick<ExperimentCell, 'runId' | 'metaTestId' | 'status'>>) {
  ctx.store.updateCell(ctx.experimentId, ctx.cell.key, patch);
  const cells = ctx.store.cells(ctx.experimentId);
  ctx.meter.setCells(cells);
  const updated = cells.find((c) => c.key === ctx.cell.key);
  if (updated) ctx.onCell(updated);
}

/** Runs one cell to its end (or to a stop) and records its outcome. */
export async function executeCell(ctx: CellContext): Promise<CellOutcome> {
  const left = budgetLeft(ctx.config.budget, await ctx.meter.spent());
  if (left && (left.usd <= 0 || left.calls <= 0)) {
    update(ctx, { status: 'budget-exceeded' });
    return 'budget-exceeded';
  }
  const outcome = ctx.cell.kind === 'train' ? await trainCell(ctx, left) : await metaTestCell(ctx);
  update(ctx, { status: outcome === 'completed' ? 'completed' : outcome });
  await ctx.meter.refresh(null);
  return outcome;
}

function runOutcome(run: RunRecord): CellOutcome {
  if (run.status === 'completed') return 'completed';
  if (run.status === 'budget-exceeded') return 'budget-exceeded';
  if (run.status === 'failed') return 'failed';
  return 'cancelled';
}

async function trainCell(
  ctx: CellContext,
  left: { usd: number; calls: number } | null,
): Promise<CellOutcome> {
  const { ports } = ctx;
  let runId = ctx.stored.runId;
  const own = runId ? await spentBy(ctx.clients.llm, runId) : { usd: 0, calls: 0, unpriced: false };
  const budget = runBudget(ctx.config.budget, left, own);
  if (!runId) {
    const run = ports.createRun({ config: { ...ctx.cell.config, ...(budget ? { budget } : {}) } });
    runId = run.id;
    ctx.store.link(ctx.experimentId, { runId });
    update(ctx, { runId, status: 'running' });
    ports.startRun(runId);
  } else {
    const run = ports.getRun(runId);
    if (run.status === 'completed') return 'completed';
    const id = runId;
    await whenLeaseFree(() => ports.resumeRun(id, budget));
    update(ctx, { status: 'running' });
  }
  await ctx.meter.refresh(ctx.cell.key);
  const id = runId;
  const stopListening = onAbort(ctx.signal, () => void ports.cancelRun(id).catch(() => undefined));
  try {
    return runOutcome(await ports.waitForRun(id));
  } finally {
    stopListening();
  }
}

/** Every method's system prompt for a meta-test of one domain and seed (trained ones from their runs). */
async function comparedPrompts(
  ctx: CellContext,
): Promise<{ linkedRunId: string | null; others: LabelledSystemPrompt[] }> {
  const fixed = new Map((await fixedSystemPrompts(ctx.clients.datasets)).map((p) => [p.label, p.prompt]));
  const cells = ctx.store.cells(ctx.experimentId);
  const runOf = (method: string) => {
    const key = `${ctx.cell.domain.name}/s${ctx.cell.seed}/train/${method}`;
    const runId = cells.find((c) => c.key === key)?.runId;
    const run = runId ? ctx.ports.getRun(runId) : null;
    if (!run?.result)
      throw new DomainError('CONFLICT', `${ctx.cell.key}: the ${method} run (${key}) has no result`);
    return run;
  };
  const linkedRunId = ctx.cell.method ? runOf(ctx.cell.method).id : null;
  const others = ctx.config.methods
    .filter((m) => m !== ctx.cell.method)
    .map((method) => ({
      label: method,
      prompt: isFixed(method)
        ? (fixed.get(method) ?? '')
        : (runOf(method).result?.optimizedSystemPrompt ?? ''),
    }));
  return { linkedRunId, others };
}

async function metaTestCell(ctx: CellContext): Promise<CellOutcome> {
  const { ports } = ctx;
  let metaTestId = ctx.stored.metaTestId;
  if (!metaTestId) {
    const { linkedRunId, others } = await comparedPrompts(ctx);
    const kind = ctx.cell.kind === 'adapt' ? 'adapt' : 'unseen';
    const record: MetaTestRecord = await ports.startMetaTest({
      kind,
      ...(linkedRunId ? { runId: linkedRunId } : {}),
      includeFixed: false,
      systemPrompts: others,
      tasks: ctx.cell.domain.metaTestTasks,
      ...metaTestOverrides(ctx.cell.config),
    });
    metaTestId = record.id;
    ctx.store.link(ctx.experimentId, { metaTestId });
    update(ctx, { metaTestId, status: 'running' });
  } else {
    const existing = ports.getMetaTest(metaTestId);
    if (existing.status === 'completed') return 'completed';
    const id = metaTestId;
    await whenLeaseFree(() => ports.resumeMetaTest(id));
    update(ctx, { status: 'running' });
  }
  await ctx.meter.refresh(ctx.cell.key);
  const id = metaTestId;
  // Meta-tests take no budget of their own: the experiment watches its total and stops them.
  let overBudget = false;
  const stop = () => void ctx.clients.llm.cancelRun.mutate({ runId: id }).catch(() => undefined);
  const watch = setInterval(() => {
    void ctx.meter.spent().then((spent) => {
      const left = budgetLeft(ctx.config.budget, spent);
      if (left && (left.usd <= 0 || left.calls <= 0) && !overBudget) {
        overBudget = true;
        stop();
      }
    });
  }, BUDGET_POLL_MS);
  const stopListening = onAbort(ctx.signal, stop);
  try {
    const final = await ports.waitForMetaTest(id);
    if (final.status === 'completed') return 'completed';
    if (overBudget) return 'budget-exceeded';
    return ctx.signal.aborted ? 'cancelled' : 'failed';
  } finally {
    clearInterval(watch);
    stopListening();
  }
}
