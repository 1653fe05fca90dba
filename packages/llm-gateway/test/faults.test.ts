import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimServer } from '@metaspo/simulator';
import { describe, expect, it } from 'vitest';
import { createLlmGatewayService } from '../src/service.js';
import { ARITHMETIC_KEY, FAKE_KEY, request, simProviders } from './helpers.js';

// Stalls are 10% of attempts here: the default two timeout retries would fail a few of 500 calls.
const FAST_RETRIES = { maxAttempts: 15, baseDelayMs: 5, maxDelayMs: 40, timeoutRetries: 14 };

function gatewayFor(baseUrl: string, timeoutMs = 1_000) {
  return createLlmGatewayService({
    databaseFile: ':memory:',
    config: { timeoutMs, retries: FAST_RETRIES, providers: { openai: { concurrency: 32 } } },
    env: { OPENAI_API_KEY: FAKE_KEY, OPENAI_BASE_URL: `${baseUrl}/v1` },
  });
}

describe('faults', () => {
  it('with 30% of responses failing (429, 500, stalls) a batch of 500 equals the fault-free batch', {
    timeout: 120_000,
  }, async () => {
    const requests = Array.from({ length: 500 }, (_, i) =>
      request({ model: 'openai:default', content: `Question ${i}: what is ${i} + 1?`, cache: 'off' }),
    );
    // The fault-free answers: the same simulated model in process (the provider contract
    // tests show the HTTP path answers exactly like it).
    const reference = createLlmGatewayService({
      databaseFile: ':memory:',
      providers: simProviders(ARITHMETIC_KEY),
      config: { providers: { sim: { malformedRate: 0 } } },
    });
    const expected = await reference.completeBatch(requests.map((r) => ({ ...r, model: 'sim:default' })));
    await reference.close();
    expect(expected.every((o) => o.ok)).toBe(true);

    const faulty = await startSimServer({
      port: 0,
      answerKey: ARITHMETIC_KEY,
      malformedRate: 0,
      failRate: 0.3,
      failKinds: ['429', '500', 'timeout'],
      retryAfterSeconds: 0,
    });
    const service = gatewayFor(faulty.url);
    const outcomes = await service.completeBatch(requests);
    const stats = faulty.stats();
    await service.close();
    await faulty.close();

    expect(outcomes.map((o) => (o.ok ? o.result.text : o.error.message))).toEqual(
      expected.map((o) => (o.ok ? o.result.text : '')),
    );
    expect(stats.faults['429']).toBeGreaterThan(10);
    expect(stats.faults['500']).toBeGreaterThan(10);
    expect(stats.faults.timeout).toBeGreaterThan(10);
    // A slow answer may time out and be asked again, so the server can answer more than 500.
    expect(stats.answered).toBeGreaterThanOrEqual(500);
  });

  it('fails a 401 at once with provider, model and status, and without the key', async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits += 1;
      res.writeHead(401, { 'content-type': 'application/json' });
      // Like OpenAI, the body echoes the key it rejected.
      res.end(
        JSON.stringify({
          error: { message: `Incorrect API key provided: ${FAKE_KEY}`, type: 'invalid_request_error' },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // A generous timeout: on a loaded machine a slow 401 must not turn into a retried timeout.
    const service = gatewayFor(`http://127.0.0.1:${port}`, 30_000);
    const failure = await service.complete(request({ model: 'openai:gpt-4o-mini' })).catch((e: unknown) => e);
    await service.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(failure).toMatchObject({ code: 'UPSTREAM', details: { kind: 'auth', status: 401 } });
    const message = (failure as Error).message;
    expect(message).toContain('HTTP 401');
    expect(message).toContain('openai model "gpt-4o-mini"');
    expect(message).not.toContain(FAKE_KEY);
    expect(hits).toBe(1);
  });

  it('gives up after the configured attempts and says how many', async () => {
    const faulty = await startSimServer({
      port: 0,
      answerKey: ARITHMETIC_KEY,
      failRate: 1,
      failKinds: ['500'],
    });
    const service = createLlmGatewayService({
      databaseFile: ':memory:',
      config: { retries: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } },
      env: { OPENAI_API_KEY: FAKE_KEY, OPENAI_BASE_URL: `${faulty.url}/v1` },
    });
    const [outcome] = await service.completeBatch([request({ model: 'openai:default' })]);
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'server', status: 500 } });
    expect(outcome?.ok ? '' : outcome?.error.message).toContain('gave up after 3 attempts');
    expect(faulty.stats().requests).toBe(3);
    expect(service.usage().totals).toMatchObject({ calls: 1, failedCalls: 1 });
    await service.close();
    await faulty.close();
  });
});
