import { describe, expect, it } from 'vitest';
import { ADMITTED_PER_TURN, runInAdmissionWindow } from '../src/scheduler/batch-admission.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('runInAdmissionWindow', () => {
  it('returns results in call order whatever order they settle in', async () => {
    const results = await runInAdmissionWindow(50, 8, async (i) => {
      await new Promise((resolve) => setTimeout(resolve, (50 - i) % 7));
      return i * 2;
    });
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
  });

  it('never has more than the window admitted and unsettled', async () => {
    let unsettled = 0;
    let most = 0;
    const admittedOrder: number[] = [];
    await runInAdmissionWindow(200, 10, async (i) => {
      admittedOrder.push(i);
      unsettled += 1;
      most = Math.max(most, unsettled);
      await new Promise((resolve) => setTimeout(resolve, 1 + (i % 3)));
      unsettled -= 1;
      return i;
    });
    expect(most).toBe(10);
    expect(admittedOrder).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('admits at most one slice per turn of the event loop, even when calls settle at once', async () => {
    const admittedByTurn: number[] = [];
    let turn = 0;
    const ticking = (async () => {
      while (turn < 1_000) {
        await nextTurn();
        turn += 1;
      }
    })();
    await runInAdmissionWindow(1_000, 10_000, async () => {
      admittedByTurn[turn] = (admittedByTurn[turn] ?? 0) + 1;
      return 0;
    });
    turn = 1_000;
    await ticking;
    const perTurn = admittedByTurn.filter((n) => n !== undefined);
    expect(Math.max(...perTurn)).toBe(ADMITTED_PER_TURN);
    expect(perTurn.reduce((a, b) => a + b, 0)).toBe(1_000);
  });

  it('resolves an empty batch at once', async () => {
    expect(await runInAdmissionWindow(0, 4, async () => 1)).toEqual([]);
  });
});

describe('runInAdmissionWindow across batches', () => {
  it('shares one budget per turn among all batches, oldest batch first', async () => {
    const admittedByTurn: number[] = [];
    const batchOfAdmission: number[] = [];
    let turn = 0;
    let done = false;
    const ticking = (async () => {
      while (!done) {
        await nextTurn();
        turn += 1;
      }
    })();
    const batches = Array.from({ length: 20 }, (_, b) =>
      runInAdmissionWindow(100, 1_000, async () => {
        admittedByTurn[turn] = (admittedByTurn[turn] ?? 0) + 1;
        batchOfAdmission.push(b);
        return b;
      }),
    );
    const results = await Promise.all(batches);
    done = true;
    await ticking;
    expect(results).toEqual(Array.from({ length: 20 }, (_, b) => Array.from({ length: 100 }, () => b)));
    const perTurn = admittedByTurn.filter((n) => n !== undefined);
    expect(Math.max(...perTurn)).toBe(ADMITTED_PER_TURN);
    expect(perTurn.reduce((a, b) => a + b, 0)).toBe(2_000);
    expect(batchOfAdmission).toEqual([...batchOfAdmission].sort((a, b) => a - b));
  });

  it('gives the budget to a younger batch while an older one is held by its window', async () => {
    const order: string[] = [];
    let releaseOld: () => void = () => {};
    const oldHeld = new Promise<void>((resolve) => {
      releaseOld = resolve;
    });
    const old = runInAdmissionWindow(10, 2, async (i) => {
      order.push(`old${i}`);
      await oldHeld;
      return i;
    });
    const young = runInAdmissionWindow(3, 3, async (i) => {
      order.push(`young${i}`);
      return i;
    });
    expect(await young).toEqual([0, 1, 2]);
    expect(order).toEqual(['old0', 'old1', 'young0', 'young1', 'young2']);
    releaseOld();
    expect(await old).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });
});
