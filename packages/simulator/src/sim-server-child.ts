/*
 * Child-process entry of startSimServerProcess (sim-server-process.ts): reads its options from
 * the JSON file named by its argument, prints `{"url": ...}` and serves until its stdin closes.
 */
import fs from 'node:fs';
import { AnswerKeyEntrySchema } from '@metaspo/schemas';
import { z } from 'zod';
import { createAnswerKey } from './answer-key.js';
import { startSimServer } from './server/sim-server.js';

const OptionsSchema = z.object({
  latencyMs: z.number().optional(),
  jitterMs: z.number().optional(),
  answers: z.array(AnswerKeyEntrySchema).optional(),
  malformedRate: z.number().optional(),
});

const optionsFile = process.argv[2];
if (!optionsFile) throw new Error('usage: sim-server-child <options.json>');
const options = OptionsSchema.parse(JSON.parse(fs.readFileSync(optionsFile, 'utf8')));
const server = await startSimServer({
  latencyMs: options.latencyMs ?? 0,
  jitterMs: options.jitterMs ?? 0,
  answerKey: createAnswerKey(options.answers ?? []),
  malformedRate: options.malformedRate,
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.stdin.on('end', () => {
  void server.close().then(() => process.exit(0));
});
process.stdin.resume();
