import { expectedCalls } from '@metaspo/optimizer';
import type { IterationSnapshot, NodeRecord, RunEvent, RunExport, RunRecord } from '@metaspo/schemas';
import { RunConfigSchema } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerCalls, runToEnd, smallConfig, TRAIN_TASKS } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';

describe('MetaSPO on the simulator', () => {
  let platform: Platform;
  let run: RunRecord;
  let nodes: NodeRecord[];
  let exported: RunExport;
  const byId = (id: string | null) => nodes.find((n) => n.id === id);

  beforeAll(async () => {
    platform = await createPlatform();
    run = await runToEnd(platform, smallConfig());
    nodes = platform.optimizer.listNodes(run.id);
    exported = await platform.optimizer.exportRun(run.id);
  });
  afterAll(async () => platform?.close());

  it('completes with a result and marks simulated runs', () => {
    expect(run.status).toBe('completed');
    expect(run.simulated).toBe(true);
    // The simulated optimizer writes helpful behaviours in, so a loop that changes nothing fails.
    expect(run.result!.scores.final).toBeGreaterThan(run.result!.scores.initial);
  });

  it('makes exactly the requests the formula predicts, as counted by the run and by the gateway ledger', async () => {
    const expected = expectedCalls(RunConfigSchema.parse(smallConfig()), TRAIN_TASKS.length);
    const calls = run.result!.calls;
    expect(nodes.some((n) => n.droppedReason)).toBe(false);
    expect({ baseTrain: calls.baseTrain, baseTest: calls.baseTest, optimizer: calls.optimizer }).toEqual(
      expected,
    );
    expect(await ledgerCalls(platform, run.id)).toBe(
      calls.baseTrain + calls.baseTest + calls.optimizer + calls.optimizerRetries,
    );
  });

  it('records the lineage of every node back to the initial nodes', () => {
    for (const node of nodes) {
      if (node.phase === 'initial' && node.kind === 'system') {
        expect(node.parentId).toBeNull();
        continue;
      }
      const parent = byId(node.parentId);
      expect(parent, `parent of ${node.id}`).toBeDefined();
      if (node.kind === 'user' && node.phase === 'inner') {
        expect(parent!.taskId).toBe(node.taskId);
        expect(parent!.iteration).toBeLessThan(node.iteration + (parent!.phase === 'outer' ? 0 : 1));
      }
      if (node.kind === 'system' && node.taskId) expect(parent!.userPrompt).toBe(node.userPrompt);
      if (node.kind === 'system' && !node.taskId) expect(parent!.kind).toBe('system');
    }
    const last = exported.iterations.at(-1)!;
    for (const task of last.tasks) {
      for (const id of task.nodeIds) {
        let node = byId(id);
        while (node && node.phase !== 'initial') node = byId(node.parentId);
        expect(node?.taskId).toBe(task.taskId);
      }
    }
  });

  it('keeps only the best userTopK user prompts per task after each inner loop (beam cut)', () => {
    const inner = exported.iterations.filter((s) => s.stage === 'inner');
    expect(inner).toHaveLength(2);
    for (const snapshot of inner) {
      const before = exported.iterations[exported.iterations.indexOf(snapshot) - 1] as IterationSnapshot;
      for (const task of snapshot.tasks) {
        expect(task.nodeIds.length).toBe(
          Math.min(3, before.tasks.find((t) => t.taskId === task.taskId)!.nodeIds.length + 3),
        );
        const candidates = nodes.filter(
          (n) => n.phase === 'inner' && n.iteration === snapshot.iteration && n.taskId === task.taskId,
        );
        const pool = [
          ...before.tasks.find((t) => t.taskId === task.taskId)!.nodeIds.map((id) => byId(id)!),
          ...candidates,
        ];
        const kept = task.nodeIds.map((id) => byId(id)!.trainScore!);
        const worstKept = Math.min(...kept);
        const dropped = pool.filter((n) => !task.nodeIds.includes(n.id));
        for (const n of dropped) expect(n.trainScore!).toBeLessThanOrEqual(worstKept);
        expect(kept).toEqual([...kept].sort((a, b) => b - a));
      }
    }
  });

  it('replaces the system prompt only with a candidate whose mean is strictly higher (greedy acceptance)', () => {
    const outer = exported.iterations.filter((s) => s.stage === 'outer');
    for (const snapshot of outer) {
      const before = exported.iterations[exported.iterations.indexOf(snapshot) - 1] as IterationSnapshot;
      const candidates = nodes.filter(
        (n) => n.phase === 'outer' && n.iteration === snapshot.iteration && !n.taskId,
      );
      expect(candidates).toHaveLength(3);
      const bestCandidate = Math.max(...candidates.map((c) => c.trainScore!));
      if (snapshot.accepted) {
        expect(snapshot.meanScore).toBeGreaterThan(before.meanScore);
        expect(snapshot.meanScore).toBeCloseTo(bestCandidate, 10);
        expect(candidates.some((c) => c.systemPrompt === snapshot.systemPrompt)).toBe(true);
      } else {
        expect(bestCandidate).toBeLessThanOrEqual(before.meanScore);
        expect(snapshot.systemPrompt).toBe(before.systemPrompt);
        expect(snapshot.meanScore).toBe(before.meanScore);
      }
    }
    // Both branches above must be exercised by this run, or a loop that never accepts would pass.
    expect(outer.some((s) => s.accepted)).toBe(true);
    expect(run.result!.optimizedSystemPrompt).toBe(outer.at(-1)!.systemPrompt);
  });

  it('exports scores per iteration and task, lineage, config and usage', () => {
    expect(exported.iterations.map((s) => `${s.stage}${s.iteration}`)).toEqual([
      'initial0',
      'inner1',
      'outer1',
      'inner2',
      'outer2',
    ]);
    expect(exported.taskIds).toEqual(TRAIN_TASKS);
    expect(exported.nodes).toHaveLength(nodes.length);
    expect(exported.usage?.calls).toBeGreaterThan(0);
  });

  it('serves stored events through the subscription, resuming after a given seq', async () => {
    const events: RunEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      const sub = platform.optimizerClient.events.subscribe(
        { runId: run.id, afterSeq: 2 },
        {
          onData: (envelope) => {
            events.push(envelope.data);
            if (envelope.data.type === 'status' && envelope.data.status === 'completed') {
              sub.unsubscribe();
              resolve();
            }
          },
          onError: reject,
        },
      );
    });
    expect(events[0]?.seq).toBe(3);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 3));
    const types = new Set(events.map((e) => e.type));
    for (const type of ['phase', 'node', 'progress', 'system-decision', 'status'])
      expect(types).toContain(type);
  });

  it('repeats an identical run from the gateway cache', async () => {
    const again = await runToEnd(platform, smallConfig());
    expect(again.result?.optimizedSystemPrompt).toBe(run.result?.optimizedSystemPrompt);
    expect(again.result?.scores).toEqual(run.result?.scores);
    const usage = await platform.llm.usage.query({ runId: again.id });
    expect(usage.totals.paidCalls).toBe(0);
  });

  it('counts a second config exactly too (outer-loop ablation, other sizes)', async () => {
    const config = smallConfig({
      method: 'outer-loop',
      iterations: 1,
      numSystemCandidates: 2,
      trainSize: 8,
      testSize: 12,
    });
    const other = await runToEnd(platform, config);
    const expected = expectedCalls(RunConfigSchema.parse(config), TRAIN_TASKS.length);
    const { baseTrain, baseTest, optimizer, optimizerRetries } = other.result!.calls;
    expect({ baseTrain, baseTest, optimizer }).toEqual(expected);
    expect(await ledgerCalls(platform, other.id)).toBe(baseTrain + baseTest + optimizer + optimizerRetries);
  });

  it('validates YAML configs naming the field and its line', () => {
    const result = platform.optimizer.validateConfig(
      'metaTrainTasks: [proc_navigation]\niterations: -2\nbogus: 1\n',
    );
    expect(result.ok).toBe(false);
    expect(result.issues).toContainEqual(expect.objectContaining({ path: 'iterations', line: 2 }));
    expect(result.issues.some((i) => i.message.includes('bogus'))).toBe(true);
    expect(platform.optimizer.validateConfig('metaTrainTasks: procedural\n')).toEqual({
      ok: true,
      issues: [],
    });
  });
});
