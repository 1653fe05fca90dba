import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { formatLogLine } from './logger-text.js';

function collector() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, lines };
}

describe('createLogger formats', () => {
  it('writes a readable line in text format, secrets redacted', () => {
    const { stream, lines } = collector();
    const logger = createLogger({ name: 'llm-gateway', destination: stream, format: 'text' });
    logger.warn({ runId: 'run_1', note: 'two words' }, 'retrying with key sk-abcdefghijklmnopqrstuvwx');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d WARN llm-gateway: retrying with key \S+ runId=run_1 note="two words"\n$/,
    );
    expect(lines[0]).not.toContain('sk-abcdefghijklmnopqrstuvwx');
  });

  it('writes one JSON object a line in json format', () => {
    const { stream, lines } = collector();
    createLogger({ name: 'metaspo-server', destination: stream, format: 'json' }).info({ port: 3 }, 'up');
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({ name: 'metaspo-server', msg: 'up', port: 3, level: 30 });
  });

  it('passes a line that is not pino JSON through unchanged', () => {
    expect(formatLogLine('plain text', false)).toBe('plain text');
  });
});
