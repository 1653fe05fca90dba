import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentReport, IntervalValue } from '@metaspo/schemas';
import { renderSvg } from './report-figures.js';

export type ReportFormat = 'md' | 'csv' | 'json';

const pct = (x: number) => (x * 100).toFixed(1);
const cellText = (c: IntervalValue | undefined) =>
  c ? `${pct(c.estimate)} [${pct(c.low)}, ${pct(c.high)}]` : '';
const signed = (x: number) => `${x >= 0 ? '+' : ''}${pct(x)}`;
const usd = (x: number | null) => (x === null ? 'unknown price' : `$${x.toFixed(4)}`);

function csvField(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
const csvLine = (fields: Array<string | number | boolean | null>) => `${fields.map(csvField).join(',')}\n`;

function rowLabel(row: NonNullable<ExperimentReport['unseen']>[number]): string {
  if (row.kind === 'overall') return '**overall**';
  if (row.kind === 'domain') return `**${row.domain} average**`;
  return row.taskId ?? '';
}

export function reportMarkdown(report: ExperimentReport): string {
  const sim = report.experiment.simulated;
  const tag = sim ? ' (simulated)' : '';
  const lines: string[] = [`# Experiment ${report.experiment.name}${tag}`, ''];
  if (sim) {
    lines.push(
      '> Every number in this report comes from the simulator (`sim:` models): it is simulated.',
      '',
    );
  }
  lines.push(
    `Base model \`${report.experiment.baseModel}\`, optimizer \`${report.experiment.optimizerModel}\`, ` +
      `seeds ${report.experiment.seeds.join(', ')}, ${report.experiment.scoring} scoring, status ${report.experiment.status}.`,
    '',
  );
  if (report.unseen) {
    const methods = report.methods;
    lines.push(
      `## Unseen generalization${tag}`,
      '',
      `Mean score (%) over user prompts and test examples, with a ${report.bootstrap.level * 100}% percentile ` +
        `bootstrap interval over both (${report.bootstrap.resamples} resamples, seed ${report.bootstrap.seed}); ` +
        'the best per row in bold.',
      '',
      `| task | ${methods.join(' | ')} |`,
      `|---|${methods.map(() => '---').join('|')}|`,
    );
    for (const row of report.unseen) {
      const cells = methods.map((m) => {
        const text = cellText(row.cells[m]);
        return row.best.includes(m) ? `**${text}**` : text;
      });
      lines.push(`| ${rowLabel(row)} | ${cells.join(' | ')} |`);
    }
    const others = methods.filter((m) => m !== 'metaspo');
    if (methods.includes('metaspo') && others.length > 0) {
      lines.push(
        '',
        `### metaspo against each method${tag}`,
        '',
        'Difference in points (metaspo minus the method) and its interval, from the same resamples.',
        '',
        `| rows | ${others.join(' | ')} |`,
        `|---|${others.map(() => '---').join('|')}|`,
      );
      for (const row of report.unseen.filter((r) => r.kind !== 'task')) {
        const cells = others.map((m) => {
          const d = row.versusMetaspo[m];
          return d ? `${signed(d.estimate)} [${signed(d.low)}, ${signed(d.high)}]` : '';
        });
        lines.push(`| ${rowLabel(row)} | ${cells.join(' | ')} |`);
      }
    }
    lines.push('', '![Unseen generalization](unseen.svg)', '');
  }
  if (report.adapt) {
    lines.push(
      `## Test-time adaptation${tag}`,
      '',
      "| method | mean test score per iteration | iterations to reach default's final score | tasks reaching it |",
      '|---|---|---|---|',
    );
    for (const method of report.methods) {
      const curve = (report.adapt.meanCurves[method] ?? []).map(pct).join(' → ');
      const reach = report.adapt.iterationsToReachDefault[method];
      const share = report.adapt.reachedShare[method] ?? 0;
      lines.push(
        `| ${method} | ${curve} | ${reach === null || reach === undefined ? 'never' : reach.toFixed(2)} | ${pct(share)}% |`,
      );
    }
    lines.push('', '![Test-time adaptation](adapt.svg)', '');
  }
  lines.push(
    `## Cost and requests${tag}`,
    '',
    'Planned: requests the plan expected to send (cached ones excluded); actual: provider requests paid (gateway ledger).',
    '',
    '| method | phase | planned requests | actual requests | planned cost | actual cost |',
    '|---|---|---|---|---|---|',
  );
  for (const row of report.cost) {
    lines.push(
      `| ${row.method} | ${row.phase} | ${row.plannedRequests} | ${row.actualRequests} | ${usd(row.plannedUsd)} | ${usd(row.actualUsd)} |`,
    );
  }
  lines.push('', '![Requests planned and actual](cost.svg)', '');
  return lines.join('\n');
}

function reportCsv(report: ExperimentReport): string {
  const sim = report.experiment.simulated;
  let out = csvLine([
    'kind',
    'domain',
    'task',
    'method',
    'mean',
    'low',
    'high',
    'best',
    'metaspo_minus',
    'diff_low',
    'diff_high',
    'simulated',
  ]);
  for (const row of report.unseen ?? []) {
    for (const method of report.methods) {
      const c = row.cells[method];
      const d = row.versusMetaspo[method];
      out += csvLine([
        row.kind,
        row.domain,
        row.taskId,
        method,
        c?.estimate ?? null,
        c?.low ?? null,
        c?.high ?? null,
        row.best.includes(method),
        d?.estimate ?? null,
        d?.low ?? null,
        d?.high ?? null,
        sim,
      ]);
    }
  }
  return out;
}

function adaptCsv(report: ExperimentReport): string {
  let out = csvLine(['method', 'iteration', 'mean_test_score', 'simulated']);
  for (const [method, points] of Object.entries(report.adapt?.meanCurves ?? {})) {
    points.forEach((score, iteration) => {
      out += csvLine([method, iteration, score, report.experiment.simulated]);
    });
  }
  return out;
}

function costCsv(report: ExperimentReport): string {
  let out = csvLine([
    'method',
    'phase',
    'planned_requests',
    'actual_requests',
    'planned_usd',
    'actual_usd',
    'simulated',
  ]);
  for (const r of report.cost) {
    out += csvLine([
      r.method,
      r.phase,
      r.plannedRequests,
      r.actualRequests,
      r.plannedUsd,
      r.actualUsd,
      report.experiment.simulated,
    ]);
  }
  return out;
}

export interface ReportFile {
  name: string;
  mediaType: string;
  text: string;
}

/** The text files of the report in one format: csv as one file per table, json as the report data. */
function textFiles(report: ExperimentReport, format: ReportFormat): ReportFile[] {
  if (format === 'md')
    return [{ name: 'report.md', mediaType: 'text/markdown', text: reportMarkdown(report) }];
  if (format === 'csv') {
    return [
      { name: 'unseen.csv', mediaType: 'text/csv', text: reportCsv(report) },
      { name: 'adapt.csv', mediaType: 'text/csv', text: adaptCsv(report) },
      { name: 'cost.csv', mediaType: 'text/csv', text: costCsv(report) },
    ];
  }
  return [
    { name: 'report.json', mediaType: 'application/json', text: `${JSON.stringify(report, null, 2)}\n` },
  ];
}

async function svgFiles(report: ExperimentReport): Promise<ReportFile[]> {
  return Promise.all(
    report.figures.map(async (figure) => ({
      name: `${figure.name}.svg`,
      mediaType: 'image/svg+xml',
      text: await renderSvg(figure),
    })),
  );
}

/**
 * The files `report --format F --out DIR` writes for one format, for a download: md comes with
 * the SVG figures it embeds.
 */
export async function reportFiles(report: ExperimentReport, format: ReportFormat): Promise<ReportFile[]> {
  const files = textFiles(report, format);
  return format === 'md' ? [...files, ...(await svgFiles(report))] : files;
}

/** Writes the report in `formats` to `dir`, with every figure as an SVG file; returns the paths. */
export async function writeReportFiles(
  report: ExperimentReport,
  formats: readonly ReportFormat[],
  dir: string,
): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files = [...(await svgFiles(report)), ...formats.flatMap((format) => textFiles(report, format))];
  return files.map((file) => {
    const target = path.join(dir, file.name);
    fs.writeFileSync(target, file.text);
    return target;
  });
}
