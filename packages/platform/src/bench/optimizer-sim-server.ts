/**
 * The simulator's HTTP server in a process of its own for `metaspo bench optimizer`, as
 * `metaspo sim serve` would run: the client side is measured without sharing its CPU.
 * Usage: bench-sim-server <latencyMs>. Prints `{"url": ...}` and serves until stdin closes.
 */
import { createDatasetsService } from '@metaspo/datasets';
import { createAnswerKey, startSimServer } from '@metaspo/simulator';

const latencyMs = Number(process.argv[2] ?? 50);
const datasets = createDatasetsService({ databaseFile: ':memory:' });
const split = datasets.getDomainSplit('procedural');
const answerKey = createAnswerKey(datasets.answerKey([...split.train, ...split.test]));
datasets.close();
const sim = await startSimServer({ answerKey, latencyMs });
process.stdout.write(`${JSON.stringify({ url: sim.url })}\n`);
process.stdin.on('end', () => {
  sim.close().then(() => process.exit(0));
});
process.stdin.resume();
