import { PlatformConfigSchema } from '@metaspo/platform';
import { referenceBenchConfig } from '@metaspo/platform/bench';
import type { CandidateSelection, NodePhase, RunConfigInput, RunExport } from '@metaspo/schemas';
import type { Command } from 'commander';
import { fraction, integer } from '../options.js';
import { printJson, printTable } from '../output.js';
import { type BenchTargetRow, benchCommand } from './bench.js';
import { onFreshPlatform, type RequestsSaved, requestsSaved } from './bench-fresh-platform.js';

/** What one run of the pair (full or racing) decided and what its outer loops sent. */
interface RacingModeResult {
  /** The system prompt after each outer loop (accepted or kept). */
  systemPrompts: string[];
  accepted: boolean[];
  finalPrompt: string;
  /** Base-model requests of the outer loops' candidate evaluations. */
  outerBaseRequests: number;
  /** Base-model train requests of the inner loops' user candidates. */
  innerBaseRequests: number;
  baseTrainRequests: number;
  /** Calls the gateway sent to the provider (not from its cache), base and optimizer. */
  paidCalls: number;
  wallMs: number;
}

interface RacingSeedResult {
  seed: number;
  full: RacingModeResult;
  /** `selection: racing`: the outer loops race. */
  racing: RacingModeResult;
  /** `selection: racing` and `userSelection: racing`: both loops race. */
  bothLoops: RacingModeResult;
  /** Per outer loop: the racing run holds the same system prompt as full after it. */
  sameAfterIteration: boolean[];
  sameFinal: boolean;
  bothLoopsSameFinal: boolean;
}

interface RacingBenchResult {
  config: RunConfigInput;
  seeds: RacingSeedResult[];
  agreement: { same: number; of: number; target: number; pass: boolean };
  outerBaseRequests: RequestsSaved & { target: number; pass: boolean };
  /** Both loops racing: agreement, and the inner and outer loops' candidate requests together. */
  bothLoops: { same: number; of: number; candidateBaseRequests: RequestsSaved };
}

const AGREEMENT_TARGET = 9;
const SAVED_TARGET = 0.5;

/** The base-model train requests of the nodes one phase created (the export's per-phase calls). */
function phaseBaseTrain(exported: RunExport, phase: NodePhase): number {
  return exported.callsByPhase?.find((p) => p.phase === phase)?.baseTrain ?? 0;
}

interface RacingMode {
  selection: CandidateSelection;
  userSelection: CandidateSelection;
}

/** One run on a platform of its own: no run replays another's requests. */
function runOnce(config: RunConfigInput, mode: RacingMode): Promise<RacingModeResult> {
  return onFreshPlatform(
    'racing',
    async ({ services: { optimizer } }) => {
      const started = performance.now();
      const created = optimizer.createRun({ config: { ...config, ...mode } });
      optimizer.startRun(created.id);
      const run = await optimizer.waitForRun(created.id);
      const wallMs = Math.round(performance.now() - started);
      if (run.status !== 'completed')
        throw new Error(`bench run ${run.id} ended ${run.status}: ${run.error}`);
      const exported = await optimizer.exportRun(run.id);
      const outer = exported.iterations.filter((s) => s.stage === 'outer');
      return {
        systemPrompts: outer.map((s) => s.systemPrompt),
        accepted: outer.map((s) => s.accepted === true),
        finalPrompt: exported.optimizedSystemPrompt ?? '',
        outerBaseRequests: phaseBaseTrain(exported, 'outer'),
        innerBaseRequests: phaseBaseTrain(exported, 'inner'),
        baseTrainRequests: exported.calls.baseTrain,
        paidCalls: exported.usage?.paidCalls ?? 0,
        wallMs,
      };
    },
    PlatformConfigSchema.parse({ llm: { concurrency: 64 } }),
  );
}

/**
 * `metaspo bench racing`: the reference-default MetaSPO config on the in-process simulator
 * (`sim:default`, the procedural domain), per seed with `full` selection, with racing outer
 * loops, and with both loops racing; how often racing accepts the same system prompts as full,
 * and the base requests it saves.
 */
async function runRacingBench(options: {
  seeds: number;
  firstSeed: number;
  quick: boolean;
  delta: number | undefined;
  log: (line: string) => void;
}): Promise<RacingBenchResult> {
  const config: RunConfigInput = {
    ...referenceBenchConfig(options.quick),
    ...(options.delta === undefined ? {} : { racingDelta: options.delta }),
  };
  const seeds: RacingSeedResult[] = [];
  for (let i = 0; i < options.seeds; i += 1) {
    const seed = options.firstSeed + i;
    const full = await runOnce({ ...config, seed }, { selection: 'full', userSelection: 'full' });
    const racing = await runOnce({ ...config, seed }, { selection: 'racing', userSelection: 'full' });
    const bothLoops = await runOnce({ ...config, seed }, { selection: 'racing', userSelection: 'racing' });
    const sameAfterIteration = full.systemPrompts.map((p, k) => racing.systemPrompts[k] === p);
    const result = {
      seed,
      full,
      racing,
      bothLoops,
      sameAfterIteration,
      sameFinal: full.finalPrompt === racing.finalPrompt,
      bothLoopsSameFinal: full.finalPrompt === bothLoops.finalPrompt,
    };
    options.log(
      `seed ${seed}: ${result.sameFinal ? 'same' : 'DIFFERENT'} final prompt, outer base requests ${full.outerBaseRequests} -> ${racing.outerBaseRequests}; both loops racing: ${result.bothLoopsSameFinal ? 'same' : 'DIFFERENT'}`,
    );
    seeds.push(result);
  }
  const same = seeds.filter((s) => s.sameFinal).length;
  const saved = (full: (s: RacingSeedResult) => number, racing: (s: RacingSeedResult) => number) => {
    const sum = (f: (s: RacingSeedResult) => number) => seeds.reduce((n, s) => n + f(s), 0);
    return requestsSaved(sum(full), sum(racing));
  };
  const outer = saved(
    (s) => s.full.outerBaseRequests,
    (s) => s.racing.outerBaseRequests,
  );
  const candidates = (mode: RacingModeResult) => mode.outerBaseRequests + mode.innerBaseRequests;
  const agreementTarget = Math.ceil((AGREEMENT_TARGET / 10) * seeds.length);
  return {
    config,
    seeds,
    agreement: { same, of: seeds.length, target: agreementTarget, pass: same >= agreementTarget },
    outerBaseRequests: { ...outer, target: SAVED_TARGET, pass: outer.savedShare >= SAVED_TARGET },
    bothLoops: {
      same: seeds.filter((s) => s.bothLoopsSameFinal).length,
      of: seeds.length,
      candidateBaseRequests: saved(
        (s) => candidates(s.full),
        (s) => candidates(s.bothLoops),
      ),
    },
  };
}

export function registerBenchRacingCommands(program: Command): void {
  benchCommand(program)
    .command('racing')
    .description(
      'racing vs full selection of system candidates over 10 seeds of the reference defaults (sim): same decisions, outer-loop requests saved',
    )
    .option('--json', 'print only JSON')
    .option('--seeds <n>', 'seeds to run (each with full and with racing)', integer, 10)
    .option('--first-seed <n>', 'the first seed', integer, 42)
    .option('--quick', 'train 10 / test 50 instead of the reference 50 / 500, for a fast check')
    .option('--delta <x>', "the races' error budget per loop (RunConfig racingDelta; default 0.03)", fraction)
    .action(
      async (opts: { json?: boolean; seeds: number; firstSeed: number; quick?: boolean; delta?: number }) => {
        const result = await runRacingBench({
          seeds: opts.seeds,
          firstSeed: opts.firstSeed,
          quick: opts.quick === true,
          delta: opts.delta,
          log: opts.json ? () => {} : (line) => process.stderr.write(`${line}\n`),
        });
        if (opts.json) {
          printJson(result);
          return;
        }
        printTable(
          result.seeds.map((s) => ({
            seed: s.seed,
            'same per iteration': s.sameAfterIteration.map((same) => (same ? 'y' : 'n')).join(''),
            'same final': s.sameFinal ? 'yes' : 'NO',
            'outer base (full)': s.full.outerBaseRequests,
            'outer base (racing)': s.racing.outerBaseRequests,
            'paid calls (full)': s.full.paidCalls,
            'paid calls (racing)': s.racing.paidCalls,
            'both loops: same final': s.bothLoopsSameFinal ? 'yes' : 'NO',
            'both loops: candidate base': s.bothLoops.outerBaseRequests + s.bothLoops.innerBaseRequests,
          })),
        );
        const { agreement, outerBaseRequests: outer, bothLoops } = result;
        const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
        process.stdout.write(
          `\nsame final system prompt: ${agreement.same} of ${agreement.of} (target >= ${agreement.target}) ${agreement.pass ? 'pass' : 'MISSED'}\n` +
            `outer-loop base requests: ${outer.full} -> ${outer.racing}, saved ${percent(outer.savedShare)} (target >= ${outer.target * 100}%) ${outer.pass ? 'pass' : 'MISSED'}\n` +
            `both loops racing: same final prompt ${bothLoops.same} of ${bothLoops.of}; inner + outer candidate base requests ${bothLoops.candidateBaseRequests.full} -> ${bothLoops.candidateBaseRequests.racing}, saved ${percent(bothLoops.candidateBaseRequests.savedShare)}\n`,
        );
      },
    );
}

/** The headline rows of `metaspo bench all` (`json`: this bench's --json output). */
export function racingBenchRows(json: unknown): BenchTargetRow[] {
  const r = json as RacingBenchResult;
  return [
    {
      bench: 'racing',
      figure: `seeds whose racing run accepts the same final system prompt as full (of ${r.agreement.of})`,
      measured: r.agreement.same,
      target: `>= ${r.agreement.target}`,
      pass: r.agreement.pass,
    },
    {
      bench: 'racing',
      figure: "share of the outer loops' base requests racing saves",
      measured: Number(r.outerBaseRequests.savedShare.toFixed(3)),
      target: `>= ${r.outerBaseRequests.target}`,
      pass: r.outerBaseRequests.pass,
    },
    {
      bench: 'racing',
      figure: `both loops racing: seeds with the same final system prompt as full (of ${r.bothLoops.of})`,
      measured: r.bothLoops.same,
      target: '-',
      pass: null,
    },
    {
      bench: 'racing',
      figure: "both loops racing: share of the inner and outer loops' candidate base requests saved",
      measured: Number(r.bothLoops.candidateBaseRequests.savedShare.toFixed(3)),
      target: '-',
      pass: null,
    },
  ];
}
