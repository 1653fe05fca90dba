import type { RunConfigInput, RunRecord } from '@metaspo/schemas';
import type { Platform } from './platform.js';

/** The procedural meta-train tasks every algorithm test uses (small: the suite must stay fast). */
export const TRAIN_TASKS = ['proc_tracking_swaps', 'proc_navigation', 'proc_date_arithmetic'];

export function smallConfig(overrides: Partial<RunConfigInput> = {}): RunConfigInput {
  return {
    metaTrainTasks: TRAIN_TASKS,
    iterations: 2,
    numSystemCandidates: 3,
    numUserCandidates: 3,
    userTopK: 3,
    trainSize: 10,
    testSize: 20,
    concurrency: 16,
    ...overrides,
  };
}

/** Creates, starts and waits for a run. */
export async function runToEnd(platform: Platform, config: RunConfigInput): Promise<RunRecord> {
  const run = platform.optimizer.createRun({ config });
  platform.optimizer.startRun(run.id);
  return platform.optimizer.waitForRun(run.id);
}

/** Requests the gateway's ledger recorded for a run (cached or paid). */
export async function ledgerCalls(platform: Platform, runId: string): Promise<number> {
  return (await platform.llm.usage.query({ runId })).totals.calls;
}
