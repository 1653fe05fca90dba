import { CacheModeSchema, type ChatMessage } from '@metaspo/schemas';
import { type Command, Option } from 'commander';
import { withClients } from '../clients.js';
import { CALLS_MEANING, count, counted, usd } from '../numbers.js';
import { integer, nonNegativeNumber, positiveInteger } from '../options.js';
import { printJson, printTable } from '../output.js';

interface CompleteOptions {
  model: string;
  system?: string;
  user: string;
  temperature: number;
  maxTokens?: number;
  sample: number;
  cache: 'use' | 'refresh' | 'off';
  baseUrl?: string;
  json?: boolean;
}

const money = (usd: number | null) => (usd === null ? 'unknown (unpriced model)' : `$${usd.toFixed(6)}`);

export function registerLlmCommands(program: Command): void {
  const llm = program
    .command('llm')
    .description('talk to models through the gateway (cache, ledger, budgets)');
  llm
    .command('complete')
    .description('one completion; prints the text (or the whole result with --json)')
    .requiredOption(
      '--model <ref>',
      'provider:model, e.g. openai:gpt-4o-mini, sim:default, ollama:llama3.2:3b',
    )
    .option('--system <text>', 'system prompt')
    .requiredOption('--user <text>', 'user message')
    .option('--temperature <t>', 'sampling temperature', nonNegativeNumber, 0)
    .option('--max-tokens <n>', 'maximum completion tokens', positiveInteger)
    .option('--sample <i>', 'sample index (distinct cache entries at temperature > 0)', integer, 0)
    .addOption(
      new Option('--cache <mode>', 'the response cache').choices(CacheModeSchema.options).default('use'),
    )
    .option('--base-url <url>', 'base URL for openai-compatible:<model> (sets OPENAI_COMPATIBLE_BASE_URL)')
    .option('--json', 'print only JSON')
    .action(async (opts: CompleteOptions, command: Command) => {
      if (opts.baseUrl) process.env.OPENAI_COMPATIBLE_BASE_URL = opts.baseUrl;
      const messages: ChatMessage[] = [
        ...(opts.system ? [{ role: 'system' as const, content: opts.system }] : []),
        { role: 'user', content: opts.user },
      ];
      const result = await withClients(command, (clients) =>
        clients.llm.complete.mutate({
          model: opts.model,
          messages,
          temperature: opts.temperature,
          sampleIndex: opts.sample,
          cache: opts.cache,
          ...(opts.maxTokens === undefined ? {} : { maxTokens: opts.maxTokens }),
        }),
      );
      if (opts.json) {
        printJson(result);
        return;
      }
      process.stdout.write(`${result.text}\n`);
      process.stderr.write(
        `${result.model}: ${result.usage.promptTokens} prompt + ${result.usage.completionTokens} completion tokens, ` +
          `${result.cached ? 'cached' : `${Math.round(result.latencyMs)} ms`}, cost ${money(result.costUsd)}\n`,
      );
    });

  const cache = program.command('cache').description('the gateway response cache');
  cache
    .command('stats')
    .description('entries in the cache, and hits/misses/coalesced calls of this process')
    .option('--json', 'print only JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const stats = await withClients(command, (clients) => clients.llm.cache.stats.query());
      if (opts.json) printJson(stats);
      else printTable([stats]);
    });
  cache
    .command('clear')
    .description('remove every cached response (or those of one model reference)')
    .option('--model <ref>', 'only this model reference')
    .option('--json', 'print only JSON')
    .action(async (opts: { model?: string; json?: boolean }, command: Command) => {
      const result = await withClients(command, (clients) =>
        clients.llm.cache.clear.mutate(opts.model ? { model: opts.model } : {}),
      );
      if (opts.json) printJson(result);
      else process.stdout.write(`removed ${result.removed} cached responses\n`);
    });

  program
    .command('usage')
    .description('calls, tokens and cost from the gateway ledger, per model (cached vs paid)')
    .option('--run <id>', 'only this run')
    .option('--json', 'print only JSON')
    .action(async (opts: { run?: string; json?: boolean }, command: Command) => {
      const report = await withClients(command, (clients) =>
        clients.llm.usage.query(opts.run ? { runId: opts.run } : {}),
      );
      if (opts.json) {
        printJson(report);
        return;
      }
      // The simulator is free: no paid calls, no cost figure to read as a bill.
      const row = (model: string, t: typeof report.totals, free: boolean) => ({
        model,
        calls: count(t.calls),
        paid: free ? '-' : count(t.paidCalls),
        cached: count(t.cachedCalls),
        failed: count(t.failedCalls),
        'prompt tokens': count(t.promptTokens),
        'completion tokens': count(t.completionTokens),
        cost: free
          ? usd(0, true)
          : t.costUsd === null
            ? `unknown: no price for ${counted(t.unpricedCalls, 'call')}`
            : usd(t.costUsd, false, 6),
      });
      const isSim = (model: string) => model.startsWith('sim:');
      printTable([
        ...report.byModel.map((m) => row(m.model, m, isSim(m.model))),
        row(
          '(total)',
          report.totals,
          report.byModel.length > 0 && report.byModel.every((m) => isSim(m.model)),
        ),
      ]);
      process.stdout.write(`${CALLS_MEANING}; paid: calls billed at a configured price\n`);
      const saved = report.totals.savedUsd ?? 0;
      if (saved > 0) {
        process.stdout.write(
          `batch execution saved ${usd(saved, false, 6)} against live prices (lines sent through provider batch APIs)\n`,
        );
      }
    });
}
