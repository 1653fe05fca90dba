import type {
  ExperimentCell,
  ExperimentRecord,
  ExperimentReport,
  IntervalValue,
  MetaTestRecord,
  UnseenReportRow,
} from '@metaspo/schemas';
import { DomainError } from '@metaspo/service-kit';
import { bootstrapAverage, pairedBootstrap } from './bootstrap.js';
import type { ExperimentClients, ExperimentRunPorts } from './ports.js';
import { experimentCost } from './report-cost.js';
import { reportFigures } from './report-figures.js';
import { unseenMatrices } from './report-items.js';

const RESAMPLES = 10_000;
const LEVEL = 0.95;

type Matrix = number[][];

/** A meta-test's label for a method: the linked run's prompt is labelled `optimized`. */
const labelOf = (cell: ExperimentCell, method: string) => (method === cell.method ? 'optimized' : method);

const interval = (i: { estimate: number; low: number; high: number }): IntervalValue => ({
  estimate: i.estimate,
  low: i.low,
  high: i.high,
});

function bestOf(cells: Record<string, IntervalValue>): string[] {
  const top = Math.max(...Object.values(cells).map((c) => c.estimate));
  return Object.entries(cells)
    .filter(([, c]) => c.estimate === top)
    .map(([method]) => method);
}

/** Rows of the unseen table: tasks by domain, each domain's average, the overall average. */
async function unseenRows(
  record: ExperimentRecord,
  metaTests: Array<{ cell: ExperimentCell; metaTest: MetaTestRecord }>,
  clients: ExperimentClients,
  seed: number,
): Promise<UnseenReportRow[]> {
  const methods = record.config.methods;
  // (domain, task) -> method -> one matrix per seed
  const byTask = new Map<string, { domain: string; taskId: string; cells: Map<string, Matrix[]> }>();
  for (const { cell, metaTest } of metaTests) {
    const matrices = await unseenMatrices(clients, metaTest);
    for (const [taskId, perLabel] of matrices) {
      const key = `${cell.domain}|${taskId}`;
      const entry = byTask.get(key) ?? { domain: cell.domain, taskId, cells: new Map() };
      for (const method of methods) {
        const matrix = perLabel.get(labelOf(cell, method));
        if (!matrix) throw new DomainError('CONFLICT', `${metaTest.id}: no items of ${method} on ${taskId}`);
        entry.cells.set(method, [...(entry.cells.get(method) ?? []), matrix]);
      }
      byTask.set(key, entry);
    }
  }
  const options = { seed, resamples: RESAMPLES, level: LEVEL };
  const row = (
    kind: UnseenReportRow['kind'],
    domain: string | null,
    taskId: string | null,
    groups: Array<Map<string, Matrix[]>>,
  ): UnseenReportRow => {
    const cellsOf = (method: string) => groups.flatMap((g) => g.get(method) ?? []);
    const cells = Object.fromEntries(
      methods.map((m) => [m, interval(bootstrapAverage(cellsOf(m), options))]),
    );
    const versusMetaspo = methods.includes('metaspo')
      ? Object.fromEntries(
          methods
            .filter((m) => m !== 'metaspo')
            .map((m) => [m, interval(pairedBootstrap(cellsOf('metaspo'), cellsOf(m), options).difference)]),
        )
      : {};
    return { kind, domain, taskId, cells, best: bestOf(cells), versusMetaspo };
  };
  const rows: UnseenReportRow[] = [];
  const entries = [...byTask.values()];
  const domains = [...new Set(entries.map((e) => e.domain))];
  for (const domain of domains) {
    const mine = entries.filter((e) => e.domain === domain);
    for (const entry of mine) rows.push(row('task', domain, entry.taskId, [entry.cells]));
    rows.push(
      row(
        'domain',
        domain,
        null,
        mine.map((e) => e.cells),
      ),
    );
  }
  rows.push(
    row(
      'overall',
      null,
      null,
      entries.map((e) => e.cells),
    ),
  );
  return rows;
}

/** Mean adaptation curves and iterations to reach default's final score, per method. */
function adaptSummary(
  record: ExperimentRecord,
  metaTests: Array<{ cell: ExperimentCell; metaTest: MetaTestRecord }>,
): ExperimentReport['adapt'] {
  const methods = record.config.methods;
  const curves = new Map<string, number[][]>();
  const reach = new Map<string, Array<number | null>>();
  for (const { cell, metaTest } of metaTests) {
    for (const task of metaTest.adapt?.tasks ?? []) {
      for (const method of methods) {
        const curve = task.curves.find((c) => c.label === labelOf(cell, method));
        if (!curve) continue;
        curves.set(method, [...(curves.get(method) ?? []), curve.points.map((p) => p.testScore)]);
        reach.set(method, [...(reach.get(method) ?? []), curve.iterationsToReachDefault]);
      }
    }
  }
  const meanCurves: Record<string, number[]> = {};
  const iterationsToReachDefault: Record<string, number | null> = {};
  const reachedShare: Record<string, number> = {};
  for (const method of methods) {
    const all = curves.get(method) ?? [];
    const length = Math.max(0, ...all.map((c) => c.length));
    meanCurves[method] = Array.from({ length }, (_, i) => {
      const at = all.map((c) => c[i] ?? c.at(-1) ?? 0);
      return at.reduce((a, b) => a + b, 0) / Math.max(1, at.length);
    });
    const reached = (reach.get(method) ?? []).filter((x): x is number => x !== null);
    const tasks = reach.get(method)?.length ?? 0;
    iterationsToReachDefault[method] =
      reached.length === 0 ? null : reached.reduce((a, b) => a + b, 0) / reached.length;
    reachedShare[method] = tasks === 0 ? 0 : reached.length / tasks;
  }
  return { meanCurves, iterationsToReachDefault, reachedShare };
}

/** The report of a completed (or partly run) experiment, as one typed object. */
export async function buildExperimentReport(
  record: ExperimentRecord,
  ports: ExperimentRunPorts,
  clients: ExperimentClients,
): Promise<ExperimentReport> {
  const seed = record.config.seeds[0] ?? 42;
  const metaTestsOf = (kind: 'unseen' | 'adapt') =>
    record.cells
      .filter((c) => c.kind === kind && c.metaTestId !== null && c.status === 'completed')
      .map((cell) => ({ cell, metaTest: ports.getMetaTest(cell.metaTestId as string) }));
  const unseenTests = metaTestsOf('unseen');
  const adaptTests = metaTestsOf('adapt');
  const unseen = unseenTests.length > 0 ? await unseenRows(record, unseenTests, clients, seed) : null;
  const adapt = adaptTests.length > 0 ? adaptSummary(record, adaptTests) : null;
  const cost = await experimentCost(record, clients.llm);
  const report: Omit<ExperimentReport, 'figures'> = {
    reportVersion: 1,
    experiment: {
      id: record.id,
      name: record.name,
      status: record.status,
      simulated: record.simulated,
      baseModel: record.config.baseModel,
      optimizerModel: record.config.optimizerModel,
      seeds: record.config.seeds,
      scoring: record.config.scoring,
    },
    methods: record.config.methods,
    bootstrap: { seed, resamples: RESAMPLES, level: LEVEL },
    unseen,
    adapt,
    cost,
  };
  return { ...report, figures: reportFigures(report) };
}
