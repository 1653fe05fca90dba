import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createGreeterRouter } from '../test/fixtures/greeter-router.js';
import { DEFAULT_BODY_LIMIT_BYTES, type ServedRouter, serve } from './serve.js';

const servers: ServedRouter[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close(100)));
});

async function start(bodyLimitBytes: number) {
  const served = await serve(createGreeterRouter(), { bodyLimitBytes });
  servers.push(served);
  return served;
}

/**
 * POSTs `body` in `chunkBytes` pieces with `transfer-encoding: chunked` and no content-length,
 * so only a limit counted while the body streams in can refuse it.
 */
function postChunked(served: ServedRouter, body: string, chunkBytes: number) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: served.port,
        method: 'POST',
        path: '/trpc/echo',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    // The server may answer 413 and close before the last chunk is written; that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    for (let at = 0; at < body.length; at += chunkBytes) req.write(body.slice(at, at + chunkBytes));
    req.end();
  });
}

/** POSTs `body` in one piece with its content-length, as fetch does. */
function postDeclared(served: ServedRouter, body: string) {
  return fetch(`${served.url}/trpc/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
}

const echoBody = (textLength: number) => JSON.stringify({ json: { text: 'x'.repeat(textLength) } });

describe('the request body limit while the body streams in', () => {
  it('answers 413 PAYLOAD_TOO_LARGE to a chunked 5,000-byte body under a 1,000-byte limit', async () => {
    const served = await start(1_000);
    const body = echoBody(5_000);
    expect(Buffer.byteLength(body)).toBeGreaterThan(5_000);
    const res = await postChunked(served, body, 500);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: { json: { data: { code: 'PAYLOAD_TOO_LARGE' } } } });
  });

  it('serves a chunked body under the limit', async () => {
    const served = await start(1_000);
    const res = await postChunked(served, echoBody(500), 100);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ result: { data: { json: { length: 500 } } } });
  });

  it('refuses a declared length over the limit before reading the body, naming both sizes', async () => {
    const served = await start(1_000);
    const body = echoBody(5_000);
    const res = await postDeclared(served, body);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      error: {
        json: {
          message: `request body of ${Buffer.byteLength(body)} bytes exceeds the limit of 1000 bytes`,
          data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 },
        },
      },
    });
  });

  it('serves a body of exactly the limit, declared or chunked', async () => {
    const body = echoBody(100);
    const served = await start(Buffer.byteLength(body));
    expect((await postDeclared(served, body)).status).toBe(200);
    expect((await postChunked(served, body, 40)).status).toBe(200);
    const over = await start(Buffer.byteLength(body) - 1);
    expect((await postDeclared(over, body)).status).toBe(413);
    expect((await postChunked(over, body, 40)).status).toBe(413);
  });

  it('holds a default limit of 32 MiB', async () => {
    expect(DEFAULT_BODY_LIMIT_BYTES).toBe(32 * 1024 * 1024);
    const served = await serve(createGreeterRouter());
    servers.push(served);
    // Only the header claims 32 MiB + 1: the server must refuse on it without waiting for the body.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: served.port,
          method: 'POST',
          path: '/trpc/echo',
          headers: { 'content-type': 'application/json', 'content-length': DEFAULT_BODY_LIMIT_BYTES + 1 },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNRESET') reject(error);
      });
      req.write('{');
    });
    expect(status).toBe(413);
  });
});
