import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composePlatform, PlatformConfigSchema } from '@metaspo/platform';
import type { CandidateSelection, RunConfigInput, RunExport } from '@metaspo/schemas';
import type { Command } from 'commander';
import { integer } from '../options.js';
import { printJson, printTable } from '../output.js';
import { type BenchTargetRow, benchCommand } from './bench.js';

/** What one run of the pair (full or racing) decided and what its outer loops sent. */
interface RacingModeResult {
  /** The system prompt after each outer loop (accepted or kept). */
  systemPrompts: string[];
  accepted: boolean[];
  finalPrompt: string;
  /** Base-model requests of the outer loops' candidate evaluations. */
  outerBaseRequests: number;
  baseTrainRequests: number;
  /** Calls the gateway sent to the provider (not from its cache), base and optimizer. */
  paidCalls: number;
  wallMs: number;
}

interface RacingSeedResult {
  seed: number;
  full: RacingModeResult;
  racing: RacingModeResult;
  /** Per outer loop: both runs hold the same system prompt after it. */
  sameAfterIteration: boolean[];
  sameFinal: boolean;
}

interface RacingBenchResult {
  config: RunConfigInput;
  seeds: RacingSeedResult[];
  agreement: { same: number; of: number; target: number; pass: boolean };
  outerBaseRequests: { full: number; racing: number; savedShare: number; target: number; pass: boolean };
}

const AGREEMENT_TARGET = 9;
const SAVED_TARGET = 0.5;

/**
 * The outer loops' base requests of a finished run: every base train request except those of
 * the initial and inner-loop evaluations, which score each of their nodes on the whole sample.
 * (A race's dropped pairs hold no score, so their requests are only in the run's counters.)
 */
function outerBaseRequests(exported: RunExport): number {
  const others = exported.nodes.filter(
    (n) => n.phase !== 'outer' && n.kind === 'user' && n.trainScore !== null,
  ).length;
  return exported.calls.baseTrain - others * exported.config.trainSize;
}

async function runOnce(config: RunConfigInput, selection: CandidateSelection): Promise<RacingModeResult> {
  // A platform of its own per run: a fresh cache, so neither run replays the other's requests.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `metaspo-bench-racing-${selection}-`));
  const platform = composePlatform({
    mode: 'all',
    dataDir: dir,
    config: PlatformConfigSchema.parse({ llm: { concurrency: 64 } }),
  });
  try {
    const { optimizer } = platform.services;
    const started = performance.now();
    const created = optimizer.createRun({ config: { ...config, selection } });
    optimizer.startRun(created.id);
    const run = await optimizer.waitForRun(created.id);
    const wallMs = Math.round(performance.now() - started);
    if (run.status !== 'completed') throw new Error(`bench run ${run.id} ended ${run.status}: ${run.error}`);
    const exported = await optimizer.exportRun(run.id);
    const outer = exported.iterations.filter((s) => s.stage === 'outer');
    return {
      systemPrompts: outer.map((s) => s.systemPrompt),
      accepted: outer.map((s) => s.accepted === true),
      finalPrompt: exported.optimizedSystemPrompt ?? '',
      outerBaseRequests: outerBaseRequests(exported),
      baseTrainRequests: exported.calls.baseTrain,
      paidCalls: exported.usage?.paidCalls ?? 0,
      wallMs,
    };
  } finally {
    await platform.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `metaspo bench racing`: the reference-default MetaSPO config on the in-process simulator
 * (`sim:default`, the procedural domain), per seed once with `selection: full` and once with
 * `racing`; how often both accept the same system prompts, and the outer loops' base requests
 * racing saves.
 */
async function runRacingBench(options: {
  seeds: number;
  firstSeed: number;
  quick: boolean;
  log: (line: string) => void;
}): Promise<RacingBenchResult> {
  const config: RunConfigInput = {
    metaTrainTasks: 'procedural',
    ...(options.quick ? { trainSize: 10, testSize: 20 } : {}),
  };
  const seeds: RacingSeedResult[] = [];
  for (let i = 0; i < options.seeds; i += 1) {
    const seed = options.firstSeed + i;
    const full = await runOnce({ ...config, seed }, 'full');
    const racing = await runOnce({ ...config, seed }, 'racing');
    const sameAfterIteration = full.systemPrompts.map((p, k) => racing.systemPrompts[k] === p);
    const result = {
      seed,
      full,
      racing,
      sameAfterIteration,
      sameFinal: full.finalPrompt === racing.finalPrompt,
    };
    options.log(
      `seed ${seed}: ${result.sameFinal ? 'same' : 'DIFFERENT'} final prompt, outer base requests ${full.outerBaseRequests} -> ${racing.outerBaseRequests}`,
    );
    seeds.push(result);
  }
  const same = seeds.filter((s) => s.sameFinal).length;
  const sum = (f: (s: RacingSeedResult) => number) => seeds.reduce((n, s) => n + f(s), 0);
  const fullOuter = sum((s) => s.full.outerBaseRequests);
  const racingOuter = sum((s) => s.racing.outerBaseRequests);
  const savedShare = fullOuter === 0 ? 0 : 1 - racingOuter / fullOuter;
  const agreementTarget = Math.ceil((AGREEMENT_TARGET / 10) * seeds.length);
  return {
    config,
    seeds,
    agreement: { same, of: seeds.length, target: agreementTarget, pass: same >= agreementTarget },
    outerBaseRequests: {
      full: fullOuter,
      racing: racingOuter,
      savedShare,
      target: SAVED_TARGET,
      pass: savedShare >= SAVED_TARGET,
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
    .option('--quick', 'train 10 / test 20 instead of the reference 50 / 500, for a fast check')
    .action(async (opts: { json?: boolean; seeds: number; firstSeed: number; quick?: boolean }) => {
      const result = await runRacingBench({
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
          'same per iteration': s.sameAfterIteration.map((same) => (same ? 'y' : 'n')).join(''),
          'same final': s.sameFinal ? 'yes' : 'NO',
          'outer base (full)': s.full.outerBaseRequests,
          'outer base (racing)': s.racing.outerBaseRequests,
          'paid calls (full)': s.full.paidCalls,
          'paid calls (racing)': s.racing.paidCalls,
        })),
      );
      const { agreement, outerBaseRequests: outer } = result;
      process.stdout.write(
        `\nsame final system prompt: ${agreement.same} of ${agreement.of} (target >= ${agreement.target}) ${agreement.pass ? 'pass' : 'MISSED'}\n` +
          `outer-loop base requests: ${outer.full} -> ${outer.racing}, saved ${(outer.savedShare * 100).toFixed(1)}% (target >= ${outer.target * 100}%) ${outer.pass ? 'pass' : 'MISSED'}\n`,
      );
    });
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
  ];
}
