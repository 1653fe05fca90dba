import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { type RunningServer, startServer } from '@metaspo/server';
import { createLogger, listProcedures } from '@metaspo/service-kit';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli-process.js';
import { type FuzzRequest, type FuzzTarget, HTTP_ROUTES, requestsFor } from '../support/fuzz-requests.js';
import { type RawResponse, rawRequest } from '../support/raw-http.js';

/** Fixed so a failure reproduces; fast-check prints the seed and path of a failing case too. */
const SEED = 16_2026;
const MIN_REQUESTS = 3_000;

interface Figures {
  requests: number;
  targets: Set<string>;
  statuses: Map<number, number>;
}

function errorIdsIn(body: string): string[] {
  return [...body.matchAll(/"errorId":"(err-[0-9a-f]+)"/g)].map((match) => match[1]!);
}

/** What every answer owes: the expected refusal, a JSON error for a 4xx, an error id for a 5xx. */
function checkAnswer(generated: FuzzRequest, res: RawResponse, loggedIds: Set<string>): void {
  const what = `${generated.request.method} ${generated.request.path.slice(0, 160)}`;
  if (generated.expectStatus !== undefined) expect(res.status, what).toBe(generated.expectStatus);
  if (res.stream) {
    // A subscription answers 200 and sends a refused input as its first event (tRPC over SSE).
    if (generated.mustFail)
      expect(res.body, what).toMatch(/event: serialized-error\ndata: .*"httpStatus":4\d\d/);
    for (const id of errorIdsIn(res.body))
      expect(loggedIds.has(id), `${what}: error id ${id} was not logged`).toBe(true);
    return;
  }
  if (generated.mustFail) expect(res.status, what).toBeGreaterThanOrEqual(400);
  expect(res.aborted, `${what} was cut`).toBe(false);
  if (res.status >= 500) {
    const ids = errorIdsIn(res.body);
    expect(
      ids.length,
      `${what}: a ${res.status} without an error id: ${res.body.slice(0, 300)}`,
    ).toBeGreaterThan(0);
    for (const id of ids) expect(loggedIds.has(id), `${what}: error id ${id} was not logged`).toBe(true);
  } else if (res.status >= 400 && generated.request.method !== 'HEAD') {
    expect(res.headers['content-type'], what).toMatch(/^application\/json/);
    expect(res.body, what).toContain('"error"');
    expect(() => JSON.parse(res.body), what).not.toThrow();
  } else {
    expect(res.status, what).toBeGreaterThanOrEqual(200);
  }
}

describe('the server under 2,000+ generated hostile requests', () => {
  const dir = tempDir('fuzz');
  const dataDir = path.join(dir, 'data');
  const adminDir = path.join(dir, 'admin');
  const logLines: string[] = [];
  let server: RunningServer;

  beforeAll(async () => {
    fs.mkdirSync(path.join(adminDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(adminDir, 'index.html'), '<!doctype html><title>admin</title>');
    fs.writeFileSync(path.join(adminDir, 'assets', 'app.js'), 'console.log(1)');
    const destination = new PassThrough();
    destination.on('data', (chunk: Buffer) =>
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
    );
    server = await startServer({
      dataDir,
      port: 0,
      adminDir,
      env: {},
      sharedDatasetsDir: path.join(dir, 'no-shared-datasets'),
      logger: createLogger({ destination, level: 'warn' }),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers each with a 4xx JSON error or a 2xx, stays up, and leaves every SQLite file intact', async () => {
    const definitions: Record<string, { _def: { inputs: unknown[] } }> =
      server.platform.router._def.procedures;
    const procedures = [...listProcedures(server.platform.router)].map(
      ([procedurePath, type]): FuzzTarget => ({
        kind: 'procedure',
        path: procedurePath,
        type,
        takesInput: (definitions[procedurePath]?._def.inputs.length ?? 0) > 0,
      }),
    );
    const targets: FuzzTarget[] = [
      ...procedures,
      ...HTTP_ROUTES.map((route): FuzzTarget => ({ kind: 'route', path: route })),
    ];
    const runsPerTarget = Math.ceil(MIN_REQUESTS / targets.length);
    const figures: Figures = { requests: 0, targets: new Set(), statuses: new Map() };
    const loggedIds = () =>
      new Set(logLines.flatMap((line) => errorIdsIn(line.replace(/"errorId":\s*"/g, '"errorId":"'))));

    for (const [index, target] of targets.entries()) {
      await fc.assert(
        fc.asyncProperty(requestsFor(target, server.port), async (generated) => {
          const res = await rawRequest(server.port, generated.request, generated.setHost);
          figures.requests += 1;
          figures.targets.add(`${target.kind}:${target.path}`);
          figures.statuses.set(res.status, (figures.statuses.get(res.status) ?? 0) + 1);
          // Logging is asynchronous: let the line of a 5xx reach the captured stream.
          if (res.status >= 500) await new Promise((resolve) => setImmediate(resolve));
          checkAnswer(generated, res, loggedIds());
        }),
        { seed: SEED + index, numRuns: runsPerTarget, endOnFailure: true },
      );
    }

    const health = await rawRequest(server.port, { path: '/health' });
    expect(health.status).toBe(200);
    expect(figures.requests).toBeGreaterThanOrEqual(2_000);
    expect(figures.targets.size).toBe(targets.length);
    const statuses = Object.fromEntries([...figures.statuses].sort(([a], [b]) => a - b));
    process.stdout.write(
      `fuzz: ${figures.requests} requests, ${procedures.length} procedures and ${HTTP_ROUTES.length} routes hit, statuses ${JSON.stringify(statuses)}\n`,
    );

    await server.close();
    const files = fs.readdirSync(dataDir).filter((name) => name.endsWith('.sqlite'));
    expect(files.sort()).toEqual(['datasets.sqlite', 'evaluator.sqlite', 'llm.sqlite', 'optimizer.sqlite']);
    for (const file of files) {
      const db = new Database(path.join(dataDir, file), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true }), file).toBe('ok');
      db.close();
    }
  });
});
