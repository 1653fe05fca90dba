/**
 * The config the New experiment view starts from: configs/paper-sim.yaml's shape (two domains
 * of procedural tasks, every method, the simulator), small enough to finish in seconds.
 */
export const EXPERIMENT_TEMPLATE = `name: paper-sim
domains:
  - name: tracking
    metaTrainTasks: [proc_tracking_swaps, proc_navigation]
    metaTestTasks: [proc_object_counting]
  - name: arithmetic
    metaTrainTasks: [proc_date_arithmetic, proc_boolean_expressions]
    metaTestTasks: [proc_arithmetic_word_problems]
methods: [default, chain-of-thought, service, sprig, outer-loop, metaspo, metaspo-ape]
baseModel: sim:default
optimizerModel: sim:default
seeds: [42]
protocols: [unseen, adapt]
scoring: strict
concurrency: 32
run:
  iterations: 2
  numSystemCandidates: 2
  numUserCandidates: 2
  userTopK: 2
  trainSize: 8
  testSize: 20
  unseenUserPrompts: 3
  adaptIterations: 1
  beamSize: 2
budget:
  maxCalls: 20000
plan:
  latencySeconds: 0.05
`;
