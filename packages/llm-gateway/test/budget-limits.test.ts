import { openDatabase } from '@metaspo/service-kit';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from '../src/db/migrations.js';
import { gatewaySchema } from '../src/db/schema.js';
import { createBudgets } from '../src/store/budgets.js';
import { createLedger, type LedgerRow } from '../src/store/ledger.js';
import { createWriteQueue } from '../src/store/write-queue.js';
import { tempDatabaseFile } from './helpers.js';

/** Budgets over a real gateway database file and its ledger, as the service wires them. */
function openBudgets(file = tempDatabaseFile()) {
  const database = openDatabase(file, { migrationsFolder, schema: gatewaySchema });
  const ledger = createLedger(database.sqlite, createWriteQueue(database.sqlite));
  return {
    file,
    ledger,
    budgets: createBudgets(database.sqlite, ledger),
    close: () => database.sqlite.close(),
  };
}

const paidRow = (runId: string, costUsd: number | null, callId: string): LedgerRow => ({
  callId,
  runId,
  tag: undefined,
  provider: 'openai',
  model: 'gpt-4o-mini',
  cached: false,
  promptTokens: 10,
  completionTokens: 2,
  latencyMs: 5,
  costUsd,
  errorKind: undefined,
  unansweredAttempts: 0,
});

const expectExceeded = (reserve: () => void) =>
  expect(reserve).toThrow(expect.objectContaining({ kind: 'budget-exceeded' }));

describe('maxCalls', () => {
  it('counts calls in flight, so concurrent calls cannot pass it', () => {
    const { budgets, close } = openBudgets();
    budgets.set({ runId: 'r', maxCalls: 2 });
    budgets.reserve('r');
    budgets.reserve('r');
    expect(budgets.get('r')).toMatchObject({ inFlightCalls: 2, paidCalls: 0, exceeded: true });
    expectExceeded(() => budgets.reserve('r'));
    close();
  });

  it('frees the slot of a call that ended unpaid, and keeps a paid one', () => {
    const { budgets, close } = openBudgets();
    budgets.set({ runId: 'r', maxCalls: 2 });
    budgets.reserve('r');
    budgets.settle('r', { paid: false });
    budgets.reserve('r');
    budgets.settle('r', { paid: true, costUsd: 0.01 });
    expect(budgets.get('r')).toMatchObject({
      inFlightCalls: 0,
      paidCalls: 1,
      spentUsd: 0.01,
      exceeded: false,
    });
    budgets.reserve('r');
    budgets.settle('r', { paid: true, costUsd: null });
    expect(budgets.get('r')).toMatchObject({
      paidCalls: 2,
      unpricedCalls: 1,
      spentUsd: 0.01,
      exceeded: true,
    });
    expect(() => budgets.reserve('r')).toThrow(/2 of max 2 calls used/);
    close();
  });

  it('applies a raised limit to a run whose calls are already counted', () => {
    const { budgets, close } = openBudgets();
    budgets.set({ runId: 'r', maxCalls: 1 });
    budgets.reserve('r');
    budgets.settle('r', { paid: true, costUsd: 0.01 });
    expectExceeded(() => budgets.reserve('r'));
    expect(budgets.set({ runId: 'r', maxCalls: 3 })).toMatchObject({
      maxCalls: 3,
      paidCalls: 1,
      exceeded: false,
    });
    budgets.reserve('r');
    budgets.reserve('r');
    expectExceeded(() => budgets.reserve('r'));
    close();
  });

  it('never counts in flight below zero when a settle comes without a reserve', () => {
    const { budgets, close } = openBudgets();
    budgets.set({ runId: 'r', maxCalls: 1 });
    budgets.settle('r', { paid: false });
    expect(budgets.get('r').inFlightCalls).toBe(0);
    budgets.reserve('r');
    expect(budgets.get('r').inFlightCalls).toBe(1);
    close();
  });
});

describe('maxUsd', () => {
  it('stops calls once the settled spend reaches the budget exactly', () => {
    const { budgets, close } = openBudgets();
    budgets.set({ runId: 'r', maxUsd: 0.02 });
    for (let i = 0; i < 2; i += 1) {
      budgets.reserve('r');
      budgets.settle('r', { paid: true, costUsd: 0.01 });
    }
    expect(budgets.get('r')).toMatchObject({ spentUsd: 0.02, paidCalls: 2, exceeded: true, maxCalls: null });
    expect(() => budgets.reserve('r')).toThrow(/\$0\.0200 of max \$0\.02 spent/);
    close();
  });

  it('keeps counting spend after the budget is raised, and an unpriced call adds no dollars', () => {
    const { budgets, close } = openBudgets();
    budgets.set({ runId: 'r', maxUsd: 0.01 });
    budgets.reserve('r');
    budgets.settle('r', { paid: true, costUsd: 0.01 });
    expect(budgets.set({ runId: 'r', maxUsd: 0.05 })).toMatchObject({ spentUsd: 0.01, exceeded: false });
    budgets.reserve('r');
    budgets.settle('r', { paid: true, costUsd: null });
    budgets.reserve('r');
    budgets.settle('r', { paid: true, costUsd: 0.015 });
    expect(budgets.get('r').spentUsd).toBeCloseTo(0.025, 10);
    expect(budgets.get('r')).toMatchObject({ maxUsd: 0.05, paidCalls: 3, unpricedCalls: 1 });
    close();
  });
});

describe('a run without a budget', () => {
  it('is never blocked, and reports its spend from the ledger', () => {
    const { budgets, ledger, close } = openBudgets();
    ledger.record(paidRow('free', 0.5, 'c1'));
    ledger.record(paidRow('free', null, 'c2'));
    for (let i = 0; i < 5; i += 1) budgets.reserve('free');
    expect(budgets.get('free')).toEqual({
      runId: 'free',
      maxUsd: null,
      maxCalls: null,
      spentUsd: 0.5,
      paidCalls: 2,
      inFlightCalls: 0,
      reservedUsd: 0,
      unpricedCalls: 1,
      exceeded: false,
    });
    close();
  });
});

describe('a budget over a run with history', () => {
  it('starts from the ledger spend, in the same process and after a restart', () => {
    const first = openBudgets();
    first.ledger.record(paidRow('late', 0.03, 'c1'));
    first.ledger.record(paidRow('late', null, 'c2'));
    expect(first.budgets.set({ runId: 'late', maxUsd: 0.04, maxCalls: 3 })).toMatchObject({
      spentUsd: 0.03,
      paidCalls: 2,
      unpricedCalls: 1,
      exceeded: false,
    });
    first.close();
    const second = openBudgets(first.file);
    expect(second.budgets.get('late')).toMatchObject({
      maxUsd: 0.04,
      maxCalls: 3,
      spentUsd: 0.03,
      paidCalls: 2,
    });
    second.budgets.reserve('late');
    expectExceeded(() => second.budgets.reserve('late'));
    second.close();
  });
});
