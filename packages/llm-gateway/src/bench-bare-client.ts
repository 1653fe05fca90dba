import http from 'node:http';
import type { CompletionRequestInput } from '@metaspo/schemas';

/**
 * The same requests sent by a bare node:http client (keep-alive, fixed concurrency, body only
 * parsed as JSON): the ceiling this machine and server allow any client, measured in the
 * same run as the gateway so the two compare as a ratio.
 */
export async function bareClientRequestsPerSecond(
  baseUrl: string,
  requests: readonly CompletionRequestInput[],
  concurrency: number,
): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = `${baseUrl}/v1/chat/completions`;
  const post = (request: CompletionRequestInput) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({
        model: request.model.slice(request.model.indexOf(':') + 1),
        messages: request.messages,
        temperature: request.temperature,
      });
      const outgoing = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            if (response.statusCode !== 200) reject(new Error(`bare client: HTTP ${response.statusCode}`));
            else {
              JSON.parse(Buffer.concat(chunks).toString('utf8'));
              resolve();
            }
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests.length) await post(requests[next++]!);
      }),
    );
    return requests.length / ((performance.now() - started) / 1000);
  } finally {
    agent.destroy();
  }
}
