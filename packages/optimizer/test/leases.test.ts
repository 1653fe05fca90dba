import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { domainCodeOf } from '@metaspo/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { type OptimizerDatabase, openOptimizerDatabase } from '../src/store/database.js';
import { type LeaseHandlers, Leases, leaseTimingFrom, leaseTimingFromEnv } from '../src/store/leases.js';

const TIMING = { heartbeatMs: 40, expiryMs: 200 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Handlers that record what the heartbeat told the owner. */
function recording(): LeaseHandlers & { cancels: number; losses: number } {
  const seen = {
    cancels: 0,
    losses: 0,
    onCancelRequested: () => {
      seen.cancels += 1;
    },
    onLost: () => {
      seen.losses += 1;
    },
  };
  return seen;
}

describe('leases on one optimizer file, two connections (as two processes have)', () => {
  const opened: OptimizerDatabase[] = [];
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-leases-')), 'optimizer.sqlite');
  const open = () => {
    const database = openOptimizerDatabase(file);
    opened.push(database);
    return database;
  };
  afterEach(() => {
    for (const database of opened.splice(0)) database.close();
  });

  it('refuses a live lease naming its owner, and frees it on release', () => {
    const first = new Leases(open().sqlite, { timing: TIMING });
    const second = new Leases(open().sqlite, { timing: TIMING });
    const held = first.acquire('run', 'run_a', recording());
    let error: unknown;
    try {
      second.acquire('run', 'run_a', recording());
    } catch (e) {
      error = e;
    }
    expect(domainCodeOf(error)).toBe('CONFLICT');
    expect(String(error)).toContain(`pid ${process.pid} on host ${os.hostname()}`);
    expect(String(error)).toContain(first.owner.ownerId.slice(0, 8));
    // Another subject or kind is free.
    second.acquire('meta-test', 'run_a', recording()).release();
    held.release();
    expect(second.live('run', 'run_a')).toBeNull();
    second.acquire('run', 'run_a', recording()).release();
  });

  it('stays live through heartbeats long past the expiry', async () => {
    const first = new Leases(open().sqlite, { timing: TIMING });
    const second = new Leases(open().sqlite, { timing: TIMING });
    const held = first.acquire('run', 'run_b', recording());
    await sleep(TIMING.expiryMs * 3);
    expect(second.live('run', 'run_b')?.ownerId).toBe(first.owner.ownerId);
    expect(() => second.acquire('run', 'run_b', recording())).toThrow(/being executed by/);
    held.release();
  });

  it('delivers a cancel request from another connection at the next heartbeat, once', async () => {
    const first = new Leases(open().sqlite, { timing: TIMING });
    const second = new Leases(open().sqlite, { timing: TIMING });
    const handlers = recording();
    const held = first.acquire('meta-test', 'mt_c', handlers);
    expect(second.requestCancel('meta-test', 'mt_c')?.pid).toBe(process.pid);
    const asked = Date.now();
    while (handlers.cancels === 0 && Date.now() - asked < 1_000) await sleep(5);
    expect(handlers.cancels).toBe(1);
    expect(Date.now() - asked).toBeLessThanOrEqual(TIMING.heartbeatMs * 3);
    await sleep(TIMING.heartbeatMs * 3);
    expect(handlers.cancels).toBe(1);
    held.release();
    expect(second.requestCancel('meta-test', 'mt_c')).toBeNull();
  });

  it("expires a dead owner's lease, lets another take it, and tells the old owner it lost it", async () => {
    const dying = open();
    const first = new Leases(dying.sqlite, { timing: TIMING });
    const second = new Leases(open().sqlite, { timing: TIMING });
    const handlers = recording();
    first.acquire('experiment', 'exp_d', handlers);
    // A process that can no longer write: its heartbeats fail, no unhandled error escapes.
    dying.close();
    expect(() => second.acquire('experiment', 'exp_d', recording())).toThrow(/being executed by/);
    await sleep(TIMING.expiryMs + TIMING.heartbeatMs * 2);
    expect(second.live('experiment', 'exp_d')).toBeNull();
    const taken = second.acquire('experiment', 'exp_d', recording());
    expect(second.live('experiment', 'exp_d')?.ownerId).toBe(second.owner.ownerId);
    expect(handlers.losses).toBe(1);
    taken.release();
  });

  it('tells an owner whose expired lease was taken over that it lost it', async () => {
    const slow = new Leases(open().sqlite, { timing: { heartbeatMs: 1_000, expiryMs: 2_000 } });
    const fast = new Leases(open().sqlite, { timing: TIMING });
    const handlers = recording();
    const held = slow.acquire('run', 'run_e', handlers);
    // Ages the row as a hung owner would (no heartbeat for longer than the expiry).
    opened[0]!.sqlite
      .prepare('update leases set expires_at = ? where subject_id = ?')
      .run(Date.now() - 1, 'run_e');
    const taken = fast.acquire('run', 'run_e', recording());
    await sleep(1_100);
    expect(handlers.losses).toBe(1);
    expect(held.lost).toBe(true);
    held.release();
    expect(fast.live('run', 'run_e')?.ownerId).toBe(fast.owner.ownerId);
    taken.release();
  });

  it('gives the lease to the first of several acquirers and refuses the rest', () => {
    const contenders = Array.from({ length: 6 }, () => new Leases(open().sqlite, { timing: TIMING }));
    const winners = contenders.flatMap((leases) => {
      try {
        return [leases.acquire('run', 'run_f', recording())];
      } catch {
        return [];
      }
    });
    expect(winners).toHaveLength(1);
    winners[0]!.release();
  });
});

describe('lease timing', () => {
  it('defaults to a 2 s heartbeat and a 10 s expiry, and checks overrides', () => {
    expect(leaseTimingFrom({})).toEqual({ heartbeatMs: 2_000, expiryMs: 10_000 });
    expect(() => leaseTimingFrom({ heartbeatMs: 500, expiryMs: 800 })).toThrow(/at least twice heartbeatMs/);
    expect(() => leaseTimingFrom({ heartbeatMs: 0 })).toThrow(/heartbeatMs must be a positive whole number/);
    expect(leaseTimingFromEnv({ METASPO_LEASE_HEARTBEAT_MS: '100', METASPO_LEASE_EXPIRY_MS: '500' })).toEqual(
      {
        heartbeatMs: 100,
        expiryMs: 500,
      },
    );
    expect(() => leaseTimingFromEnv({ METASPO_LEASE_EXPIRY_MS: 'soon' })).toThrow(
      /METASPO_LEASE_EXPIRY_MS must be a positive whole number of milliseconds, got "soon"/,
    );
  });
});
