import { PlatformConfigSchema } from '@metaspo/platform';
import type { AdaptResult, CandidateSelection, MetaTestStartInput } from '@metaspo/schemas';
import type { Command } from 'commander';
import { integer } from '../options.js';
import { printJson, printTable } from '../output.js';
import { benchCommand } from './bench.js';
import { onFreshPlatform, type RequestsSaved, requestsSaved } from './bench-fresh-platform.js';

interface AdaptModeResult {
  adapt: AdaptResult;
  /** Calls the gateway sent to the provider for the meta-test (base and optimizer). */
  paidCalls: number;
  wallMs: number;
}

interface AdaptSeedResult {
  seed: number;
  full: AdaptModeResult;
  racing: AdaptModeResult;
  /** Every curve point (test and train score, user prompt) and every beam as full has them. */
  sameCurves: boolean;
}

interface AdaptRacingBenchResult {
  input: MetaTestStartInput;
  seeds: AdaptSeedResult[];
  agreement: { same: number; of: number };
  paidCalls: RequestsSaved;
}

/** One meta-test on a platform of its own: neither mode replays the other's requests. */
function adaptOnce(input: MetaTestStartInput, userSelection: CandidateSelection): Promise<AdaptModeResult> {
  return onFreshPlatform(
    'racing-adapt',
    async ({ services: { optimizer, llm } }) => {
      const started = performance.now();
      const record = await optimizer.waitForMetaTest(
        (await optimizer.startMetaTest({ ...input, userSelection })).id,
      );
      const wallMs = Math.round(performance.now() - started);
      if (record.status !== 'completed' || !record.adapt) {
        throw new Error(`bench meta-test ${record.id} ended ${record.status}: ${record.error}`);
      }
      return { adapt: record.adapt, paidCalls: llm.usage(record.id).totals.paidCalls, wallMs };
    },
    PlatformConfigSchema.parse({ llm: { concurrency: 64 } }),
  );
}

/**
 * `metaspo bench racing-adapt`: the adaptation meta-test (ProTeGi on the procedural domain's
 * unseen tasks under the fixed system prompts, the reference's 6 rounds and beam of 3) per seed
 * with `userSelection: full` and `racing`: whether the curves are the same, and the provider
 * calls racing saves.
 */
async function runAdaptRacingBench(options: {
  seeds: number;
  firstSeed: number;
  quick: boolean;
  log: (line: string) => void;
}): Promise<AdaptRacingBenchResult> {
  const input: MetaTestStartInput = {
    kind: 'adapt',
    tasks: 'procedural',
    baseModel: 'sim:default',
    optimizerModel: 'sim:default',
    trainSize: options.quick ? 10 : 50,
    testSize: options.quick ? 50 : 500,
  };
  const seeds: AdaptSeedResult[] = [];
  for (let i = 0; i < options.seeds; i += 1) {
    const seed = options.firstSeed + i;
    const full = await adaptOnce({ ...input, seed }, 'full');
    const racing = await adaptOnce({ ...input, seed }, 'racing');
    const sameCurves = JSON.stringify(full.adapt) === JSON.stringify(racing.adapt);
    options.log(
      `seed ${seed}: ${sameCurves ? 'same' : 'DIFFERENT'} curves, paid calls ${full.paidCalls} -> ${racing.paidCalls}`,
    );
    seeds.push({ seed, full, racing, sameCurves });
  }
  const sum = (f: (s: AdaptSeedResult) => number) => seeds.reduce((n, s) => n + f(s), 0);
  return {
    input,
    seeds,
    agreement: { same: seeds.filter((s) => s.sameCurves).length, of: seeds.length },
    paidCalls: requestsSaved(
      sum((s) => s.full.paidCalls),
      sum((s) => s.racing.paidCalls),
    ),
  };
}

export function registerBenchRacingAdaptCommands(program: Command): void {
  benchCommand(program)
    .command('racing-adapt')
    .description(
      "racing vs full scoring of ProTeGi's rewrites in the adaptation meta-test (sim): same curves, provider calls saved",
    )
    .option('--json', 'print only JSON')
    .option('--seeds <n>', 'seeds to run (each with full and with racing)', integer, 5)
    .option('--first-seed <n>', 'the first seed', integer, 42)
    .option('--quick', 'train 10 / test 50 instead of the reference 50 / 500, for a fast check')
    .action(async (opts: { json?: boolean; seeds: number; firstSeed: number; quick?: boolean }) => {
      const result = await runAdaptRacingBench({
        seeds: opts.seeds,
        firstSeed: opts.firstSeed,
        quick: opts.quick === true,
        log: opts.json ? () => {} : (line) => process.stderr.write(`${line}\n`),
      });
      if (opts.json) {
        printJson(result);
        return;
      }
      printTable(
        result.seeds.map((s) => ({
          seed: s.seed,
          'same curves': s.sameCurves ? 'yes' : 'NO',
          'paid calls (full)': s.full.paidCalls,
          'paid calls (racing)': s.racing.paidCalls,
          'wall ms (full)': s.full.wallMs,
          'wall ms (racing)': s.racing.wallMs,
        })),
      );
      const { agreement, paidCalls } = result;
      process.stdout.write(
        `\nsame curves: ${agreement.same} of ${agreement.of}\n` +
          `paid calls: ${paidCalls.full} -> ${paidCalls.racing}, saved ${(paidCalls.savedShare * 100).toFixed(1)}%\n`,
      );
    });
}
