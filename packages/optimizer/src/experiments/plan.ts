import type {
  CompletionRequestInput,
  DatasetsClient,
  ExperimentConfig,
  ExperimentPlan,
  ExperimentPlanRow,
  LlmClient,
} from '@metaspo/schemas';
import { type GridCell, gridCells, resolveDomains } from './grid.js';
import { cellRequests, type PlanSettings, PlanSources } from './plan-requests.js';

/** The gateway's prompt-token estimate (attempt-cost.ts): a quarter of the message characters. */
const tokensOf = (chars: number) => Math.ceil(chars / 4);
const CHECK_CHUNK = 5_000;

type Price = { input: number; output: number } | null;

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

async function pricesOf(llm: LlmClient, models: string[]): Promise<Map<string, Price> | null> {
  if (!llm.prices) return null;
  const { prices } = await llm.prices.query({ models });
  return new Map(prices.map((p) => [p.model, p.price]));
}

const costOf = (price: Price, input: number, output: number) =>
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
      const price = prices?.get(row.model) ?? null;
      const cost = costOf(price, row.inputTokens * share, row.outputTokens * share);
      rows.push({ ...row, costUsd: cost });
    }
  }
  return summarize(config, grid, rows, prices, check !== null);
}

function summarize(
  config: PlanSettings,
  grid: GridCell[],
  rows: ExperimentPlanRow[],
  prices: Map<string, Price> | null,
  cacheChecked: boolean,
): ExperimentPlan {
  const models = [...new Set(rows.map((r) => r.model))].map((model) => {
    const mine = rows.filter((r) => r.model === model);
    const sum = (f: (r: ExperimentPlanRow) => number) => mine.reduce((n, r) => n + f(r), 0);
    const price = prices?.get(model) ?? null;
    return {
      model,
      requests: sum((r) => r.requests),
      bound: mine.some((r) => r.bound === 'upper') ? ('upper' as const) : ('exact' as const),
      cached: sum((r) => r.cached),
      inputTokens: sum((r) => r.inputTokens),
      outputTokens: sum((r) => r.outputTokens),
      costUsd: price ? sum((r) => r.costUsd ?? 0) : null,
      price,
    };
  });
  const unknownPrices = models.filter((m) => m.price === null).map((m) => m.model);
  const requests = rows.reduce((n, r) => n + r.requests, 0);
  const cached = rows.reduce((n, r) => n + r.cached, 0);
  const costUsd = models.every((m) => m.costUsd === null)
    ? null
    : models.reduce((n, m) => n + (m.costUsd ?? 0), 0);
  // Cells run one after another, each with `concurrency` requests in flight.
  const wallSeconds = grid.reduce((total, cell) => {
    const toSend = rows.filter((r) => r.cell === cell.key).reduce((n, r) => n + r.requests - r.cached, 0);
    return total + Math.ceil(toSend / config.concurrency) * config.plan.latencySeconds;
  }, 0);
  const reasons: string[] = [];
  if (costUsd !== null && costUsd > config.plan.confirmAboveUsd) {
    reasons.push(`estimated cost $${costUsd.toFixed(2)} is above $${config.plan.confirmAboveUsd}`);
  }
  if (requests - cached > config.plan.confirmAboveRequests) {
    reasons.push(`${requests - cached} requests to send is above ${config.plan.confirmAboveRequests}`);
  }
  if (unknownPrices.length > 0 && requests - cached > 0) {
    reasons.push(`no known price for ${unknownPrices.join(', ')}`);
  }
  return {
    rows,
    models,
    totals: { requests, cached, costUsd, wallSeconds },
    unknownPrices,
    cacheChecked,
    confirmReasons: reasons,
    simulated: config.baseModel.startsWith('sim:'),
  };
}
