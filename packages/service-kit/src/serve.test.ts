import { once } from 'node:events';
import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createGreeterRouter, type GreeterRouter } from '../test/fixtures/greeter-router.js';
import { createServiceClient } from './client.js';
import { domainCodeOf } from './errors.js';
import { type ServedRouter, serve } from './serve.js';

const servers: ServedRouter[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close(100)));
});

async function start(options: Parameters<typeof serve>[1] = {}) {
  const served = await serve(createGreeterRouter(), options);
  servers.push(served);
  return served;
}

async function errorOf(promise: Promise<unknown>): Promise<TRPCClientError<GreeterRouter>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<GreeterRouter>;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function errorShape(error: TRPCClientError<GreeterRouter>) {
  return {
    message: error.message,
    code: error.data?.code,
    httpStatus: error.data?.httpStatus,
    issues: error.data?.issues,
    domainCode: error.data?.domainCode,
  };
}

describe('in-process and HTTP clients', () => {
  it('return identical results, superjson types included', async () => {
    const served = await start();
    const local = createServiceClient<GreeterRouter>({ router: createGreeterRouter() });
    const remote = createServiceClient<GreeterRouter>({ url: served.url });
    const [a, b] = await Promise.all([
      local.greet.query({ name: 'ada', times: 2 }),
      remote.greet.query({ name: 'ada', times: 2 }),
    ]);
    expect(a).toEqual(b);
    expect(b.at).toBeInstanceOf(Date);
    expect(b.text).toBe('hello ada hello ada');
    expect(await remote.remember.mutate({ name: 'x' })).toEqual({ count: 1 });
  });

  it('return identical error shapes for validation, not-found and domain errors', async () => {
    const served = await start();
    const local = createServiceClient<GreeterRouter>({ router: createGreeterRouter() });
    const remote = createServiceClient<GreeterRouter>({ url: served.url });

    const localInvalid = errorShape(await errorOf(local.greet.query({ name: '' })));
    const remoteInvalid = errorShape(await errorOf(remote.greet.query({ name: '' })));
    expect(remoteInvalid).toEqual(localInvalid);
    expect(remoteInvalid.code).toBe('BAD_REQUEST');
    expect(remoteInvalid.issues).toEqual([{ path: 'name', message: 'name must not be empty' }]);

    const localMissing = errorShape(await errorOf(local.lookup.query({ id: '7' })));
    const remoteMissing = errorShape(await errorOf(remote.lookup.query({ id: '7' })));
    expect(remoteMissing).toEqual(localMissing);
    expect(remoteMissing).toMatchObject({
      code: 'NOT_FOUND',
      message: 'greeting 7 not found',
      domainCode: 'NOT_FOUND',
    });

    const remoteBudget = await errorOf(remote.spend.mutate());
    expect(domainCodeOf(remoteBudget)).toBe('BUDGET_EXCEEDED');
    expect(errorShape(remoteBudget)).toEqual(errorShape(await errorOf(local.spend.mutate())));
  });
});

describe('serve', () => {
  it('answers /health without a token', async () => {
    const served = await start({ token: 'let-me-in-0123456789', health: () => ({ service: 'greeter' }) });
    const res = await fetch(`${served.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, service: 'greeter' });
  });

  it('rejects requests without the bearer token with 401 and accepts them with it', async () => {
    const served = await start({ token: 'let-me-in-0123456789' });
    const bare = await fetch(
      `${served.url}/trpc/greet?input=${encodeURIComponent(JSON.stringify({ json: { name: 'a' } }))}`,
    );
    expect(bare.status).toBe(401);
    const wrong = createServiceClient<GreeterRouter>({ url: served.url, token: 'wrong-token' });
    expect(errorShape(await errorOf(wrong.greet.query({ name: 'a' })))).toMatchObject({
      code: 'UNAUTHORIZED',
      httpStatus: 401,
    });
    const right = createServiceClient<GreeterRouter>({ url: served.url, token: 'let-me-in-0123456789' });
    expect((await right.greet.query({ name: 'a' })).text).toBe('hello a');
  });

  it('refuses a non-loopback host without a token', async () => {
    await expect(serve(createGreeterRouter(), { host: '0.0.0.0' })).rejects.toThrow(
      /non-loopback host "0.0.0.0" without a token/,
    );
  });

  it('rejects a body over the limit with 413', async () => {
    const served = await start({ bodyLimitBytes: 1_000 });
    const client = createServiceClient<GreeterRouter>({ url: served.url });
    expect(await client.echo.mutate({ text: 'x'.repeat(100) })).toEqual({ length: 100 });
    const res = await fetch(`${served.url}/trpc/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { text: 'x'.repeat(5_000) } }),
    });
    expect(res.status).toBe(413);
    expect(errorShape(await errorOf(client.echo.mutate({ text: 'x'.repeat(5_000) })))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      httpStatus: 413,
    });
  });

  it('closes gracefully: in-flight requests finish, new connections are refused', async () => {
    const served = await start();
    const client = createServiceClient<GreeterRouter>({ url: served.url });
    const received = once(served.server, 'request');
    const inFlight = client.slow.query({ ms: 300 });
    await received;
    await served.close(2_000);
    servers.splice(servers.indexOf(served), 1);
    expect(await inFlight).toEqual({ waited: 300 });
    await expect(fetch(`${served.url}/health`)).rejects.toThrow();
  });
});

describe('split deployment routing', () => {
  it('sends each namespace to its own server', async () => {
    const { router } = await import('./trpc.js');
    const front = router({ greeter: createGreeterRouter() });
    const back = router({ other: createGreeterRouter() });
    const both = router({ greeter: createGreeterRouter(), other: createGreeterRouter() });
    const frontServer = await serve(front);
    const backServer = await serve(back);
    servers.push(frontServer, backServer);
    const client = createServiceClient<typeof both>({
      url: frontServer.url,
      routes: { other: backServer.url },
    });
    expect(await client.greeter.remember.mutate({ name: 'a' })).toEqual({ count: 1 });
    expect(await client.other.remember.mutate({ name: 'b' })).toEqual({ count: 1 });
    expect(await client.other.remember.mutate({ name: 'c' })).toEqual({ count: 2 });
    const unrouted = createServiceClient<typeof both>({ url: frontServer.url });
    await expect(unrouted.other.remember.mutate({ name: 'd' })).rejects.toThrow(/No procedure found/);
  });
});
