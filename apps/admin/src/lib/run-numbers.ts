import type { RunCalls, UsageTotals } from '@metaspo/schemas';
import { formatQuantity, formatUsd } from './format.js';

/** "Calls" with its parts: from the cache, sent, failed and cancelled apart. */
export function callsText(totals: UsageTotals): string {
  const parts = [`${totals.cachedCalls.toLocaleString()} from the cache`];
  if (totals.failedCalls > 0) parts.push(`${totals.failedCalls.toLocaleString()} failed`);
  if (totals.cancelledCalls) parts.push(`${totals.cancelledCalls.toLocaleString()} cancelled`);
  return `${formatQuantity(totals.calls, 'call')} (${parts.join(', ')})`;
}

/**
 * Cost as the ledger knows it: a paid-call count only where a price exists (free local and
 * simulator calls have none), and "no price" when some call's price is unknown.
 */
export function costText(cost: number | null | undefined, totals: UsageTotals | undefined): string {
  if (cost === null) {
    const unpriced = totals?.unpricedCalls ?? 0;
    return unpriced > 0 ? `no price (${formatQuantity(unpriced, 'call')} of unpriced models)` : 'no price';
  }
  if (cost === 0 && totals && totals.unpricedCalls === 0) return '$0 (free models)';
  const paid =
    totals && cost !== undefined && cost > 0 ? `, ${formatQuantity(totals.paidCalls, 'paid call')}` : '';
  return `${formatUsd(cost)}${paid}`;
}

/**
 * What a finished run asked for and the calls that answered it, by the run's own count
 * (docs/numbers.md): requests are base-model train and test examples plus optimizer prompts;
 * calls add the malformed optimizer replies asked again.
 */
export function requestsText(calls: RunCalls): string {
  const requests = calls.baseTrain + calls.baseTest + calls.optimizer;
  const retried =
    calls.optimizerRetries > 0
      ? ` (${formatQuantity(calls.optimizerRetries, 'malformed reply', 'malformed replies')} asked again)`
      : '';
  const failed = calls.failedItems
    ? `; ${formatQuantity(calls.failedItems, 'failed item')} counted wrong`
    : '';
  return (
    `${formatQuantity(requests, 'request')}: base model ${calls.baseTrain.toLocaleString()} on train + ` +
    `${calls.baseTest.toLocaleString()} on test, optimizer ${calls.optimizer.toLocaleString()}; ` +
    `${formatQuantity(requests + calls.optimizerRetries, 'call')}${retried}, ` +
    `${calls.cached.toLocaleString()} from the cache${failed}`
  );
}
