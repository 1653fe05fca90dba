import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChatMessage, ProviderCallInput } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaCppProvider, type LlamaCppProvider } from '../src/llamacpp.js';
import { writeTinyGguf } from './fixtures/tiny-gguf.js';
import { waitFor } from './helpers.js';

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say something about prompts.' },
];

function call(overrides: Partial<ProviderCallInput> = {}): ProviderCallInput {
  return {
    model: 'tiny',
    messages: MESSAGES,
    temperature: 0,
    maxTokens: 8,
    sampleIndex: 0,
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe('llamacpp provider on a tiny random-weight GGUF written by the test', () => {
  let dir: string;
  let modelFile: string;
  let provider: LlamaCppProvider;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'metaspo-llamacpp-'));
    modelFile = writeTinyGguf(path.join(dir, 'tiny.gguf')).file;
    provider = createLlamaCppProvider({
      model: modelFile,
      parallelSequences: 2,
      contextSize: 256,
      threads: 1,
    });
  });

  afterAll(async () => {
    await provider.close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a GGUF v3 file well under 1 MB', () => {
    const info = writeTinyGguf(path.join(dir, 'again.gguf'));
    expect(info.bytes).toBeLessThan(1024 * 1024);
    expect(statSync(info.file).size).toBe(info.bytes);
    expect(info.tensorCount).toBe(3 + 2 * 9);
    expect(info.vocabularySize).toBe(3 + 256 + 1);
  });

  it('names the endpoint by the resolved model path', () => {
    expect(provider.provider).toBe('llamacpp');
    expect(provider.endpointId).toBe(`llamacpp:${path.resolve(modelFile)}`);
  });

  it('completes a prompt, stops at maxTokens with finishReason length, and reports usage', async () => {
    // Greedy decoding on this random model never picks </s> early (checked: it fills the context).
    const result = await provider.complete(call({ maxTokens: 8 }));
    expect(typeof result.text).toBe('string');
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.usage.completionTokens).toBe(8);
    expect(result.finishReason).toBe('length');
  });

  it('stops at a stop string with finishReason stop', async () => {
    const free = await provider.complete(call({ maxTokens: 12 }));
    const stopChar = [...free.text].slice(1).find((ch) => /[A-Za-z0-9]/.test(ch));
    expect(stopChar, `no ASCII letter in ${JSON.stringify(free.text)}`).toBeDefined();
    const stopped = await provider.complete(call({ maxTokens: 12, stop: [stopChar ?? ''] }));
    expect(stopped.finishReason).toBe('stop');
    expect(stopped.text).not.toContain(stopChar);
    expect(stopped.usage.completionTokens).toBeLessThan(12);
  });

  it('counts prompt tokens from the tokenizer: a longer prompt costs more', async () => {
    const short = await provider.complete(call({ maxTokens: 1 }));
    const long = await provider.complete(
      call({ maxTokens: 1, messages: [...MESSAGES, { role: 'user', content: 'x'.repeat(40) }] }),
    );
    expect(long.usage.promptTokens).toBeGreaterThan(short.usage.promptTokens + 30);
  });

  it('is deterministic at temperature 0: no state leaks between calls', async () => {
    const first = await provider.complete(call({ maxTokens: 6 }));
    await provider.complete(call({ maxTokens: 6, messages: [{ role: 'user', content: 'other' }] }));
    const again = await provider.complete(call({ maxTokens: 6 }));
    expect(again.text).toBe(first.text);
    expect(again.usage).toEqual(first.usage);
  });

  it('serves two concurrent calls with parallelSequences 2, and queues a third', async () => {
    const settled: number[] = [];
    let atFirstSettle: { busy: number; waiting: number } | undefined;
    const calls = [0, 1, 2].map((index) =>
      provider
        .complete(call({ maxTokens: 60, temperature: 1, seed: 7, sampleIndex: index }))
        .then((result) => {
          atFirstSettle ??= { busy: provider.sequences.busy, waiting: provider.sequences.waiting };
          settled.push(index);
          return result;
        }),
    );
    // Two calls hold a sequence each while generating, the third waits for one.
    await waitFor(() => provider.sequences.busy === 2 && provider.sequences.waiting === 1);
    expect(settled).toEqual([]);
    const results = await Promise.all(calls);
    // The first call to finish handed its sequence to the queued one, which finished last.
    expect(atFirstSettle).toEqual({ busy: 2, waiting: 0 });
    expect(settled[2]).toBe(2);
    expect([provider.sequences.busy, provider.sequences.waiting]).toEqual([0, 0]);
    for (const result of results) {
      expect(result.usage.completionTokens).toBe(60);
      expect(result.usage.promptTokens).toBeGreaterThan(0);
    }
  });

  it('gives distinct samples distinct seeds, and the same sample the same text', async () => {
    const sample = (sampleIndex: number) =>
      provider.complete(call({ maxTokens: 12, temperature: 1.5, seed: 3, sampleIndex }));
    const [a, b, aAgain] = [await sample(0), await sample(1), await sample(0)];
    expect(aAgain.text).toBe(a.text);
    expect(b.text).not.toBe(a.text);
  });

  it('stops a generation promptly on abort, while a sibling call runs on', async () => {
    const controller = new AbortController();
    let siblingSettled = false;
    const sibling = provider.complete(call({ maxTokens: 120 })).finally(() => {
      siblingSettled = true;
    });
    const aborted = provider.complete(call({ maxTokens: 120, signal: controller.signal }));
    // By the next macrotask both calls are inside node-llama-cpp's generation.
    setImmediate(() => controller.abort());
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    // The identical sibling still has most of its 120 tokens to go: the abort did not wait for it.
    expect(siblingSettled).toBe(false);
    const finished = await sibling;
    expect(finished.usage.completionTokens).toBe(120);
  });

  it('rejects at once when the signal is already aborted, and serves the next call', async () => {
    await expect(provider.complete(call({ signal: AbortSignal.abort() }))).rejects.toMatchObject({
      name: 'AbortError',
    });
    const after = await provider.complete(call({ maxTokens: 4 }));
    expect(after.usage.completionTokens).toBe(4);
  });

  it('cancels a call waiting for a sequence without blocking the others', async () => {
    const controller = new AbortController();
    const busy = [provider.complete(call({ maxTokens: 20 })), provider.complete(call({ maxTokens: 20 }))];
    const queued = provider.complete(call({ signal: controller.signal }));
    controller.abort(new Error('run cancelled'));
    await expect(queued).rejects.toThrow('run cancelled');
    const done = await Promise.all(busy);
    expect(done).toHaveLength(2);
  });

  it('rejects a prompt longer than the context with a message naming the sizes', async () => {
    const huge: ChatMessage[] = [{ role: 'user', content: 'y'.repeat(400) }];
    await expect(provider.complete(call({ messages: huge }))).rejects.toThrow(/context holds \d+/);
  });

  it('fails with the path when the model file does not exist', async () => {
    const missing = createLlamaCppProvider({ model: path.join(dir, 'nope.gguf'), parallelSequences: 1 });
    await expect(missing.complete(call())).rejects.toThrow(/model file not found: .*nope\.gguf/);
    await missing.close?.();
  });

  it('refuses a llama file missing a tensor size, naming it, instead of letting llama.cpp abort', async () => {
    const noFeedForward = writeTinyGguf(path.join(dir, 'no-ffn.gguf'), {
      omitKeys: ['llama.feed_forward_length', 'llama.attention.head_count'],
    }).file;
    const broken = createLlamaCppProvider({ model: noFeedForward, parallelSequences: 1, threads: 1 });
    await expect(broken.complete(call())).rejects.toThrow(
      /no-ffn\.gguf: llama\.feed_forward_length is missing; llama\.attention\.head_count is missing/,
    );
    await broken.close?.();
  });

  it('fails with the path when the file is not GGUF', async () => {
    const notGguf = path.join(dir, 'notes.gguf');
    writeFileSync(notGguf, 'these are not weights');
    const broken = createLlamaCppProvider({ model: notGguf, parallelSequences: 1, threads: 1 });
    await expect(broken.complete(call())).rejects.toThrow(/cannot read model .*notes\.gguf as GGUF/);
    await broken.close?.();
  });

  it('renders messages with the chat template stored in the GGUF', async () => {
    // The template emits only the contents, so 'abcdef' is exactly six byte tokens; the fallback
    // transcript format adds BOS and role headers around it.
    const templated = createLlamaCppProvider({
      model: writeTinyGguf(path.join(dir, 'templated.gguf'), {
        chatTemplate: "{% for message in messages %}{{ message['content'] }}{% endfor %}",
      }).file,
      parallelSequences: 1,
      contextSize: 128,
      threads: 1,
    });
    const messages: ChatMessage[] = [{ role: 'user', content: 'abcdef' }];
    try {
      const withTemplate = await templated.complete(call({ maxTokens: 1, messages }));
      const fallback = await provider.complete(call({ maxTokens: 1, messages }));
      expect(withTemplate.usage.promptTokens).toBe(6);
      expect(fallback.usage.promptTokens).toBeGreaterThan(withTemplate.usage.promptTokens + 5);
    } finally {
      await templated.close?.();
    }
  });

  it('close() disposes the model; later calls fail; closing twice is harmless', async () => {
    await provider.close?.();
    await expect(provider.complete(call())).rejects.toThrow(/closed/);
    await provider.close?.();
  });
});
