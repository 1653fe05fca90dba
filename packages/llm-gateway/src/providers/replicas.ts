import type {
  FailoverSettings,
  ModelProvider,
  Provider,
  ProviderCallInput,
  ProviderCallOutput,
} from '@metaspo/schemas';
import { abortReason, onAbort } from '@metaspo/service-kit';
import { AttemptTimeout, classifyProviderError, LlmCallError } from '../errors.js';

/** One server of a replicated endpoint, and its own provider (same model, its own base URL). */
export interface ReplicaTarget {
  url: string;
  capacity: number;
  provider: ModelProvider;
}

/** Whether a server answers at all: resolves true when it does (any status below 500). */
export type ReplicaProbe = (url: string) => Promise<boolean>;

export interface ReplicaState {
  url: string;
  inService: boolean;
  inFlight: number;
  capacity: number;
  /** Calls this replica answered, and those that failed on it. */
  served: number;
  failed: number;
  consecutiveFailures: number;
  /** Why it was taken out (an error kind or HTTP status, never a message), while it is out. */
  lastError?: string;
  /** When it is probed next, while it is out (epoch ms). */
  nextProbeAt?: number;
}

interface Replica extends ReplicaState {
  target: ReplicaTarget;
  backoffMs: number;
  probeTimer: NodeJS.Timeout | undefined;
}

interface Waiter {
  signal: AbortSignal;
  avoid: Replica | undefined;
  resolve(replica: Replica): void;
  reject(error: unknown): void;
}

/** A replica is taken out by failures that say the server is gone or broken, not by a bad request. */
function countsAgainstReplica(error: LlmCallError): boolean {
  return error.kind === 'network' || (error.kind === 'server' && (error.status ?? 500) >= 500);
}

/**
 * The provider of an endpoint served by several replicas of one model. Each call goes to the
 * replica in service with the fewest calls in flight and room under its capacity (ties in turn);
 * when all are full it waits in order for the first free slot. A replica failing `failures`
 * times in a row (connection errors, 5xx, attempts the gateway timed out) or failing a check is taken out and probed with
 * exponential back-off until it answers. A failed call is not retried here: the gateway's
 * retry path calls again, and the retry goes to another replica than the one that failed it.
 * The endpoint id is the set's, so limits, cache keys and the ledger never see which replica
 * answered.
 */
export class ReplicaSet implements ModelProvider {
  private readonly replicas: Replica[];
  private readonly waiters: Waiter[] = [];
  /**
   * The replica each request last failed on. The gateway's retry loop passes the same request's
   * messages array to every attempt, so that array identifies the request across attempts
   * without a field in the provider contract; held weakly, it goes with the request.
   */
  private readonly failedOn = new WeakMap<ProviderCallInput['messages'], Replica>();
  private turn = 0;
  private closed = false;

  constructor(
    readonly provider: Provider,
    readonly endpointId: string,
    targets: readonly ReplicaTarget[],
    private readonly failover: FailoverSettings,
    private readonly probe: ReplicaProbe,
  ) {
    this.replicas = targets.map((target) => ({
      target,
      url: target.url,
      capacity: target.capacity,
      inService: true,
      inFlight: 0,
      served: 0,
      failed: 0,
      consecutiveFailures: 0,
      backoffMs: failover.probeInitialMs,
      probeTimer: undefined,
    }));
  }

  complete(input: ProviderCallInput): Promise<ProviderCallOutput> {
    const avoid = this.failedOn.get(input.messages);
    const replica = this.pick(avoid);
    if (replica) {
      replica.inFlight += 1;
      return this.callOn(replica, input);
    }
    return this.waitForSlot(input, avoid).then((freed) => this.callOn(freed, input));
  }

  private async callOn(replica: Replica, input: ProviderCallInput): Promise<ProviderCallOutput> {
    try {
      const output = await replica.target.provider.complete(input);
      replica.served += 1;
      replica.consecutiveFailures = 0;
      return output;
    } catch (thrown) {
      if (!input.signal.aborted) this.noteFailure(replica, input, thrown);
      else {
        // Retried elsewhere if at all. A cancel says nothing about the replica; a timeout is
        // a server that took the call and never answered (stalled, or a generation longer than
        // the timeout): it counts like a connection error, and a success resets the count.
        this.failedOn.set(input.messages, replica);
        if (input.signal.reason instanceof AttemptTimeout) this.countFailure(replica, 'timeout');
      }
      throw thrown;
    } finally {
      replica.inFlight -= 1;
      this.dispatch();
    }
  }

  states(): ReplicaState[] {
    return this.replicas.map((r) => ({
      url: r.url,
      inService: r.inService,
      inFlight: r.inFlight,
      capacity: r.capacity,
      served: r.served,
      failed: r.failed,
      consecutiveFailures: r.consecutiveFailures,
      ...(r.lastError === undefined ? {} : { lastError: r.lastError }),
      ...(r.nextProbeAt === undefined ? {} : { nextProbeAt: r.nextProbeAt }),
    }));
  }

  /** A check's probe of one replica: a failed one takes it out, an answer brings it back. */
  noteProbe(url: string, answered: boolean): void {
    const replica = this.replicas.find((r) => r.url === url);
    if (!replica) return;
    if (answered) {
      if (!replica.inService) this.bringBack(replica);
    } else if (replica.inService) {
      this.takeOut(replica, 'its check got no answer');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const replica of this.replicas) clearTimeout(replica.probeTimer);
    const closing = new Error('the gateway is closing');
    for (const waiter of this.waiters.splice(0)) waiter.reject(closing);
    await Promise.all(this.replicas.map((r) => r.target.provider.close?.()));
  }

  /** A slot for a call no replica has room for now; none while no replica is in service. */
  private waitForSlot(input: ProviderCallInput, avoid: Replica | undefined): Promise<Replica> {
    if (!this.replicas.some((r) => r.inService)) return Promise.reject(this.noneInService(input.model));
    return new Promise<Replica>((resolve, reject) => {
      let removeListener = () => {};
      const waiter: Waiter = {
        signal: input.signal,
        avoid,
        resolve: (chosen) => {
          removeListener();
          resolve(chosen);
        },
        reject: (error) => {
          removeListener();
          reject(error);
        },
      };
      this.waiters.push(waiter);
      // At once for a signal already aborted: the waiter leaves the queue before anyone serves it.
      removeListener = onAbort(input.signal, () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(abortReason(input.signal));
      });
    });
  }

  /** The replica in service with room and the fewest in flight; `avoid` only if nothing else has room. */
  private pick(avoid: Replica | undefined): Replica | undefined {
    const count = this.replicas.length;
    let best: Replica | undefined;
    let fallback: Replica | undefined;
    for (let i = 0; i < count; i += 1) {
      const replica = this.replicas[(this.turn + i) % count] as Replica;
      if (!replica.inService || replica.inFlight >= replica.capacity) continue;
      if (replica === avoid) fallback = replica;
      else if (!best || replica.inFlight < best.inFlight) best = replica;
    }
    this.turn = (this.turn + 1) % count;
    return best ?? fallback;
  }

  /** Hands freed slots to waiting calls, in order. */
  private dispatch(): void {
    while (this.waiters.length > 0) {
      const waiter = this.waiters[0] as Waiter;
      const replica = this.pick(waiter.avoid);
      if (!replica) return;
      this.waiters.shift();
      replica.inFlight += 1;
      waiter.resolve(replica);
    }
  }

  private noteFailure(replica: Replica, input: ProviderCallInput, thrown: unknown): void {
    const error = classifyProviderError(thrown, { provider: this.provider, model: input.model });
    if (error.retryable) this.failedOn.set(input.messages, replica);
    if (!countsAgainstReplica(error)) return;
    this.countFailure(replica, error.status === undefined ? `${error.kind} error` : `HTTP ${error.status}`);
  }

  /** One more failure in a row; `reason` (a kind or status, never a message) if it takes it out. */
  private countFailure(replica: Replica, reason: string): void {
    replica.failed += 1;
    replica.consecutiveFailures += 1;
    if (replica.inService && replica.consecutiveFailures >= this.failover.failures) {
      this.takeOut(replica, reason);
    }
  }

  private takeOut(replica: Replica, reason: string): void {
    replica.inService = false;
    replica.lastError = reason;
    replica.backoffMs = this.failover.probeInitialMs;
    this.scheduleProbe(replica);
    // Calls waiting for a slot fail now if no replica is left to give them one (retryable).
    if (!this.replicas.some((r) => r.inService)) {
      const error = this.noneInService('the queued call');
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    }
  }

  private bringBack(replica: Replica): void {
    clearTimeout(replica.probeTimer);
    replica.probeTimer = undefined;
    replica.inService = true;
    replica.consecutiveFailures = 0;
    delete replica.lastError;
    delete replica.nextProbeAt;
    this.dispatch();
  }

  private scheduleProbe(replica: Replica): void {
    clearTimeout(replica.probeTimer);
    replica.nextProbeAt = Date.now() + replica.backoffMs;
    replica.probeTimer = setTimeout(() => {
      replica.probeTimer = undefined;
      void this.probe(replica.url).then((answered) => {
        if (this.closed || replica.inService) return;
        if (answered) {
          this.bringBack(replica);
          return;
        }
        replica.backoffMs = Math.min(replica.backoffMs * 2, this.failover.probeMaxMs);
        this.scheduleProbe(replica);
      });
    }, replica.backoffMs);
    // Probes never keep a process alive on their own.
    replica.probeTimer.unref();
  }

  private noneInService(model: string): LlmCallError {
    const soonest = Math.min(...this.replicas.map((r) => r.nextProbeAt ?? Number.POSITIVE_INFINITY));
    const wait = Number.isFinite(soonest) ? `; next probe in ${Math.max(0, soonest - Date.now())} ms` : '';
    return new LlmCallError({
      kind: 'network',
      retryable: true,
      provider: this.provider,
      model,
      message: `${this.provider} model "${model}": none of the endpoint's ${this.replicas.length} replicas is in service${wait}`,
    });
  }
}
