import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { REDACTED, redactSecrets, redactValue } from './redact.js';

describe('redactSecrets', () => {
  it('masks key-shaped strings, bearer tokens and the values of key variables', () => {
    const env = { OPENAI_API_KEY: 'plain-looking-value-42' };
    const text =
      'key sk-abcdefghijklmnop1234 auth Bearer abc.def.ghi and plain-looking-value-42 api_key=zzzz9999';
    const out = redactSecrets(text, env);
    expect(out).not.toContain('sk-abcdefghijklmnop1234');
    expect(out).not.toContain('abc.def.ghi');
    expect(out).not.toContain('plain-looking-value-42');
    expect(out).not.toContain('zzzz9999');
    expect(out).toContain(`Bearer ${REDACTED}`);
    expect(out).toContain(`api_key=${REDACTED}`);
  });

  it('leaves ordinary prose alone', () => {
    expect(redactSecrets('Think step by step about the question.', {})).toBe(
      'Think step by step about the question.',
    );
  });

  it('masks secret-named fields in nested values', () => {
    expect(
      redactValue({ provider: 'openai', headers: { Authorization: 'Bearer x' }, apiKey: 'k' }, {}),
    ).toEqual({
      provider: 'openai',
      headers: { Authorization: REDACTED },
      apiKey: REDACTED,
    });
  });
});

describe('createLogger', () => {
  it('never writes a key to the log', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ destination, level: 'info' });
    logger.info(
      { apiKey: 'sk-secretsecretsecret', url: 'http://127.0.0.1' },
      'calling with sk-secretsecretsecret',
    );
    const out = lines.join('');
    expect(out).toContain('http://127.0.0.1');
    expect(out).not.toContain('sk-secretsecretsecret');
  });
});
