import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from './config.js';

const Schema = z.object({
  server: z
    .object({ port: z.number().int().positive().default(3000), host: z.string().default('127.0.0.1') })
    .default({
      port: 3000,
      host: '127.0.0.1',
    }),
  concurrency: z.number().int().positive().default(16),
});

function tempFile(text: string) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-cfg-')), 'metaspo.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('loadConfig', () => {
  it('reads YAML and lets the environment override it', () => {
    const file = tempFile('server:\n  port: 4000\nconcurrency: 8\n');
    const config = loadConfig(Schema, {
      file,
      env: { METASPO_PORT: '5000' },
      fromEnv: (env) => (env.METASPO_PORT ? { server: { port: Number(env.METASPO_PORT) } } : {}),
    });
    expect(config).toEqual({ server: { port: 5000, host: '127.0.0.1' }, concurrency: 8 });
  });

  it('names the file and the field when a value is wrong', () => {
    const file = tempFile('server:\n  port: -1\n');
    expect(() => loadConfig(Schema, { file })).toThrow(`${file} (with environment overrides): server.port:`);
  });

  it('names the file and line of a YAML syntax error', () => {
    const file = tempFile('server:\n  port: 1\n bad: [\n');
    expect(() => loadConfig(Schema, { file })).toThrow(new RegExp(`${file}:\\d+: invalid YAML`));
  });
});
