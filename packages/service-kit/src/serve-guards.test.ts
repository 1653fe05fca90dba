import { once } from 'node:events';
import http from 'node:http';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createGreeterRouter, type GreeterRouter } from '../test/fixtures/greeter-router.js';
import { createServiceClient } from './client.js';
import { createLogger } from './logger.js';
import { type ServedRouter, serve } from './serve.js';

const TOKEN = 'a-long-enough-token-0123';
const servers: ServedRouter[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close(100)));
});

async function start(options: Parameters<typeof serve>[1] = {}) {
  const served = await serve(createGreeterRouter(), options);
  servers.push(served);
  return served;
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with full control of the headers (fetch would set Host and Origin itself). */
function raw(
  served: ServedRouter,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: served.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const rememberBody = JSON.stringify({ json: { name: 'x' } });

describe('browser-facing defences', () => {
  it('answers loopback names, IP literals and configured hosts, and 421 to any other name', async () => {
    const served = await start({ publicHosts: ['metaspo.example.org'] });
    for (const host of [
      '127.0.0.1',
      `localhost:${served.port}`,
      '[::1]:80',
      '10.0.0.7:3000',
      'metaspo.example.org',
    ])
      expect((await raw(served, { path: '/health', headers: { host } })).status).toBe(200);
    const rebound = await raw(served, {
      path: '/trpc/greet',
      headers: { host: `attacker.example:${served.port}` },
    });
    expect(rebound.status).toBe(421);
    expect(JSON.parse(rebound.body).error).toMatch(/attacker\.example.* is not a name of this server/);
  });

  it('refuses a state-changing request from another origin and accepts one from its own', async () => {
    const served = await start();
    const host = `127.0.0.1:${served.port}`;
    const post = (origin: string) =>
      raw(served, {
        method: 'POST',
        path: '/trpc/remember',
        headers: { host, origin, 'content-type': 'application/json' },
        body: rememberBody,
      });
    const foreign = await post('http://evil.example');
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error).toMatch(/cross-origin/);
    expect((await post('null')).status).toBe(403);
    expect((await post(`http://${host}`)).status).toBe(200);
  });

  it('refuses a cross-site form post (multipart, urlencoded, text) with 415 before it runs', async () => {
    const served = await start();
    for (const contentType of [
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'text/plain',
    ]) {
      const res = await raw(served, {
        method: 'POST',
        path: '/trpc/remember',
        headers: { 'content-type': contentType },
        body: contentType.startsWith('multipart')
          ? '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--'
          : 'name=x',
      });
      expect(res.status).toBe(415);
      expect(JSON.parse(res.body).error.json).toMatchObject({
        message: 'tRPC requests take content-type application/json',
        data: { code: 'UNSUPPORTED_MEDIA_TYPE', httpStatus: 415 },
      });
    }
    const client = createServiceClient<GreeterRouter>({ url: served.url });
    // The first remembered name: none of the refused posts reached the procedure.
    expect(await client.remember.mutate({ name: 'a' })).toEqual({ count: 1 });
    expect((await client.greet.query({ name: 'get' })).text).toBe('hello get');
  });
});

describe('token mode', () => {
  it('refuses a token shorter than 16 characters at start', async () => {
    await expect(serve(createGreeterRouter(), { token: 'short-token' })).rejects.toThrow(
      /METASPO_API_TOKEN is 11 characters long; use at least 16/,
    );
  });

  it('logs the admin app in with an HttpOnly SameSite=Strict cookie that then opens /trpc', async () => {
    const served = await start({ token: TOKEN });
    const login = (token: string) =>
      raw(served, {
        method: 'POST',
        path: '/login',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
    expect((await login('not-the-token-at-all')).status).toBe(401);
    const ok = await login(TOKEN);
    expect(ok.status).toBe(204);
    const setCookie = ok.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/^metaspo_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;
    const path = `/trpc/greet?input=${encodeURIComponent(JSON.stringify({ json: { name: 'c' } }))}`;
    expect((await raw(served, { path })).status).toBe(401);
    expect((await raw(served, { path, headers: { cookie: `theme=dark; ${cookie}` } })).status).toBe(200);
    expect((await raw(served, { path, headers: { cookie: `${cookie}0` } })).status).toBe(401);
    expect((await raw(served, { path, headers: { cookie: `x${cookie}` } })).status).toBe(401);
    const logout = await raw(served, { method: 'POST', path: '/logout' });
    expect(logout.headers['set-cookie']?.[0]).toMatch(/Max-Age=0/);
  });
});

describe('failures and limits', () => {
  it('logs an internal error with an id and sends the client the same id', async () => {
    const lines: string[] = [];
    const destination = new PassThrough();
    destination.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
    const served = await start({ logger: createLogger({ destination, level: 'error' }) });
    const res = await raw(served, { path: '/trpc/explode' });
    expect(res.status).toBe(500);
    const errorId = JSON.parse(res.body).error.json.data.errorId as string;
    expect(errorId).toMatch(/^err-[0-9a-f]{12}$/);
    await new Promise((resolve) => setImmediate(resolve));
    const logged = lines.map((line) => JSON.parse(line) as { errorId?: string; msg: string });
    expect(logged).toContainEqual(expect.objectContaining({ errorId, msg: 'procedure failed' }));
    expect((await raw(served, { path: '/health' })).status).toBe(200);
  });

  it('caps the calls in one batch', async () => {
    const served = await start({ maxBatchSize: 3 });
    const batch = (n: number) =>
      raw(served, {
        path: `/trpc/${Array(n).fill('greet').join(',')}?batch=1&input=${encodeURIComponent(
          JSON.stringify(
            Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: { name: 'a' } }])),
          ),
        )}`,
      });
    expect((await batch(3)).status).toBe(200);
    const over = await batch(4);
    expect(over.status).toBe(400);
    expect(JSON.parse(over.body).error.json.message).toBe(
      'a batch of 4 calls exceeds the limit of 3 per request: split it',
    );
  });

  it('caps the open event streams of one client with 429', async () => {
    const served = await start({ maxStreamsPerClient: 2 });
    const serverSide: http.ServerResponse[] = [];
    served.server.on('request', (_req, res: http.ServerResponse) => serverSide.push(res));
    const open: http.ClientRequest[] = [];
    const stream = () =>
      new Promise<number>((resolve) => {
        const req = http.get(
          `${served.url}/trpc/ticks`,
          { headers: { accept: 'text/event-stream' } },
          (res) => {
            resolve(res.statusCode ?? 0);
            res.resume();
          },
        );
        req.on('error', () => undefined);
        open.push(req);
      });
    expect(await stream()).toBe(200);
    expect(await stream()).toBe(200);
    expect(await stream()).toBe(429);
    const firstClosed = once(serverSide[0]!, 'close');
    open[0]!.destroy();
    await firstClosed;
    expect(await stream()).toBe(200);
    for (const req of open) req.destroy();
  });
});
