import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake does with one request: answer it, fail it, or never answer (a stall). */
export type FakeReply =
  | { kind: 'answer'; text?: string; promptTokens?: number; completionTokens?: number }
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'stall' };

export interface FakeArrival {
  /** performance.now() when the request arrived. */
  at: number;
  body: { max_tokens?: number; messages: Array<{ content: string }> };
}

export interface OpenAiFake {
  /** Base URL for OPENAI_BASE_URL. */
  url: string;
  arrivals: FakeArrival[];
  /** Resolves when `count` requests have arrived. */
  arrived(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for OpenAI Chat Completions whose every reply the test chooses, with
 * exact token counts (the simulator's usage depends on the prompt) and arrival times.
 */
export async function startOpenAiFake(reply: (index: number) => FakeReply): Promise<OpenAiFake> {
  const arrivals: FakeArrival[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const stalled = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const index = arrivals.length;
      arrivals.push({ at: performance.now(), body: JSON.parse(raw) as FakeArrival['body'] });
      for (const waiter of waiters.filter((w) => arrivals.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const chosen = reply(index);
      if (chosen.kind === 'stall') {
        stalled.add(res);
        return;
      }
      if (chosen.kind === 'status') {
        res.writeHead(chosen.status, { 'content-type': 'application/json', ...chosen.headers });
        res.end(JSON.stringify({ error: { message: `fake ${chosen.status}`, type: 'fake' } }));
        return;
      }
      const promptTokens = chosen.promptTokens ?? 10;
      const completionTokens = chosen.completionTokens ?? 2;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-${index}`,
          object: 'chat.completion',
          created: 0,
          model: 'fake',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: chosen.text ?? `answer ${index}` },
              finish_reason: 'stop',
            },
          ],
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
            total_tokens: promptTokens + completionTokens,
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    arrivals,
    arrived: (count) =>
      arrivals.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of stalled) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
