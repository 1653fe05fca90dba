import type http from 'node:http';
import { isJsonContentType, type TokenGuard } from './http-guards.js';
import { sendJson } from './http-responses.js';

const LOGIN_BODY_LIMIT_BYTES = 4_096;

/** The body as text, or `undefined` past `limit` bytes or when the client went away. */
function readSmallBody(req: http.IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', () => resolve(undefined));
  });
}

export /** `POST /login {token}` sets the admin app's HttpOnly session cookie; `POST /logout` clears it. */
async function handleSession(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  guard: TokenGuard | undefined,
) {
  if (!guard) {
    sendJson(res, 404, { error: 'this server has no token set: there is nothing to log in to' });
    return;
  }
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: `${path} takes POST` }, { allow: 'POST' });
    return;
  }
  if (path === '/logout') {
    res.writeHead(204, { 'set-cookie': guard.clearedCookie(), 'cache-control': 'no-store' }).end();
    return;
  }
  if (!isJsonContentType(req.headers['content-type'])) {
    sendJson(res, 415, { error: '/login takes content-type application/json: {"token": "..."}' });
    return;
  }
  const body = await readSmallBody(req, LOGIN_BODY_LIMIT_BYTES);
  if (body === undefined) {
    sendJson(res, 413, { error: `/login takes a body of at most ${LOGIN_BODY_LIMIT_BYTES} bytes` });
    return;
  }
  let token: unknown;
  try {
    token = (JSON.parse(body) as { token?: unknown } | null)?.token;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string') {
    sendJson(res, 400, { error: '/login takes a JSON body {"token": "<METASPO_API_TOKEN>"}' });
    return;
  }
  if (!guard.acceptsToken(token)) {
    sendJson(res, 401, { error: 'wrong token' });
    return;
  }
  const secure = req.headers['x-forwarded-proto'] === 'https';
  res.writeHead(204, { 'set-cookie': guard.sessionCookie(secure), 'cache-control': 'no-store' }).end();
}
