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
