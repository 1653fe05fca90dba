import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentPlan, ExperimentRecord, ExperimentReport } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, REPO_ROOT, runCli, runCliJson, startCli, tempDir } from '../support/cli-process.js';
import { type SimProcess, startSimProcess } from '../support/sim-process.js';

const SHARED_DATASETS = process.env.METASPO_SHARED_DATASETS ?? path.resolve(REPO_ROOT, '../shared/datasets');
const TASKS = [
  'proc_tracking_swaps',
  'proc_navigation',
  'proc_object_counting',
  'proc_date_arithmetic',
  'proc_boolean_expressions',
  'proc_arithmetic_word_problems',
];
/** The experiment's concurrency (configs/paper-sim.yaml): requests a kill can leave in flight, twice. */
const LOST_AT_KILL = 2 * 32;

async function fetchData(dataDir: string): Promise<void> {
  await runCliJson([
    '--data-dir',
    dataDir,
    'datasets',
    'fetch',
    '--task',
    'navigate',
    ...TASKS,
    '--from',
    SHARED_DATASETS,
    '--json',
  ]);
}

/** The report without what differs between two runs of one config (ids, counts of what was paid). */
function comparable(report: ExperimentReport) {
  return {
    unseen: report.unseen,
    adapt: report.adapt,
    methods: report.methods,
    bootstrap: report.bootstrap,
    figures: report.figures.filter((f) => f.name !== 'cost'),
  };
}

describe('metaspo experiment against two `metaspo sim serve` servers', () => {
  const root = tempDir('experiment');
  let base: SimProcess;
  let optimizer: SimProcess;
  let env: NodeJS.ProcessEnv;
  let configFile: string;
  const sent = async () => ({
    base: (await base.stats()).requests,
    optimizer: (await optimizer.stats()).requests,
  });

  beforeAll(async () => {
    const simData = path.join(root, 'sim-data');
    await fetchData(simData);
    [base, optimizer] = await Promise.all([
      startSimProcess({ dataDir: simData, tasks: TASKS, latencyMs: 2 }),
      startSimProcess({ dataDir: simData, tasks: TASKS, latencyMs: 2 }),
    ]);
    env = cliEnv({
      OPENAI_COMPATIBLE_BASE_URL: `${base.url}/v1`,
      OPENAI_BASE_URL: `${optimizer.url}/v1`,
      OPENAI_API_KEY: 'sk-test-experiment',
      // Short leases: a killed owner's experiment and runs are free to resume after a second.
      METASPO_LEASE_HEARTBEAT_MS: '200',
      METASPO_LEASE_EXPIRY_MS: '1000',
    });
    // configs/paper-sim.yaml with its two models sent to the two servers (one per model).
    const config = fs
      .readFileSync(path.join(REPO_ROOT, 'configs/paper-sim.yaml'), 'utf8')
      .replace(/^baseModel: .*$/m, 'baseModel: openai-compatible:default')
      .replace(/^optimizerModel: .*$/m, 'optimizerModel: openai:default');
    configFile = path.join(root, 'paper-sim-http.yaml');
    fs.writeFileSync(configFile, config);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([base?.close(), optimizer?.close()]);
  });

  it('plans without a request, refuses to start unasked off a terminal, and survives kill -9 to the same report', async () => {
    const uninterrupted = path.join(root, 'uninterrupted');
    const killed = path.join(root, 'killed');
    await Promise.all([fetchData(uninterrupted), fetchData(killed)]);

    const plan = await runCliJson<ExperimentPlan>(
      ['--data-dir', uninterrupted, 'experiment', 'plan', '--config', configFile, '--json'],
      env,
    );
    expect(await sent()).toEqual({ base: 0, optimizer: 0 });
    expect(plan.models.map((m) => m.model).sort()).toEqual(['openai-compatible:default', 'openai:default']);

    // Unknown prices need a confirmation: without a terminal and without --yes nothing starts.
    const refused = await runCli(
      ['--data-dir', uninterrupted, 'experiment', 'run', '--config', configFile],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not starting: .*no known price.*pass --yes/);
    expect(await sent()).toEqual({ base: 0, optimizer: 0 });

    const reference = await runCliJson<ExperimentRecord>(
      ['--data-dir', uninterrupted, 'experiment', 'run', '--config', configFile, '--yes', '--json'],
      env,
    );
    expect(reference.status).toBe('completed');
    const once = await sent();
    for (const model of plan.models) {
      const server = model.model === 'openai:default' ? once.optimizer : once.base;
      expect(server).toBeLessThanOrEqual(model.requests);
      expect(server).toBeGreaterThan(0.8 * model.requests);
    }

    // The same grid in another data directory, killed with SIGKILL after three cells.
    const child = startCli(['--data-dir', killed, 'experiment', 'run', '--config', configFile, '--yes'], env);
    await child.waitForStderr(/cells 3\/12/);
    child.child.kill('SIGKILL');
    await child.result;
    // Past the lease expiry: the dead owner's experiment and runs are free to resume.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const [stopped] = await runCliJson<ExperimentRecord[]>(
      ['--data-dir', killed, 'experiment', 'list', '--json'],
      env,
    );
    expect(stopped?.status).toBe('running');
    expect(stopped?.progress.cellsDone).toBeLessThan(12);
    const resumed = await runCliJson<ExperimentRecord>(
      ['--data-dir', killed, 'experiment', 'resume', stopped!.id, '--json'],
      env,
    );
    expect(resumed.status).toBe('completed');
    const twice = await sent();
    const paidKilled = twice.base + twice.optimizer - (once.base + once.optimizer);
    expect(paidKilled).toBeGreaterThanOrEqual(once.base + once.optimizer);
    expect(paidKilled).toBeLessThanOrEqual(once.base + once.optimizer + LOST_AT_KILL);

    const reports = await Promise.all(
      [
        [uninterrupted, reference.id],
        [killed, resumed.id],
      ].map(async ([dir, id]) => {
        const out = path.join(dir as string, 'report');
        const files = await runCli(
          [
            '--data-dir',
            dir as string,
            'experiment',
            'report',
            id as string,
            '--format',
            'md,csv,json',
            '--out',
            out,
          ],
          env,
        );
        expect(files.code, files.stderr).toBe(0);
        expect(fs.readdirSync(out).sort()).toEqual([
          'adapt.csv',
          'adapt.svg',
          'cost.csv',
          'cost.svg',
          'report.json',
          'report.md',
          'unseen.csv',
          'unseen.svg',
        ]);
        return JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as ExperimentReport;
      }),
    );
    expect(comparable(reports[1]!)).toEqual(comparable(reports[0]!));
  }, 600_000);
});
