import type { ChatMessage, ModelProvider, ProviderCallInput, ProviderCallOutput } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { AttemptTimeout, LlmCallError } from '../src/errors.js';
import { ReplicaSet } from '../src/providers/replicas.js';
import { waitFor } from './helpers.js';

/** A replica whose calls wait until the test lets them go, or fail as the test says. */
function heldReplica(name: string) {
  const pending: Array<{ resolve(output: ProviderCallOutput): void; reject(error: unknown): void }> = [];
  let failing: LlmCallError | undefined;
  let maxPending = 0;
  const provider: ModelProvider = {
    provider: 'openai-compatible',
    endpointId: 'test',
    complete: () => {
      if (failing) return Promise.reject(failing);
      return new Promise((resolve, reject) => {
        pending.push({ resolve, reject });
        maxPending = Math.max(maxPending, pending.length);
      });
    },
  };
  return {
    provider,
    pending,
    get maxPending() {
      return maxPending;
    },
    answerAll() {
      for (const call of pending.splice(0)) {
        call.resolve({ text: name, usage: { promptTokens: 1, completionTokens: 1 }, finishReason: 'stop' });
      }
    },
    fail(error: LlmCallError | undefined) {
      failing = error;
    },
  };
}

const refused = new LlmCallError({ kind: 'network', retryable: true, message: 'network error ECONNREFUSED' });
const badRequest = new LlmCallError({ kind: 'bad-request', status: 400, message: 'HTTP 400' });

const input = (messages: ChatMessage[] = [{ role: 'user', content: 'q' }]): ProviderCallInput => ({
  model: 'm',
  messages,
  temperature: 0,
  sampleIndex: 0,
  signal: new AbortController().signal,
});

function setOf(capacities: number[], probe: (url: string) => Promise<boolean> = async () => false) {
  const replicas = capacities.map((_, i) => heldReplica(`r${i}`));
  const set = new ReplicaSet(
    'openai-compatible',
    'pool',
    replicas.map((r, i) => ({ url: `http://r${i}`, capacity: capacities[i]!, provider: r.provider })),
    { failures: 3, probeInitialMs: 20, probeMaxMs: 80 },
    probe,
  );
  return { set, replicas };
}

const inFlight = (set: ReplicaSet) => set.states().map((s) => s.inFlight);

describe('ReplicaSet', () => {
  it('sends each call to the replica with the fewest in flight, never above its capacity', async () => {
    const { set, replicas } = setOf([1, 3, 2]);
    const calls = Array.from({ length: 8 }, () => set.complete(input()));
    expect(inFlight(set)).toEqual([1, 3, 2]);
    // Two calls wait for a slot; the first one freed (r0's) goes to the first of them.
    replicas[0]!.answerAll();
    await calls[0];
    expect(replicas[0]!.pending.length).toBe(1);
    expect(inFlight(set)).toEqual([1, 3, 2]);
    for (let turn = 0; turn < 10; turn += 1) {
      for (const r of replicas) r.answerAll();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const texts = (await Promise.all(calls)).map((o) => o.text);
    expect(replicas.map((r) => r.maxPending)).toEqual([1, 3, 2]);
    expect(set.states().map((s) => s.served)).toEqual(
      ['r0', 'r1', 'r2'].map((name) => texts.filter((t) => t === name).length),
    );
    expect(inFlight(set)).toEqual([0, 0, 0]);
  });

  it('spreads calls made one at a time over all replicas', async () => {
    const { set, replicas } = setOf([4, 4, 4]);
    for (let i = 0; i < 6; i += 1) {
      const call = set.complete(input());
      for (const r of replicas) r.answerAll();
      await call;
    }
    expect(set.states().map((s) => s.served)).toEqual([2, 2, 2]);
  });

  it('sends the retry of a failed request to another replica', async () => {
    const { set, replicas } = setOf([4, 4]);
    replicas[0]!.fail(refused);
    const messages: ChatMessage[] = [{ role: 'user', content: 'retried' }];
    // The gateway's retry loop passes the same messages to each attempt.
    const firstOnR0 = await set.complete(input(messages)).catch((error: unknown) => error);
    expect(firstOnR0).toBe(refused);
    const retry = set.complete(input(messages));
    expect(inFlight(set)).toEqual([0, 1]);
    replicas[1]!.answerAll();
    expect((await retry).text).toBe('r1');
  });

  it('sends the retry of an attempt the gateway aborted elsewhere, without counting it against the replica', async () => {
    const { set, replicas } = setOf([4, 4]);
    const messages: ChatMessage[] = [{ role: 'user', content: 'timed out' }];
    const timeout = new AbortController();
    const attempt = set.complete({ ...input(messages), signal: timeout.signal });
    expect(inFlight(set)).toEqual([1, 0]);
    timeout.abort();
    replicas[0]!.pending[0]!.reject(new Error('aborted'));
    await expect(attempt).rejects.toThrow('aborted');
    const retry = set.complete(input(messages));
    expect(inFlight(set)).toEqual([0, 1]);
    replicas[1]!.answerAll();
    expect((await retry).text).toBe('r1');
    expect(set.states()[0]).toMatchObject({ inService: true, failed: 0, consecutiveFailures: 0 });
  });

  it('counts an attempt the gateway timed out against its replica, and takes a stalled one out', async () => {
    const { set, replicas } = setOf([4]);
    for (let i = 0; i < 3; i += 1) {
      const timeout = new AbortController();
      const attempt = set.complete({
        ...input([{ role: 'user', content: `stall ${i}` }]),
        signal: timeout.signal,
      });
      expect(inFlight(set)[0]).toBe(1);
      timeout.abort(new AttemptTimeout(100));
      replicas[0]!.pending.shift()!.reject(new Error('aborted'));
      await expect(attempt).rejects.toThrow('aborted');
    }
    expect(set.states()[0]).toMatchObject({ inService: false, failed: 3, lastError: 'timeout' });
    await expect(set.complete(input())).rejects.toThrow('none of the endpoint');
    await set.close();
  });

  it('takes a replica out after consecutive connection errors, not after bad requests', async () => {
    const { set, replicas } = setOf([4, 4]);
    replicas[0]!.fail(badRequest);
    for (let i = 0; i < 8; i += 1) {
      const call = set.complete(input([{ role: 'user', content: `bad ${i}` }])).catch(() => undefined);
      replicas[1]!.answerAll();
      await call;
    }
    expect(set.states()[0]).toMatchObject({ inService: true, consecutiveFailures: 0 });
    replicas[0]!.fail(refused);
    for (let i = 0; i < 6; i += 1) {
      const call = set.complete(input([{ role: 'user', content: `gone ${i}` }])).catch(() => undefined);
      replicas[1]!.answerAll();
      await call;
    }
    expect(set.states()[0]).toMatchObject({ inService: false, failed: 3, lastError: 'network error' });
    const calls = Array.from({ length: 4 }, () => set.complete(input()));
    expect(inFlight(set)).toEqual([0, 4]);
    replicas[1]!.answerAll();
    await Promise.all(calls);
    await set.close();
  });

  it('probes a replica taken out with back-off and brings it back at the first answer', async () => {
    let answering = false;
    const probes: number[] = [];
    const { set, replicas } = setOf([2, 2], async () => {
      probes.push(Date.now());
      return answering;
    });
    replicas[0]!.fail(refused);
    for (let i = 0; set.states()[0]!.inService; i += 1) {
      const call = set.complete(input([{ role: 'user', content: `${i}` }])).catch(() => undefined);
      replicas[1]!.answerAll();
      await call;
    }
    await waitFor(() => probes.length >= 3);
    // Timers never fire early: the waits between probes are at least 20 ms doubled, then doubled again.
    const gaps = probes.slice(1).map((t, i) => t - probes[i]!);
    expect(gaps[0]!).toBeGreaterThanOrEqual(39);
    expect(gaps[1]!).toBeGreaterThanOrEqual(79);
    replicas[0]!.fail(undefined);
    answering = true;
    await waitFor(() => set.states()[0]!.inService, 100);
    const calls = Array.from({ length: 4 }, () => set.complete(input()));
    expect(inFlight(set)).toEqual([2, 2]);
    for (const r of replicas) r.answerAll();
    await Promise.all(calls);
    await set.close();
  });

  it('fails calls at once, retryable, while no replica is in service', async () => {
    const { set, replicas } = setOf([1]);
    replicas[0]!.fail(refused);
    for (let i = 0; i < 3; i += 1) await set.complete(input()).catch(() => 0);
    const error = await set.complete(input()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmCallError);
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect((error as LlmCallError).message).toMatch(/none of the endpoint's 1 replicas is in service/);
    await set.close();
  });

  it('a check that gets no answer takes a replica out; one that answers brings it back', async () => {
    const { set } = setOf([2, 2]);
    set.noteProbe('http://r1', false);
    expect(set.states().map((s) => s.inService)).toEqual([true, false]);
    set.noteProbe('http://r1', true);
    expect(set.states().map((s) => s.inService)).toEqual([true, true]);
    await set.close();
  });
});
