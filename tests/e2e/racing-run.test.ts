import fs from 'node:fs';
import path from 'node:path';
import type { Race, RunExport } from '@metaspo/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, REPO_ROOT, runCli, tempDir } from '../support/cli-process.js';

describe('a racing run through the CLI (real processes, SQLite files)', () => {
  const dataDir = tempDir('racing');
  const env = cliEnv({ METASPO_DATA_DIR: dataDir });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('shows its races in runs show and exports their rounds with the calls per phase', async () => {
    // configs/quick.yaml with both loops racing on a train sample of 20 (rounds on 5, 10, then 20).
    const quick = fs.readFileSync(path.join(REPO_ROOT, 'configs/quick.yaml'), 'utf8');
    const config = path.join(dataDir, 'racing.yaml');
    fs.writeFileSync(
      config,
      `${quick.replace(/^trainSize: .*$/m, 'trainSize: 20')}selection: racing\nuserSelection: racing\n`,
    );
    const train = await runCli(['train', '--config', config, '--json'], env);
    expect(train.code, train.stderr).toBe(0);
    const runId: string = JSON.parse(train.stdout).runId;

    const exported = await runCli(['runs', 'export', runId], env);
    expect(exported.code, exported.stderr).toBe(0);
    const run = JSON.parse(exported.stdout) as RunExport;
    const races = run.races ?? [];
    // Two iterations: per iteration one outer race and one inner race per task.
    expect(races.map((r) => r.scope)).toEqual([
      'i1/inner/proc_navigation',
      'i1/inner/proc_tracking_swaps',
      'i1/outer',
      'i2/inner/proc_navigation',
      'i2/inner/proc_tracking_swaps',
      'i2/outer',
    ]);
    for (const race of races) {
      expect(race.rounds.map((r) => r.size)).toEqual([5, 10]);
      for (const round of race.rounds) {
        for (const id of round.dropped) expect(round.evaluated).toContain(id);
        expect(round.requests).toBeGreaterThan(0);
      }
    }
    // The export's calls per phase add up to the run's counters.
    const phases = run.callsByPhase ?? [];
    expect(phases.reduce((n, p) => n + p.baseTrain, 0)).toBe(run.calls.baseTrain);
    expect(phases.reduce((n, p) => n + p.optimizer, 0)).toBe(run.calls.optimizer);
    expect(phases.map((p) => p.phase)).toEqual(['initial', 'inner', 'outer']);

    const shown = await runCli(['runs', 'show', runId], env);
    expect(shown.code, shown.stderr).toBe(0);
    const dropped = races.reduce(
      (n, race: Race) => n + race.rounds.reduce((m, r) => m + r.dropped.length, 0),
      0,
    );
    expect(shown.stdout).toContain(`racing: 6 races dropped ${dropped} candidates`);
    const outer = races.find((r) => r.scope === 'i1/outer');
    const alive = outer?.rounds.map((r) => r.evaluated.length) ?? [];
    expect(shown.stdout).toMatch(
      new RegExp(
        `  i1/outer: candidates ${alive.join(' -> ')} -> \\d+ finished \\(prefixes of 5, 10 examples per task\\)`,
      ),
    );
  }, 240_000);

  it('races a protegi run’s levels and ends where the full run ends, on fewer base requests', async () => {
    const quick = fs.readFileSync(path.join(REPO_ROOT, 'configs/quick.yaml'), 'utf8');
    const protegi = quick
      .replace('method: metaspo', 'method: protegi')
      .replace(/^trainSize: .*$/m, 'trainSize: 20')
      .replace(/^iterations: .*$/m, 'adaptIterations: 2\nbeamSize: 2');
    const exportOf = async (name: string, yaml: string) => {
      const config = path.join(dataDir, `${name}.yaml`);
      fs.writeFileSync(config, yaml);
      const train = await runCli(['train', '--config', config, '--json'], env);
      expect(train.code, train.stderr).toBe(0);
      const exported = await runCli(['runs', 'export', JSON.parse(train.stdout).runId], env);
      expect(exported.code, exported.stderr).toBe(0);
      return JSON.parse(exported.stdout) as RunExport;
    };
    const full = await exportOf('protegi-full', protegi);
    const racing = await exportOf('protegi-racing', `${protegi}userSelection: racing\n`);

    expect(full.races ?? []).toEqual([]);
    // Per task a race per level (the initial expansion and 2 rounds), rounds on 5 and 10.
    expect((racing.races ?? []).map((r) => r.scope)).toEqual(
      [1, 2, 3].flatMap((level) => [
        `i${level}/inner/proc_navigation`,
        `i${level}/inner/proc_tracking_swaps`,
      ]),
    );
    expect(racing.scores).toEqual(full.scores);
    const dropped = (racing.races ?? []).reduce(
      (n, r) => n + r.rounds.reduce((m, x) => m + x.dropped.length, 0),
      0,
    );
    expect(dropped).toBeGreaterThan(0);
    expect(racing.calls.baseTrain).toBeLessThan(full.calls.baseTrain);
  }, 240_000);

  it('benches racing in the adaptation meta-test: JSON per seed and the calls saved', async () => {
    const bench = await runCli(['bench', 'racing-adapt', '--quick', '--seeds', '1', '--json'], env);
    expect(bench.code, bench.stderr).toBe(0);
    const result = JSON.parse(bench.stdout) as {
      seeds: Array<{
        seed: number;
        sameCurves: boolean;
        full: { paidCalls: number };
        racing: { paidCalls: number };
      }>;
      agreement: { same: number; of: number };
      paidCalls: { full: number; racing: number; savedShare: number };
    };
    expect(result.seeds.map((s) => s.seed)).toEqual([42]);
    const [seed] = result.seeds;
    expect(result.agreement).toEqual({ same: seed?.sameCurves ? 1 : 0, of: 1 });
    expect(result.paidCalls).toMatchObject({ full: seed?.full.paidCalls, racing: seed?.racing.paidCalls });
    expect(result.paidCalls.racing).toBeLessThanOrEqual(result.paidCalls.full);
    expect(result.paidCalls.savedShare).toBeCloseTo(1 - result.paidCalls.racing / result.paidCalls.full, 12);
  }, 120_000);
});
