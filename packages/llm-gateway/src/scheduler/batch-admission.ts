/**
 * The most calls admitted in one turn of the event loop, by all batches of the process together.
 * 64, not 128: with the in-process simulator in `metaspo serve`, the turns over 20 ms of CPU
 * during a run fell from 18-37 to 7-19 (six paired `bench live` runs) while the run took as
 * long, and `bench gateway` and `bench optimizer` stayed within their noise.
 */
export const ADMITTED_PER_TURN = 64;

interface AdmittingBatch {
  readonly count: number;
  readonly window: number;
  admitOne(): void;
  next: number;
  settled: number;
}

/** Batches with calls not yet admitted, in the order they started. */
const waiting: AdmittingBatch[] = [];
let turnScheduled = false;

const canAdmit = (batch: AdmittingBatch): boolean =>
  batch.next < batch.count && batch.next - batch.settled < batch.window;

/** One `setImmediate` per turn at most: admits from the waiting batches, oldest first. */
function admitThisTurn(): void {
  turnScheduled = false;
  let budget = ADMITTED_PER_TURN;
  for (let i = 0; i < waiting.length && budget > 0; ) {
    const batch = waiting[i]!;
    while (budget > 0 && canAdmit(batch)) {
      budget -= 1;
      batch.admitOne();
    }
    if (batch.next >= batch.count) waiting.splice(i, 1);
    else i += 1;
  }
  scheduleTurn();
}

function scheduleTurn(): void {
  if (turnScheduled || !waiting.some(canAdmit)) return;
  turnScheduled = true;
  setImmediate(admitThisTurn);
}

/**
 * Runs a batch's calls in order with at most `window` of them admitted and unsettled at once.
 * All batches of the process share one budget of ADMITTED_PER_TURN admissions per turn of the
 * event loop, given oldest batch first; settled calls make room for the next in a later turn.
 * Admitting a 3,000-call batch at once put every call's lookup and queued state into the
 * first 150-180 ms. A budget per batch was not enough either: an optimizer phase starts
 * about 100 batches together, so each turn admitted ~13,800 calls (cache lookups, queued
 * state) before the in-process simulator, which yields between slices, had answered the
 * previous ones, and those calls' evaluations then finished in the same turn. Oldest first
 * lets one batch finish before the next starts, so its results are used and freed early.
 * `run` must not reject: it reports failures in its result.
 */
export function runInAdmissionWindow<T>(
  count: number,
  window: number,
  run: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  if (count === 0) return Promise.resolve(results);
  return new Promise((resolve) => {
    const batch: AdmittingBatch = {
      count,
      window,
      next: 0,
      settled: 0,
      admitOne() {
        const index = batch.next;
        batch.next += 1;
        void run(index).then((result) => {
          results[index] = result;
          batch.settled += 1;
          if (batch.settled === count) resolve(results);
          else scheduleTurn();
        });
      },
    };
    // Admitted from the next turn on, never here: a batch started in a turn whose budget
    // another caller already spent would otherwise admit on top of it.
    waiting.push(batch);
    scheduleTurn();
  });
}
