import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { DomainError, type Logger, redactSecrets } from '@metaspo/service-kit';
import type Database from 'better-sqlite3';
import { type LeaseTiming, leaseTimingFrom } from './lease-timing.js';

export {
  DEFAULT_LEASE_TIMING,
  type LeaseTiming,
  leaseTimingFrom,
  leaseTimingFromEnv,
} from './lease-timing.js';

/** What a lease is held on: a run, a meta-test or an experiment. */
export type LeaseKind = 'run' | 'meta-test' | 'experiment';

/** The process that executes a subject. `ownerId` tells two services of one process apart. */
export interface LeaseOwner {
  ownerId: string;
  host: string;
  pid: number;
}

export interface LeaseRecord extends LeaseOwner {
  kind: LeaseKind;
  subjectId: string;
  /** Epoch milliseconds. */
  acquiredAt: number;
  heartbeatAt: number;
  expiresAt: number;
  cancelRequestedAt: number | null;
}

/** How the owner learns, at a heartbeat, that it must stop. */
export interface LeaseHandlers {
  /** Another process asked for a cancel (`requestCancel`). Called once. */
  onCancelRequested(): void;
  /** The lease expired and another process took it over: stop without writing the subject's state. */
  onLost(): void;
}

export interface HeldLease {
  readonly kind: LeaseKind;
  readonly subjectId: string;
  /** True once the heartbeat found that another owner holds the lease. */
  readonly lost: boolean;
  /**
   * Renews the lease now and says whether it is still this owner's: checked right before a
   * final write, so an owner whose lease was taken between two heartbeats does not overwrite
   * the new owner's state.
   */
  renew(): boolean;
  /** Stops the heartbeat and deletes the row (if still ours). Safe to call twice. */
  release(): void;
}

interface LeaseRow {
  kind: LeaseKind;
  subject_id: string;
  owner_id: string;
  host: string;
  pid: number;
  acquired_at: number;
  heartbeat_at: number;
  expires_at: number;
  cancel_requested_at: number | null;
}

const toRecord = (row: LeaseRow): LeaseRecord => ({
  kind: row.kind,
  subjectId: row.subject_id,
  ownerId: row.owner_id,
  host: row.host,
  pid: row.pid,
  acquiredAt: row.acquired_at,
  heartbeatAt: row.heartbeat_at,
  expiresAt: row.expires_at,
  cancelRequestedAt: row.cancel_requested_at,
});

/** "pid 4242 on host lab-1 (owner 1a2b3c4d, heartbeat 0.8 s ago)": who to look for. */
export function describeLeaseOwner(lease: LeaseRecord, now = Date.now()): string {
  const ago = Math.max(0, (now - lease.heartbeatAt) / 1000).toFixed(1);
  return `pid ${lease.pid} on host ${lease.host} (owner ${lease.ownerId.slice(0, 8)}, heartbeat ${ago} s ago)`;
}

const LABELS: Record<LeaseKind, string> = { run: 'run', 'meta-test': 'meta-test', experiment: 'experiment' };

/**
 * Leases in the optimizer's SQLite file: at most one live owner per subject across every process
 * that opens the file. Acquiring is one conditional upsert (the row is inserted, or taken over
 * only if it has expired or is already ours), so two processes racing for a subject cannot both
 * win: SQLite serializes the writes (WAL, busy timeout) and the second sees the first's row.
 */
export class Leases {
  readonly owner: LeaseOwner;
  readonly timing: LeaseTiming;
  private readonly held = new Set<HeldLease>();
  private readonly statements;
  private readonly logger: Logger | undefined;

  constructor(
    sqlite: Database.Database,
    options: { timing?: Partial<LeaseTiming> | undefined; logger?: Logger | undefined } = {},
  ) {
    this.logger = options.logger;
    this.timing = leaseTimingFrom(options.timing ?? {});
    this.owner = { ownerId: randomUUID(), host: os.hostname(), pid: process.pid };
    this.statements = {
      acquire: sqlite.prepare(
        `insert into leases (kind, subject_id, owner_id, host, pid, acquired_at, heartbeat_at, expires_at, cancel_requested_at)
         values (@kind, @subjectId, @ownerId, @host, @pid, @now, @now, @expiresAt, null)
         on conflict (kind, subject_id) do update set
           owner_id = excluded.owner_id, host = excluded.host, pid = excluded.pid,
           acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at,
           expires_at = excluded.expires_at, cancel_requested_at = null
         where leases.expires_at <= excluded.heartbeat_at or leases.owner_id = excluded.owner_id`,
      ),
      heartbeat: sqlite.prepare<
        [{ kind: LeaseKind; subjectId: string; ownerId: string; now: number; expiresAt: number }],
        { cancel_requested_at: number | null }
      >(
        `update leases set heartbeat_at = @now, expires_at = @expiresAt
         where kind = @kind and subject_id = @subjectId and owner_id = @ownerId
         returning cancel_requested_at`,
      ),
      release: sqlite.prepare('delete from leases where kind = ? and subject_id = ? and owner_id = ?'),
      live: sqlite.prepare<[LeaseKind, string, number], LeaseRow>(
        'select * from leases where kind = ? and subject_id = ? and expires_at > ?',
      ),
      requestCancel: sqlite.prepare<[number, LeaseKind, string, number], LeaseRow>(
        `update leases set cancel_requested_at = coalesce(cancel_requested_at, ?)
         where kind = ? and subject_id = ? and expires_at > ? returning *`,
      ),
    };
  }

  /**
   * Takes the lease on a subject and keeps it alive until `release`. Refused with CONFLICT,
   * naming the owner, while another owner's lease is live.
   */
  acquire(kind: LeaseKind, subjectId: string, handlers: LeaseHandlers): HeldLease {
    const now = Date.now();
    const result = this.statements.acquire.run({
      kind,
      subjectId,
      ...this.owner,
      now,
      expiresAt: now + this.timing.expiryMs,
    });
    if (result.changes === 0) {
      const holder = this.live(kind, subjectId);
      const who = holder ? describeLeaseOwner(holder, now) : 'another process';
      throw new DomainError(
        'CONFLICT',
        `${LABELS[kind]} ${subjectId} is being executed by ${who}; cancel it there (or with \`cancel\` from here) or wait until it stops`,
      );
    }
    return this.hold(kind, subjectId, handlers);
  }

  /** The live lease on a subject, or null when nobody executes it (or its owner died). */
  live(kind: LeaseKind, subjectId: string): LeaseRecord | null {
    const row = this.statements.live.get(kind, subjectId, Date.now());
    return row ? toRecord(row) : null;
  }

  /**
   * Asks the live owner to stop; it does at its next heartbeat. Returns that owner's lease, or
   * null when there is none (nobody to ask).
   */
  requestCancel(kind: LeaseKind, subjectId: string): LeaseRecord | null {
    const now = Date.now();
    const row = this.statements.requestCancel.get(now, kind, subjectId, now);
    return row ? toRecord(row) : null;
  }

  /** Resolves true once nobody holds a live lease on the subject, false after `timeoutMs`. */
  async waitForRelease(kind: LeaseKind, subjectId: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const pollMs = Math.max(10, Math.min(100, this.timing.heartbeatMs / 4));
    while (this.live(kind, subjectId)) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return true;
  }

  /**
   * Asks the owner to cancel and waits for it to let go (one heartbeat, plus the expiry if it
   * has hung). Returns the owner asked, or null when nobody held a live lease.
   */
  async cancelElsewhere(kind: LeaseKind, subjectId: string): Promise<LeaseRecord | null> {
    const owner = this.requestCancel(kind, subjectId);
    if (owner) await this.waitForRelease(kind, subjectId, this.timing.heartbeatMs + this.timing.expiryMs);
    return owner;
  }

  /** Releases every lease this owner holds (the service is closing). */
  releaseAll(): void {
    for (const lease of [...this.held]) lease.release();
  }

  private hold(kind: LeaseKind, subjectId: string, handlers: LeaseHandlers): HeldLease {
    const { statements, owner, timing } = this;
    let lost = false;
    let cancelSeen = false;
    let lastBeat = Date.now();
    const beat = () => {
      const now = Date.now();
      try {
        const row = statements.heartbeat.get({
          kind,
          subjectId,
          ownerId: owner.ownerId,
          now,
          expiresAt: now + timing.expiryMs,
        });
        if (!row) return loseIt();
        lastBeat = now;
        if (row.cancel_requested_at !== null && !cancelSeen) {
          cancelSeen = true;
          handlers.onCancelRequested();
        }
      } catch (error) {
        // A busy or failing store must not end the process from a timer: retry at the next beat,
        // and give up the subject once the lease may have expired for the others.
        this.logger?.warn({ kind, subjectId, err: redactSecrets(String(error)) }, 'lease heartbeat failed');
        if (now - lastBeat >= timing.expiryMs) loseIt();
      }
    };
    const loseIt = () => {
      if (lost) return;
      lost = true;
      clearInterval(timer);
      this.held.delete(lease);
      handlers.onLost();
    };
    const timer = setInterval(beat, timing.heartbeatMs);
    timer.unref();
    const lease: HeldLease = {
      kind,
      subjectId,
      get lost() {
        return lost;
      },
      renew: () => {
        if (!lost) beat();
        return !lost;
      },
      release: () => {
        clearInterval(timer);
        if (!this.held.delete(lease) || lost) return;
        try {
          statements.release.run(kind, subjectId, owner.ownerId);
        } catch (error) {
          // The row then expires on its own; the subject shows as interrupted until resumed.
          this.logger?.warn({ kind, subjectId, err: redactSecrets(String(error)) }, 'lease release failed');
        }
      },
    };
    this.held.add(lease);
    return lease;
  }
}
