import { createAnswerKey, startSimServer } from '@metaspo/simulator';

/*
 * Child-process entry of the gateway bench: the simulator server it calls, on its own core so
 * the gateway's event loop is all that the main process measures. Started by bench-server.ts
 * with the latency as its argument; reports its URL over IPC and exits when the parent goes.
 */
const latencyMs = Number(process.argv[2] ?? 0);
const server = await startSimServer({ port: 0, latencyMs, jitterMs: 0, answerKey: createAnswerKey([]) });
process.send?.({ url: server.url });
process.on('disconnect', () => {
  void server.close().then(() => process.exit(0));
});
