import type { RunConfigInput } from '@metaspo/schemas';

/**
 * The run the benches measure: the reference-default MetaSPO config (the reference's own
 * defaults, spelled out) on the simulator's procedural domain: 4 tasks, 3 iterations, 9 system
 * and 3 user candidates, 3 kept, train 50, test 500; `quick` keeps the shape on train 10, test 50.
 */
export function referenceBenchConfig(quick = false): RunConfigInput {
  return {
    metaTrainTasks: 'procedural',
    baseModel: 'sim:default',
    optimizerModel: 'sim:default',
    iterations: 3,
    numSystemCandidates: 9,
    numUserCandidates: 3,
    userTopK: 3,
    trainSize: quick ? 10 : 50,
    testSize: quick ? 50 : 500,
  };
}
