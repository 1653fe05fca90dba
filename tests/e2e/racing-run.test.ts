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
});
