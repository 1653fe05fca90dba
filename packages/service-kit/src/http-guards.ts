import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** Tokens shorter than this are refused at start: they can be guessed over a LAN. */
export const MIN_TOKEN_LENGTH = 16;
export const SESSION_COOKIE = 'metaspo_session';

const LOOPBACK_NAME = /^(localhost|[a-z0-9-]+\.localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;

/** The host name of a `Host` header, lower-cased and without the port. */
function hostNameOf(hostHeader: string): string {
  const lower = hostHeader.toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    return end === -1 ? lower : lower.slice(0, end + 1);
  }
  const colon = lower.indexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}

/**
 * Which `Host` headers this server answers. A DNS-rebinding page reaches 127.0.0.1 under its own
 * domain name, so names are the danger: loopback names and the configured public names pass.
 * An IP literal cannot be rebound (the browser sends the literal it connected to), so every IP
 * literal passes too; that keeps `http://192.168.1.5:3000` working on a LAN deployment.
 */
export function compileHostAllowList(
  publicHosts: readonly string[],
): (hostHeader: string | undefined) => boolean {
  const names = new Set(publicHosts.map((name) => hostNameOf(name.trim())).filter(Boolean));
  return (hostHeader) => {
    // Browsers always send Host; a request without it did not come from a web page.
    if (hostHeader === undefined) return true;
    const name = hostNameOf(hostHeader);
    if (names.has(name) || LOOPBACK_NAME.test(name)) return true;
    if (name.startsWith('[')) return name.endsWith(']') && isIP(name.slice(1, -1)) === 6;
    return isIP(name) === 4;
  };
}

/**
 * A state-changing request from a web page carries the page's Origin; it must be this server's
 * own (scheme + the Host it was sent to). No Origin means a non-browser client (CLI, curl).
 */
export function isSameOriginOrAbsent(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  if (hostHeader === undefined) return false;
  const lowerOrigin = origin.toLowerCase();
  const lowerHost = hostHeader.toLowerCase();
  return lowerOrigin === `http://${lowerHost}` || lowerOrigin === `https://${lowerHost}`;
}

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === 'application/json';
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares digests, so neither the content nor the length of the secret leaks through timing. */
function constantTimeEquals(expectedDigest: Buffer, candidate: string): boolean {
  return timingSafeEqual(expectedDigest, digest(candidate));
}

export interface TokenGuard {
  /** A bearer header or the admin app's session cookie that matches. */
  accepts(authorization: string | undefined, cookie: string | undefined): boolean;
  acceptsToken(candidate: string): boolean;
  /** The `Set-Cookie` value a successful `/login` sends. */
  sessionCookie(secure: boolean): string;
  clearedCookie(): string;
}

/**
 * The session cookie holds an HMAC of the token, not the token: it is worthless to other
 * services of a split deployment that share the token, and it changes when the token does.
 */
export function createTokenGuard(token: string): TokenGuard {
  const bearerDigest = digest(`Bearer ${token}`);
  const tokenDigest = digest(token);
  const session = createHmac('sha256', token).update('metaspo admin session v1').digest('hex');
  const sessionDigest = digest(session);
  const cookiePrefix = `${SESSION_COOKIE}=`;
  const sessionOf = (cookie: string): string | undefined => {
    const start = cookie.indexOf(cookiePrefix);
    if (start === -1 || (start > 0 && cookie[start - 1] !== ' ' && cookie[start - 1] !== ';'))
      return undefined;
    const end = cookie.indexOf(';', start);
    return cookie.slice(start + cookiePrefix.length, end === -1 ? undefined : end);
  };
  return {
    accepts(authorization, cookie) {
      if (authorization !== undefined) return constantTimeEquals(bearerDigest, authorization);
      const candidate = cookie === undefined ? undefined : sessionOf(cookie);
      return candidate !== undefined && constantTimeEquals(sessionDigest, candidate);
    },
    acceptsToken: (candidate) => constantTimeEquals(tokenDigest, candidate),
    sessionCookie: (secure) =>
      `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`,
    clearedCookie: () => `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`,
  };
}

export function checkTokenStrength(token: string): void {
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new Error(
      `METASPO_API_TOKEN is ${token.length} characters long; use at least ${MIN_TOKEN_LENGTH} (for example the output of \`openssl rand -hex 24\`)`,
    );
  }
}
