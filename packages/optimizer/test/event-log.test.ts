import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunEvent } from '@metaspo/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { openOptimizerDatabase } from '../src/store/database.js';
import { EventLog } from '../src/store/event-log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function openLog() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-event-log-'));
  dirs.push(dir);
  const database = openOptimizerDatabase(path.join(dir, 'optimizer.sqlite'));
  database.sqlite
    .prepare(
      `insert into runs (id, name, status, config, simulated, created_at)
       values ('r1', null, 'running', '{}', 1, '2026-01-01T00:00:00.000Z')`,
    )
    .run();
  const log = new EventLog(database);
  const phase = (iteration: number) =>
    log.append({ runId: 'r1', type: 'phase', phase: 'inner', iteration, taskId: null });
  return { log, phase };
}

async function collect(
  events: AsyncGenerator<RunEvent>,
  until?: (seen: RunEvent[]) => void,
): Promise<RunEvent[]> {
  const seen: RunEvent[] = [];
  for await (const event of events) {
    seen.push(event);
    until?.(seen);
  }
  return seen;
}

describe('following a run’s events from its SQLite file', () => {
  it('with a signal aborted before it starts, gives the stored events and ends', async () => {
    const { log, phase } = openLog();
    phase(1);
    phase(2);
    const seen = await collect(log.follow('r1', -1, AbortSignal.abort(new Error('already stopped'))));
    expect(seen.map((e) => e.type === 'phase' && e.iteration)).toEqual([1, 2]);
  });

  it('gives the stored events after a seq, then live ones, until the signal aborts', async () => {
    const { log, phase } = openLog();
    const first = phase(1);
    phase(2);
    const controller = new AbortController();
    const seen = collect(log.follow('r1', first.seq, controller.signal), (events) => {
      if (events.length === 1) phase(3);
      if (events.length === 2) controller.abort();
    });
    expect((await seen).map((e) => e.type === 'phase' && e.iteration)).toEqual([2, 3]);
  });
});
