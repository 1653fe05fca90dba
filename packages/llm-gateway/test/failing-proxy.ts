import { createServer, type IncomingMessage } from 'node:http';

/** The status the proxy answers the n-th request (1-based) of a route with; undefined: forwarded. */
export type FailWith = (route: string, n: number) => number | undefined;

/** What the proxy does to the responses it forwards, besides failing some requests. */
export interface ProxyChanges {
  /** How long it holds the n-th forwarded response of a route before sending it on. */
  holdFor?: (route: string, n: number) => number;
  /** The body it sends on for a forwarded response of a route (default: the simulator's). */
  rewrite?: (route: string, body: Buffer) => Buffer;
}

export interface FailingProxy {
  url: string;
  /** Requests seen per route (`GET /v1/batches/batch_sim0`), failed ones included. */
  seen: Map<string, number>;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/**
 * A loopback HTTP proxy in front of a simulator that fails the requests `failWith` picks with
 * the status it gives and forwards every other one, changed as `changes` says.
 */
export async function startFailingProxy(
  targetUrl: string,
  failWith: FailWith,
  { holdFor = () => 0, rewrite = (_route, body) => body }: ProxyChanges = {},
): Promise<FailingProxy> {
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '/';
      const route = `${req.method} ${path.split('?')[0]}`;
      const n = (seen.get(route) ?? 0) + 1;
      seen.set(route, n);
      const body = await readBody(req);
      const status = failWith(route, n);
      if (status !== undefined) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `failed by the test proxy (${status})` } }));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
      }
      const method = req.method ?? 'GET';
      const forwarded = await fetch(`${targetUrl}${path}`, {
        method,
        headers,
        ...(method === 'GET' ? {} : { body }),
      });
      const answer = rewrite(route, Buffer.from(await forwarded.arrayBuffer()));
      const holdMs = holdFor(route, n);
      if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
      res.writeHead(forwarded.status, {
        'content-type': forwarded.headers.get('content-type') ?? 'application/json',
      });
      res.end(answer);
    })().catch((error: unknown) => {
      res.writeHead(502);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    seen,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
