import fs from 'node:fs';
import type { ResponseToScore, ScoreResponsesResult, Scoring } from '@metaspo/schemas';
import type { Command } from 'commander';
import { withClients } from '../clients.js';
import { count, counted, percent } from '../numbers.js';
import { printJson, printTable } from '../output.js';
import { scoringOption } from './eval.js';

interface ScoreOptions {
  task: string;
  responses: string;
  scoring: Scoring;
  json?: boolean;
}

const EXPECTED_LINE =
  'expected {"id": "<example id>", "response": "..."} or {"question": "...", "response": "..."}';

/** One JSON object per non-blank line; each response keeps the line it came from. */
function readResponses(file: string): { responses: ResponseToScore[]; lines: number[] } {
  const responses: ResponseToScore[] = [];
  const lines: number[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      const where = `${file}:${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new Error(`${where}: not JSON (${error instanceof Error ? error.message : String(error)})`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new Error(`${where}: ${EXPECTED_LINE}`);
      }
      const { id, question, response }: Record<string, unknown> = Object.fromEntries(Object.entries(value));
      if (typeof response !== 'string')
        throw new Error(`${where}: "response" must be a string; ${EXPECTED_LINE}`);
      if (typeof id === 'string' && question === undefined) responses.push({ id, response });
      else if (typeof question === 'string' && id === undefined) responses.push({ question, response });
      else throw new Error(`${where}: give exactly one of "id" and "question" as a string; ${EXPECTED_LINE}`);
      lines.push(i + 1);
    });
  if (responses.length === 0) throw new Error(`${file}: no responses (${EXPECTED_LINE}, one per line)`);
  return { responses, lines };
}

/** The service's issues (`responses.<i>.id: ...`) as `file:line: ...`, when the error has them. */
function withLines(error: unknown, file: string, lines: readonly number[]): unknown {
  const data = typeof error === 'object' && error !== null && 'data' in error ? error.data : undefined;
  const issues = typeof data === 'object' && data !== null && 'issues' in data ? data.issues : undefined;
  if (!Array.isArray(issues)) return error;
  const located = issues.flatMap((issue: unknown) => {
    if (typeof issue !== 'object' || issue === null || !('path' in issue) || !('message' in issue)) return [];
    const index = /^responses\.(\d+)/.exec(String(issue.path))?.[1];
    const line = index === undefined ? undefined : lines[Number(index)];
    return line === undefined ? [] : [`${file}:${line}: ${String(issue.message)}`];
  });
  return located.length === 0 ? error : new Error(located.join('\n'));
}

function printScores(result: ScoreResponsesResult, lines: readonly number[]): void {
  printTable(
    result.items.map((item, i) => ({
      line: lines[i],
      example: item.exampleId,
      gold: item.gold,
      prediction: item.prediction ?? '(none)',
      valid: item.valid,
      correct: item.correct,
    })),
  );
  process.stdout.write(
    `${result.taskId}: ${result.metric} ${percent(result.score)} (${result.scoring} scoring) — ` +
      `${count(result.correct)}/${counted(result.n, 'response')} correct, ${count(result.formatFailures)} without a readable answer\n`,
  );
}

export function registerScoreCommands(program: Command): void {
  program
    .command('score')
    .description('score responses produced elsewhere (JSON lines: {"id"|"question", "response"}) on a task')
    .requiredOption('--task <id>', 'task id whose examples the responses answer')
    .requiredOption('--responses <file>', 'JSON lines file, one {"id" or "question", "response"} per line')
    .addOption(scoringOption())
    .option('--json', 'print the result as JSON')
    .action(async (opts: ScoreOptions, command: Command) => {
      const { responses, lines } = readResponses(opts.responses);
      await withClients(command, async (clients) => {
        const result = await clients.evaluator.scoreResponses
          .mutate({ taskId: opts.task, scoring: opts.scoring, responses })
          .catch((error: unknown) => {
            throw withLines(error, opts.responses, lines);
          });
        if (opts.json) printJson(result);
        else printScores(result, lines);
      });
    });
}
