import type { ProcedureType } from '@metaspo/service-kit';
import fc from 'fast-check';
import type { RawRequest } from './raw-http.js';

/** What a generated request is aimed at: a tRPC procedure or one of the other HTTP routes. */
export type FuzzTarget =
  /** `takesInput: false`: tRPC never parses the input, so broken JSON there is ignored, not refused. */
  | { kind: 'procedure'; path: string; type: ProcedureType; takesInput: boolean }
  | { kind: 'route'; path: string };

/** A request plus the refusal its malformation must get, when the generator knows one. */
export interface FuzzRequest {
  request: RawRequest;
  setHost: boolean;
  /** The exact status the server must answer with (421, 403, 415, 431), or undefined. */
  expectStatus: number | undefined;
  /** The request is malformed in a way that must never be a 2xx. */
  mustFail: boolean;
}

export const HTTP_ROUTES = [
  '/health',
  '/login',
  '/logout',
  '/',
  '/index.html',
  '/assets/app.js',
  '/runs/some-run',
  '/trpc',
  '/trpc/',
  '/trpc/no.such.procedure',
];

const FIELD_NAMES = [
  'id',
  'runId',
  'name',
  'domain',
  'taskId',
  'taskIds',
  'model',
  'messages',
  'config',
  'limit',
];

const deepNesting = fc
  .integer({ min: 100, max: 2_500 })
  .map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);

/** Values of the wrong type, the wrong shape, or hostile content; a few are plausible inputs. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    'x'.repeat(300_000),
    'a\u0000b',
    '\u{1F600}\uD800',
    '../../etc/passwd',
    'llamacpp:/etc/passwd',
  ),
  fc.dictionary(
    fc.constantFrom(...FIELD_NAMES),
    fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ unit: 'binary' })),
    {
      maxKeys: 4,
    },
  ),
  fc.constantFrom({ domain: 'procedural' }, { id: 'run-does-not-exist' }, { limit: 5 }, {}, null),
);

/** The text of `input` (GET) or of the body (POST): superjson, bare JSON, broken JSON, deep nesting. */
const inputText: fc.Arbitrary<{ text: string; brokenJson: boolean }> = fc.oneof(
  hostileValue.map((value) => ({ text: JSON.stringify({ json: value }) ?? 'null', brokenJson: false })),
  hostileValue.map((value) => ({ text: JSON.stringify(value) ?? 'null', brokenJson: false })),
  fc
    .constantFrom('{', '{"json":', 'nul', '[1,]', "{'json':1}", '{"json":1}}', '\u0000', '')
    .map((text) => ({ text, brokenJson: text !== '' })),
  deepNesting.map((nested) => ({ text: `{"json":${nested}}`, brokenJson: false })),
);

const MALFORMED_ENCODINGS = ['%E0%A4%A', '%', '%ZZ', '%C0%AF', '%00', '%FF%FE', '%u0041'];

function pathFor(target: FuzzTarget): fc.Arbitrary<string> {
  const base = target.kind === 'procedure' ? `/trpc/${target.path}` : target.path;
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(base) },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_ENCODINGS).map((bad) => `${base}${bad}`) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...MALFORMED_ENCODINGS)
        .map((bad) => `${base.slice(0, 6)}${bad}${base.slice(6)}`),
    },
    { weight: 1, arbitrary: fc.constant(`${base},${target.kind === 'procedure' ? target.path : 'x'}`) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => `${base}${encodeURIComponent(s)}`),
    },
    { weight: 1, arbitrary: fc.integer({ min: 2_000, max: 20_000 }).map((n) => `${base}${'a'.repeat(n)}`) },
  );
}

const methodFor = (target: FuzzTarget): fc.Arbitrary<string> => {
  const right = target.kind === 'procedure' && target.type === 'mutation' ? 'POST' : 'GET';
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant(right) },
    { weight: 2, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
  );
};

type HostKind = 'default' | 'localhost' | 'foreign' | 'odd' | 'missing';
const hostKind = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom<HostKind>('default', 'localhost') },
  { weight: 3, arbitrary: fc.constantFrom<HostKind>('foreign', 'odd', 'missing') },
);
type OriginKind = 'none' | 'same' | 'foreign' | 'null';
const originKind = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<OriginKind>('none', 'same') },
  { weight: 1, arbitrary: fc.constantFrom<OriginKind>('foreign', 'null') },
);
const anyContentType = fc.constantFrom<string | undefined>(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/jsonx',
  ';;;',
  undefined,
);

/** Mostly what a real client sends for the method (JSON for POST, none for GET), sometimes anything. */
const contentTypeFor = (method: string): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(method === 'POST' ? 'application/json' : undefined) },
    { weight: 2, arbitrary: anyContentType },
  );

/** Requests aimed at `target`, each with the answer the server owes it. */
export function requestsFor(target: FuzzTarget, port: number): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      path: pathFor(target),
      method: methodFor(target),
      input: inputText,
      inQuery: fc.boolean(),
      batch: fc.boolean(),
      host: hostKind,
      origin: originKind,
      oversizedHeader: fc.integer({ min: 0, max: 40 }).map((n) => n === 0),
      junkAuthorization: fc.boolean(),
    })
    .chain((g) => contentTypeFor(g.method).map((contentType) => ({ ...g, contentType })))
    .map((g): FuzzRequest => {
      const headers: Record<string, string> = {};
      const ownHost = `127.0.0.1:${port}`;
      if (g.host === 'localhost') headers.host = `localhost:${port}`;
      if (g.host === 'foreign') headers.host = `rebind.attacker.example:${port}`;
      if (g.host === 'odd') headers.host = '[::1';
      const sentHost = headers.host ?? ownHost;
      if (g.origin === 'same') headers.origin = `http://${sentHost}`;
      if (g.origin === 'foreign') headers.origin = 'https://evil.example';
      if (g.origin === 'null') headers.origin = 'null';
      if (g.contentType !== undefined) headers['content-type'] = g.contentType;
      if (g.oversizedHeader) headers['x-fuzz-padding'] = 'p'.repeat(20_000);
      if (g.junkAuthorization) headers.authorization = 'Bearer \u00ff\u00fe not a token';
      const inQuery = g.method === 'GET' || g.method === 'HEAD' || g.inQuery;
      const batched = g.batch && target.kind === 'procedure';
      const text = batched ? `{"0":${g.input.text || 'null'}}` : g.input.text;
      let path = batched ? `${g.path}?batch=1` : g.path;
      if (inQuery) path += `${path.includes('?') ? '&' : '?'}input=${encodeURIComponent(text)}`;
      const request: RawRequest = { method: g.method, path, headers, ...(inQuery ? {} : { body: text }) };

      const changesState = g.method !== 'GET' && g.method !== 'HEAD';
      const pathOnly = path.split('?')[0]!;
      const isTrpc = pathOnly === '/trpc' || pathOnly.startsWith('/trpc/');
      let expectStatus: number | undefined;
      const headerBytes =
        path.length +
        Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0);
      // Node refuses a request line plus headers over 16 KiB; close to the limit either answer is right.
      if (headerBytes > 16_800) expectStatus = 431;
      else if (headerBytes > 15_800)
        return { request, setHost: g.host !== 'missing', expectStatus, mustFail: false };
      else if (g.host === 'missing') expectStatus = 400;
      else if (g.host === 'foreign' || g.host === 'odd') expectStatus = 421;
      else if (pathOnly === '/health') expectStatus = 200;
      else if (changesState && (g.origin === 'foreign' || g.origin === 'null')) expectStatus = 403;
      else if (isTrpc && g.method !== 'GET' && g.method !== 'POST') expectStatus = 405;
      else if (
        isTrpc &&
        (g.method === 'POST' || g.contentType !== undefined) &&
        !/^application\/json(;|$)/i.test(g.contentType ?? '')
      )
        expectStatus = 415;
      const mustFail =
        (expectStatus !== undefined && expectStatus >= 400) ||
        (isTrpc && g.input.brokenJson && target.kind === 'procedure' && target.takesInput);
      return { request, setHost: g.host !== 'missing', expectStatus, mustFail };
    });
}
