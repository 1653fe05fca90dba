import { createHmac } from 'node:crypto';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createGreeterRouter } from '../test/fixtures/greeter-router.js';
import { createTokenGuard, SESSION_COOKIE } from './http-guards.js';
import { type ServedRouter, serve } from './serve.js';

const TOKEN = 'the-login-token-0123456789';
const LOGIN_BODY_LIMIT_BYTES = 4_096;

const servers: ServedRouter[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close(100)));
});

async function start(token: string | null = TOKEN) {
  const served = await serve(createGreeterRouter(), token ? { token } : {});
  servers.push(served);
  return served;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: unknown;
}

function post(
  served: ServedRouter,
  path: string,
  body: string | undefined,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  method = 'POST',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: served.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : null }),
      );
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    req.end(body);
  });
}

const login = (served: ServedRouter, body: unknown, headers?: Record<string, string>) =>
  post(served, '/login', JSON.stringify(body), headers);

describe('POST /login', () => {
  it('sets the session cookie (an HMAC of the token), never cached, and Secure behind https', async () => {
    const served = await start();
    const session = createHmac('sha256', TOKEN).update('metaspo admin session v1').digest('hex');
    const plain = await login(served, { token: TOKEN });
    expect(plain.status).toBe(204);
    expect(plain.headers['cache-control']).toBe('no-store');
    expect(plain.headers['set-cookie']).toEqual([
      `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
    ]);
    const proxied = await login(
      served,
      { token: TOKEN },
      { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
    );
    expect(proxied.headers['set-cookie']).toEqual([
      `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/; Secure`,
    ]);
    expect(createTokenGuard(TOKEN).sessionCookie(false)).toBe(plain.headers['set-cookie']?.[0]);
  });

  it('answers a wrong token with 401 and no cookie', async () => {
    const served = await start();
    const wrong = await login(served, { token: `${TOKEN}x` });
    expect(wrong).toMatchObject({ status: 401, json: { error: 'wrong token' } });
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('answers a body without a string token with 400', async () => {
    const served = await start();
    const expected = {
      status: 400,
      json: { error: '/login takes a JSON body {"token": "<METASPO_API_TOKEN>"}' },
    };
    expect(await login(served, { token: 42 })).toMatchObject(expected);
    expect(await login(served, null)).toMatchObject(expected);
    expect(await post(served, '/login', '{"token": ')).toMatchObject(expected);
  });

  it('takes a body of 4,096 bytes and refuses one byte more with 413', async () => {
    const served = await start();
    const padded = (bytes: number) => {
      const bare = JSON.stringify({ token: TOKEN, pad: '' });
      return JSON.stringify({ token: TOKEN, pad: 'x'.repeat(bytes - bare.length) });
    };
    expect(Buffer.byteLength(padded(LOGIN_BODY_LIMIT_BYTES))).toBe(LOGIN_BODY_LIMIT_BYTES);
    expect((await post(served, '/login', padded(LOGIN_BODY_LIMIT_BYTES))).status).toBe(204);
    expect(await post(served, '/login', padded(LOGIN_BODY_LIMIT_BYTES + 1))).toMatchObject({
      status: 413,
      json: { error: '/login takes a body of at most 4096 bytes' },
    });
    // Many small chunks add up: the limit counts the whole body, not each chunk.
    expect(
      (
        await post(served, '/login', padded(3 * LOGIN_BODY_LIMIT_BYTES), {
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
        })
      ).status,
    ).toBe(413);
  });

  it('takes only POST with a JSON content type', async () => {
    const served = await start();
    expect(await post(served, '/login', undefined, {}, 'GET')).toMatchObject({
      status: 405,
      headers: { allow: 'POST' },
      json: { error: '/login takes POST' },
    });
    expect(await post(served, '/login', `token=${TOKEN}`, { 'content-type': 'text/plain' })).toMatchObject({
      status: 415,
      json: { error: '/login takes content-type application/json: {"token": "..."}' },
    });
  });

  it('answers 404 on a server without a token', async () => {
    const served = await start(null);
    expect(await login(served, { token: TOKEN })).toMatchObject({
      status: 404,
      json: { error: 'this server has no token set: there is nothing to log in to' },
    });
  });
});

describe('POST /logout', () => {
  it('clears the cookie, never cached', async () => {
    const served = await start();
    const out = await post(served, '/logout', undefined, {});
    expect(out.status).toBe(204);
    expect(out.headers['cache-control']).toBe('no-store');
    expect(out.headers['set-cookie']).toEqual([
      `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`,
    ]);
  });
});
