import type { ExperimentReport } from '@metaspo/schemas';
import type { TopLevelSpec } from 'vega-lite';

type Figure = ExperimentReport['figures'][number];

const simulatedSuffix = (report: Pick<ExperimentReport, 'experiment'>) =>
  report.experiment.simulated ? ' (simulated)' : '';

/**
 * Vega-Lite specs of the report's figures, data inlined: the SVG files are rendered from them
 * and an admin page can render the same specs. Titles say "simulated" for simulator numbers.
 */
export function reportFigures(report: Omit<ExperimentReport, 'figures'>): Figure[] {
  const figures: Figure[] = [];
  const sim = simulatedSuffix(report);
  if (report.unseen) {
    const values = report.unseen
      .filter((row) => row.kind !== 'task')
      .flatMap((row) =>
        Object.entries(row.cells).map(([method, c]) => ({
          group: row.kind === 'overall' ? 'overall' : (row.domain ?? ''),
          method,
          mean: c.estimate,
          low: c.low,
          high: c.high,
        })),
      );
    const spec: TopLevelSpec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: `Unseen generalization: mean and 95% bootstrap interval${sim}`,
      data: { values },
      facet: { column: { field: 'group', type: 'nominal', title: null } },
      spec: {
        width: 160,
        height: 200,
        layer: [
          {
            mark: 'bar',
            encoding: {
              x: { field: 'method', type: 'nominal', title: null, sort: report.methods },
              y: { field: 'mean', type: 'quantitative', title: 'score', scale: { domain: [0, 1] } },
              color: { field: 'method', type: 'nominal', sort: report.methods },
            },
          },
          {
            mark: 'errorbar',
            encoding: {
              x: { field: 'method', type: 'nominal', sort: report.methods },
              y: { field: 'low', type: 'quantitative' },
              y2: { field: 'high' },
            },
          },
        ],
      },
    };
    figures.push({ name: 'unseen', title: `Unseen generalization${sim}`, spec: toRecord(spec) });
  }
  if (report.adapt) {
    const values = Object.entries(report.adapt.meanCurves).flatMap(([method, points]) =>
      points.map((score, iteration) => ({ method, iteration, score })),
    );
    const spec: TopLevelSpec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: `Test-time adaptation: mean test score per iteration${sim}`,
      width: 420,
      height: 260,
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'iteration', type: 'ordinal', title: 'iteration' },
        y: { field: 'score', type: 'quantitative', title: 'mean test score' },
        color: { field: 'method', type: 'nominal', sort: report.methods },
      },
    };
    figures.push({ name: 'adapt', title: `Test-time adaptation${sim}`, spec: toRecord(spec) });
  }
  const costValues = report.cost.flatMap((row) => [
    { row: `${row.method} / ${row.phase}`, kind: 'planned', requests: row.plannedRequests },
    { row: `${row.method} / ${row.phase}`, kind: 'actual', requests: row.actualRequests },
  ]);
  const costSpec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Requests per method and phase: planned and actual${sim}`,
    width: 420,
    data: { values: costValues },
    mark: 'bar',
    encoding: {
      y: { field: 'row', type: 'nominal', title: null },
      yOffset: { field: 'kind' },
      x: { field: 'requests', type: 'quantitative' },
      color: { field: 'kind', type: 'nominal' },
    },
  };
  figures.push({ name: 'cost', title: `Requests planned and actual${sim}`, spec: toRecord(costSpec) });
  return figures;
}

function toRecord(spec: TopLevelSpec): Record<string, unknown> {
  return JSON.parse(JSON.stringify(spec)) as Record<string, unknown>;
}

/** One figure as SVG, rendered headless (no browser, no canvas). */
export async function renderSvg(figure: Figure): Promise<string> {
  // Loaded on first use: the two libraries add ~30 MB to every process that imports the
  // optimizer (the server, the CLI), and only a report renders figures.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  // Vega tags the data rows it reads: a copy keeps the report's own specs as they were.
  const { spec } = compile(structuredClone(figure.spec) as unknown as TopLevelSpec);
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
