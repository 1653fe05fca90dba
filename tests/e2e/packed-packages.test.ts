import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../support/cli-process.js';

const LIBRARIES = [
  'schemas',
  'service-kit',
  'simulator',
  'llm-gateway',
  'datasets',
  'evaluator',
  'optimizer',
];

/** Scores a prompt with the simulator using only the public exports of the installed tarballs. */
const CONSUMER_SCRIPT = `
import { createDatasetsRouter, createDatasetsService } from '@metaspo/datasets';
import { createEvaluatorRouter, createEvaluatorService } from '@metaspo/evaluator';
import { createLlmGatewayService, createLlmRouter } from '@metaspo/llm-gateway';
import { createServiceClient } from '@metaspo/service-kit';
import { AnswerKeys, createAnswerKey, createSimProviderFactory } from '@metaspo/simulator';

const datasets = createDatasetsService({ databaseFile: ':memory:' });
const taskId = datasets.getDomainSplit('procedural').test[0];
const spec = datasets.getTask(taskId);
const answerKeys = new AnswerKeys(createAnswerKey(datasets.answerKey([taskId])));
const llm = createLlmGatewayService({ databaseFile: ':memory:', providers: [createSimProviderFactory({ answerKeys })] });
const evaluator = createEvaluatorService({
  databaseFile: ':memory:',
  llm: createServiceClient({ router: createLlmRouter(llm) }),
  datasets: createServiceClient({ router: createDatasetsRouter(datasets) }),
});
const client = createServiceClient({ router: createEvaluatorRouter(evaluator) });
const result = await client.evaluate.mutate({
  systemPrompt: 'You are a helpful assistant. Work step by step and check your answer.',
  userPrompt: spec.initialUserPrompt,
  taskId,
  split: 'test',
  n: 20,
  seed: 7,
  model: 'sim:default',
});
console.log(JSON.stringify({ taskId, score: result.score, n: result.n, correct: result.correct }));
await evaluator.close();
await llm.close();
datasets.close();
`;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
}

describe('library packages consumed one by one', () => {
  it('packs every library, installs the tarballs outside the workspace and scores a prompt with them', () => {
    run('pnpm', ['--filter', './packages/*', 'run', 'build'], REPO_ROOT);
    const dir = tempDir('packed');
    const tarballs = path.join(dir, 'tarballs');
    fs.mkdirSync(tarballs);
    const tarballOf: Record<string, string> = {};
    for (const name of LIBRARIES) {
      run('pnpm', ['pack', '--pack-destination', tarballs], path.join(REPO_ROOT, 'packages', name));
      const file = fs.readdirSync(tarballs).find((f) => f.startsWith(`metaspo-${name}-`))!;
      tarballOf[`@metaspo/${name}`] = `file:${path.join(tarballs, file)}`;
    }
    const listing = run('tar', ['-tzf', tarballOf['@metaspo/llm-gateway']!.slice(5)], dir);
    expect(listing).toContain('package/dist/index.js');
    expect(listing).toContain('package/dist/index.d.ts');
    expect(listing).toContain('package/drizzle/');
    expect(listing).not.toContain('package/src/');

    const project = path.join(dir, 'consumer');
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({
        name: 'metaspo-consumer',
        private: true,
        type: 'module',
        dependencies: Object.fromEntries(
          [
            '@metaspo/llm-gateway',
            '@metaspo/evaluator',
            '@metaspo/datasets',
            '@metaspo/service-kit',
            '@metaspo/simulator',
          ].map((n) => [n, tarballOf[n]]),
        ),
        pnpm: { overrides: tarballOf, onlyBuiltDependencies: ['better-sqlite3'] },
      }),
    );
    fs.writeFileSync(path.join(project, 'score.mjs'), CONSUMER_SCRIPT);
    run('pnpm', ['install', '--ignore-workspace', '--prefer-offline', '--reporter', 'silent'], project);
    // Only @metaspo/provider-llamacpp brings node-llama-cpp; none of these libraries does.
    const installed = fs.readdirSync(path.join(project, 'node_modules', '.pnpm'));
    expect(installed.filter((name) => name.includes('node-llama-cpp'))).toEqual([]);
    const output = JSON.parse(run(process.execPath, ['score.mjs'], project).trim().split('\n').at(-1)!) as {
      score: number;
      n: number;
      correct: number;
    };
    expect(output.n).toBe(20);
    expect(output.correct).toBeGreaterThan(0);
    expect(output.score).toBeCloseTo(output.correct / 20, 10);
  });
});
