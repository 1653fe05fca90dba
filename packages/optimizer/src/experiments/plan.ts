import type {
  CompletionRequestInput,
  DatasetsClient,
  ExperimentConfig,
  ExperimentPlan,
  ExperimentPlanRow,
  LlmClient,
  ModelPrice,
} from '@metaspo/schemas';
import { type GridCell, gridCells, resolveDomains } from './grid.js';
import { batchWaves, rowExecution } from './plan-batch.js';
import { cellRequests, type PlanSettings, PlanSources } from './plan-requests.js';
import { summarizePlan } from './plan-summary.js';

/** The gateway's prompt-token estimate (attempt-cost.ts): a quarter of the message characters. */
const tokensOf = (chars: number) => Math.ceil(chars / 4);
const CHECK_CHUNK = 5_000;

/**
 * Which concrete requests the gateway's cache holds, and their prompt-token estimates, through
 * `llm.cache.check` (nothing is called); null when the gateway has no such procedure.
 */
async function checkCache(
  llm: LlmClient,
  requests: CompletionRequestInput[],
): Promise<{ cached: boolean[]; promptTokens: number[] } | null> {
  const check = llm.cache?.check;
  if (!check) return null;
  const cached: boolean[] = [];
  const promptTokens: number[] = [];
  for (let start = 0; start < requests.length; start += CHECK_CHUNK) {
    const result = await check.query({ requests: requests.slice(start, start + CHECK_CHUNK) });
    cached.push(...result.cached);
    promptTokens.push(...result.promptTokens);
  }
  return { cached, promptTokens };
}

/** Live and batch prices of the models, through `llm.prices`; null when the gateway has none. */
async function pricesOf(llm: LlmClient, models: string[]): Promise<Map<string, ModelPrice> | null> {
  if (!llm.prices) return null;
  const { prices } = await llm.prices.query({ models });
  return new Map(prices.map((p) => [p.model, p]));
}

const costOf = (price: ModelPrice['price'] | undefined, input: number, output: number) =>
  price ? (input * price.input + output * price.output) / 1_000_000 : null;

/**
 * The experiment's plan: per cell, phase and model the requests it sends (those no earlier cell
 * sends, as the gateway's cache shares them), how many the cache holds now, tokens and cost,
 * and the wall time at the configured concurrency and latency. Makes no provider request.
 */
export async function planExperiment(
  config: ExperimentConfig,
  clients: { llm: LlmClient; datasets: DatasetsClient },
  cells?: GridCell[],
): Promise<ExperimentPlan> {
  const grid = cells ?? gridCells(config, await resolveDomains(clients.datasets, config));
  return planCells(config, clients, grid);
}

/** The plan of given cells (one experiment's grid, or a single run's one cell). */
export async function planCells(
  config: PlanSettings,
  clients: { llm: LlmClient; datasets: DatasetsClient },
  grid: GridCell[],
): Promise<ExperimentPlan> {
  const sources = new PlanSources(clients.datasets);
  const perCell = [];
  for (const cell of grid) perCell.push(await cellRequests(config, cell, sources));

  const seen = new Set<string>();
  const fresh = perCell.map(({ cell, listed, formula }) => {
    const shared: typeof listed = [];
    const own = listed.filter((r) => {
      if (!seen.has(r.key)) {
        seen.add(r.key);
        return true;
      }
      shared.push(r);
      return false;
    });
    return { cell, listed: own, shared, formula };
  });
  const concrete = fresh.flatMap((c) => c.listed.flatMap((r) => (r.concrete ? [r.concrete] : [])));
  const check = await checkCache(clients.llm, concrete);
  const models = [config.baseModel, config.optimizerModel].filter((m, i, all) => all.indexOf(m) === i);
  const prices = await pricesOf(clients.llm, models);

  const rows: ExperimentPlanRow[] = [];
  let concreteIndex = 0;
  for (const { cell, listed, shared, formula } of fresh) {
    const byRow = new Map<string, ExperimentPlanRow>();
    const rowOf = (phase: ExperimentPlanRow['phase'], role: 'base' | 'optimizer') => {
      const model = role === 'base' ? config.baseModel : config.optimizerModel;
      const key = `${phase}|${role}`;
      let row = byRow.get(key);
      if (!row) {
        const execution = rowExecution(cell, role, prices?.get(model));
        row = {
          cell: cell.key,
          phase,
          domain: cell.domain.name,
          seed: cell.seed,
          method: cell.kind === 'train' ? cell.method : null,
          model,
          role,
          requests: 0,
          shared: 0,
          bound: 'exact',
          cached: 0,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
          execution,
          liveCostUsd: 0,
          batchWaves: execution === 'batch' ? batchWaves(cell, phase) : 0,
        };
        byRow.set(key, row);
      }
      return row;
    };
    for (const request of listed) {
      const row = rowOf(request.phase, request.role);
      row.requests += 1;
      if (request.upper) row.bound = 'upper';
      let tokens = tokensOf(request.promptChars);
      if (request.concrete && check) {
        const i = concreteIndex;
        tokens = check.promptTokens[i] ?? tokens;
        if (check.cached[i]) row.cached += 1;
      }
      if (request.concrete) concreteIndex += 1;
      row.inputTokens += tokens;
      row.outputTokens += request.outputTokens;
    }
    for (const request of shared) rowOf(request.phase, request.role).shared += 1;
    for (const part of formula) {
      if (part.count === 0) continue;
      const row = rowOf(part.phase, part.role);
      row.requests += part.count;
      if (!part.exact) row.bound = 'upper';
      row.inputTokens += part.count * tokensOf(part.promptChars);
      row.outputTokens += Math.round(part.count * part.outputTokens);
    }
    for (const row of byRow.values()) {
      // Cached requests cost nothing: the cost is that of the others, at the average size.
      const share = row.requests === 0 ? 0 : (row.requests - row.cached) / row.requests;
      const price = prices?.get(row.model);
      const paid = row.execution === 'batch' ? price?.batchPrice : price?.price;
      const input = row.inputTokens * share;
      const output = row.outputTokens * share;
      rows.push({
        ...row,
        costUsd: costOf(paid, input, output),
        liveCostUsd: costOf(price?.price, input, output),
      });
    }
  }
  return summarizePlan(config, grid, rows, prices, check !== null);
}
