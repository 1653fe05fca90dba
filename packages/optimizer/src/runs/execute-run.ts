import type { RunRecord, RunResult } from '@metaspo/schemas';
import { DomainError } from '@metaspo/service-kit';
import { expectedCalls, totalRequests } from '../call-count.js';
import { type EngineClients, RunContext } from '../engine/context.js';
import { runStepStore } from '../engine/step-store.js';
import { runBilevel } from '../methods/bilevel.js';
import { runSprig } from '../methods/sprig.js';
import { runUserBaseline } from '../methods/user-baselines.js';
import type { EventLog } from '../store/event-log.js';
import type { RunStore } from '../store/run-store.js';
import { loadTasks, resolveTaskIds } from '../tasks.js';
import { InFlight } from './in-flight.js';
import { withRunGuards, withScoring } from './run-clients.js';

/**
 * Runs (or resumes) one run to its end. The task list is resolved at the first start and
 * stored, so a resumed run works on the same tasks even if a domain's default set changed.
 */
export async function executeRun(
  run: RunRecord,
  deps: { clients: EngineClients; store: RunStore; events: EventLog },
  signal: AbortSignal,
): Promise<RunResult> {
  const { clients, store, events } = deps;
  let taskIds = store.taskIdsOf(run.id);
  if (!taskIds) {
    taskIds = await resolveTaskIds(clients.datasets, run.config.metaTrainTasks, 'train', signal);
    store.updateRun(run.id, { taskIds });
  }
  const tasks = await loadTasks(clients.datasets, taskIds, signal);
  if (run.config.budget) {
    await clients.llm.budgets.set.mutate({ runId: run.id, ...run.config.budget }, { signal });
  }
  const inFlight = new InFlight();
  const guarded = withRunGuards(
    withScoring(clients, run.config.scoring),
    run.config,
    (failures) => store.recordFailedItems(run.id, failures),
    inFlight,
  );
  const ctx = new RunContext(
    run.id,
    run.config,
    tasks,
    guarded,
    runStepStore(run.id, store, events),
    signal,
    totalRequests(expectedCalls(run.config, tasks.length)),
  );
  try {
    return await runMethod(ctx);
  } catch (error) {
    inFlight.close(new DomainError('CANCELLED', `run ${run.id} is stopping`));
    await inFlight.idle();
    throw error;
  }
}

function runMethod(ctx: RunContext): Promise<RunResult> {
  if (ctx.config.method === 'sprig') return runSprig(ctx);
  return ctx.config.method === 'ape' || ctx.config.method === 'protegi'
    ? runUserBaseline(ctx)
    : runBilevel(ctx);
}
