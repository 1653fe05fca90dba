import { afterEach, describe, expect, it } from 'vitest';
import { createGreeterRouter } from '../test/fixtures/greeter-router.js';
import { checkTokenStrength, createTokenGuard, MIN_TOKEN_LENGTH, SESSION_COOKIE } from './http-guards.js';
import { type ServedRouter, serve } from './serve.js';

const TOKEN = 'a-long-enough-token-0123';

/** The session value a login sets, read back from the guard's own Set-Cookie. */
function sessionValue(guard: ReturnType<typeof createTokenGuard>): string {
  const cookie = guard.sessionCookie(false);
  return cookie.slice(`${SESSION_COOKIE}=`.length, cookie.indexOf(';'));
}

describe('the token guard', () => {
  const guard = createTokenGuard(TOKEN);
  const session = sessionValue(guard);

  it('accepts exactly "Bearer <token>" and the token itself at /login', () => {
    expect(guard.accepts(`Bearer ${TOKEN}`, undefined)).toBe(true);
    expect(guard.accepts(`Bearer ${TOKEN}x`, undefined)).toBe(false);
    expect(guard.accepts(TOKEN, undefined)).toBe(false);
    expect(guard.accepts(undefined, undefined)).toBe(false);
    expect(guard.acceptsToken(TOKEN)).toBe(true);
    expect(guard.acceptsToken(`${TOKEN} `)).toBe(false);
  });

  it('a bearer header decides alone: a valid cookie does not rescue a wrong header', () => {
    expect(guard.accepts('Bearer wrong', `${SESSION_COOKIE}=${session}`)).toBe(false);
  });

  it('finds the session cookie at the start, after "; " or ";", and before other cookies', () => {
    for (const cookie of [
      `${SESSION_COOKIE}=${session}`,
      `theme=dark; ${SESSION_COOKIE}=${session}`,
      `theme=dark;${SESSION_COOKIE}=${session}`,
      `${SESSION_COOKIE}=${session}; theme=dark`,
    ])
      expect({ cookie, accepted: guard.accepts(undefined, cookie) }).toEqual({ cookie, accepted: true });
  });

  it('refuses a cookie whose name only ends with the session name, or whose value differs', () => {
    for (const cookie of [
      `x${SESSION_COOKIE}=${session}`,
      `theme=dark; old_${SESSION_COOKIE}=${session}`,
      `${SESSION_COOKIE}=${session}0`,
      `${SESSION_COOKIE}=`,
      'theme=dark',
      // No session cookie at all, only junk the length of the name followed by the value.
      `${'x'.repeat(SESSION_COOKIE.length)}${session}`,
    ])
      expect({ cookie, accepted: guard.accepts(undefined, cookie) }).toEqual({ cookie, accepted: false });
  });

  it('holds an HMAC of the token in the cookie, not the token, and another token gets another', () => {
    expect(session).toMatch(/^[0-9a-f]{64}$/);
    expect(session).not.toContain(TOKEN);
    expect(sessionValue(createTokenGuard(`${TOKEN}-rotated`))).not.toBe(session);
    expect(createTokenGuard(`${TOKEN}-rotated`).accepts(undefined, `${SESSION_COOKIE}=${session}`)).toBe(
      false,
    );
  });

  it('marks the cookie Secure only behind https, and clears it with Max-Age=0', () => {
    expect(guard.sessionCookie(true)).toBe(
      `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/; Secure`,
    );
    expect(guard.sessionCookie(false)).toBe(
      `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
    );
    expect(guard.clearedCookie()).toBe(`${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
  });
});

describe('token strength', () => {
  it(`takes ${MIN_TOKEN_LENGTH} characters and refuses ${MIN_TOKEN_LENGTH - 1}, naming both lengths`, () => {
    expect(() => checkTokenStrength('x'.repeat(MIN_TOKEN_LENGTH))).not.toThrow();
    expect(() => checkTokenStrength('x'.repeat(MIN_TOKEN_LENGTH - 1))).toThrow(
      `METASPO_API_TOKEN is ${MIN_TOKEN_LENGTH - 1} characters long; use at least ${MIN_TOKEN_LENGTH}`,
    );
  });
});

describe('a served router with a token', () => {
  const servers: ServedRouter[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close(100)));
  });

  it('answers a missing or wrong bearer with 401 UNAUTHORIZED, a WWW-Authenticate challenge and how to log in', async () => {
    const served = await serve(createGreeterRouter(), { token: TOKEN });
    servers.push(served);
    const url = `${served.url}/trpc/greet?input=${encodeURIComponent(JSON.stringify({ json: { name: 'a' } }))}`;
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token-0123456789' }];
    for (const headers of attempts) {
      const res = await fetch(url, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toMatchObject({
        error: {
          json: {
            message: 'unauthorized: send "Authorization: Bearer <token>" or log in at /login',
            data: { code: 'UNAUTHORIZED', httpStatus: 401 },
          },
        },
      });
    }
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('refuses to start with a token shorter than the minimum', async () => {
    await expect(serve(createGreeterRouter(), { token: 'short' })).rejects.toThrow(
      'METASPO_API_TOKEN is 5 characters long',
    );
  });
});
