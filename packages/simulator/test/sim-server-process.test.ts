import { describe, expect, it } from 'vitest';
import { createAnswerKey } from '../src/answer-key.js';
import { startSimServerProcess } from '../src/bench.js';
import { startSimServer } from '../src/server/sim-server.js';
import { SYNTHETIC_TASKS, syntheticEntries } from '../src/synthetic-tasks.js';

// The child runs sim-server-child.ts from source: vitest's own flags do not load TypeScript in
// a plain node process, the workspace root's tsx does.
const nodeArgs = ['--conditions=@metaspo/source', '--import', 'tsx'];

const ask = (url: string, question: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'sim:default',
      temperature: 0,
      messages: [
        { role: 'user', content: `<Question>${question}</Question>\nAnswer inside <answer></answer>.` },
      ],
    }),
  });

const contentOf = (body: string): unknown => JSON.parse(body).choices[0].message.content;

describe('startSimServerProcess', () => {
  it('answers from another process as an in-process server with the same answers does, counts requests and stops on close', async () => {
    const answers = syntheticEntries(SYNTHETIC_TASKS[0]!, 5);
    const questions = answers.map((entry) => entry.question);
    const local = await startSimServer({ answerKey: createAnswerKey(answers) });
    const expected = await Promise.all(questions.map(async (q) => (await ask(local.url, q)).text()));
    await local.close();
    const sim = await startSimServerProcess({ latencyMs: 0, answers, nodeArgs });
    try {
      const replies = await Promise.all(questions.map((q) => ask(sim.url, q)));
      expect(replies.map((r) => r.status)).toEqual(questions.map(() => 200));
      const texts = await Promise.all(replies.map((r) => r.text()));
      expect(texts.map(contentOf)).toEqual(expected.map(contentOf));
      expect(await sim.requests()).toBe(questions.length);
      await sim.reset();
      expect(await sim.requests()).toBe(0);
    } finally {
      await sim.close();
    }
    await expect(fetch(`${sim.url}/stats`)).rejects.toThrow();
  }, 30_000);

  it('rejects when the child cannot start', async () => {
    await expect(startSimServerProcess({ nodeArgs: ['--no-such-node-flag'] })).rejects.toThrow(/exited with/);
  });
});
