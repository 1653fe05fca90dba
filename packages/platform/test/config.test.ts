import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlatformConfig, publicHostsOf } from '../src/config.js';

function configFile(yaml: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-config-')), 'metaspo.yaml');
  fs.writeFileSync(file, yaml);
  return file;
}

describe('platform config', () => {
  it('rejects an inline apiKey of a provider, naming the environment variable to use', () => {
    const file = configFile('llm:\n  providers:\n    openai:\n      apiKey: sk-live-123\n');
    expect(() => loadPlatformConfig(file, {})).toThrow(
      `${file} (with environment overrides): llm.providers.openai.apiKey: API keys are not read from the config file; set OPENAI_API_KEY in the environment instead`,
    );
  });

  it('rejects an inline apiKey of a named endpoint, pointing at apiKeyEnv', () => {
    const file = configFile(
      'llm:\n  endpoints:\n    my-vllm:\n      baseUrl: http://127.0.0.1:8000/v1\n      api_key: x\n',
    );
    expect(() => loadPlatformConfig(file, {})).toThrow(
      /llm\.endpoints\.my-vllm\.api_key: .*name it here with apiKeyEnv \(e\.g\. apiKeyEnv: MY_VLLM_API_KEY\)/,
    );
  });

  it('refuses a base URL that holds credentials', () => {
    const file = configFile(
      'llm:\n  endpoints:\n    lab:\n      baseUrl: https://user:secret@llm.lab.example/v1\n',
    );
    const load = () => loadPlatformConfig(file, {});
    expect(load).toThrow(/llm\.endpoints\.lab\.baseUrl: a base URL must not hold credentials/);
    expect(load).not.toThrow(/secret/);
  });

  it('refuses replica URLs that hold credentials, as plain items and as url fields', () => {
    const file = configFile(
      'llm:\n  endpoints:\n    pool:\n      replicas:\n        - http://127.0.0.1:8001/v1\n        - https://user:secret@gpu2.lab.example/v1\n        - url: https://admin:hunter2@gpu3.lab.example/v1\n          concurrency: 8\n',
    );
    const load = () => loadPlatformConfig(file, {});
    expect(load).toThrow(/llm\.endpoints\.pool\.replicas\.1: a base URL must not hold credentials/);
    expect(load).toThrow(/llm\.endpoints\.pool\.replicas\.2\.url: a base URL must not hold credentials/);
    expect(load).not.toThrow(/secret|hunter2/);
  });

  it('refuses a base URL with credentials from the environment, naming the variable, not the value', () => {
    const env = {
      OPENAI_BASE_URL: 'https://user:s3cret-pass@llm.lab.example/v1',
      OLLAMA_BASE_URL: 'http://127.0.0.1:11434/v1',
      ANTHROPIC_BASE_URL: 'https://:tok3n@proxy.example',
    };
    const load = () => loadPlatformConfig(undefined, env);
    expect(load).toThrow(
      'environment: a base URL must not hold credentials (user:password@): ANTHROPIC_BASE_URL (give the key through ANTHROPIC_API_KEY instead), OPENAI_BASE_URL (give the key through OPENAI_API_KEY instead)',
    );
    expect(load).not.toThrow(/s3cret|tok3n|lab\.example/);
    expect(() =>
      loadPlatformConfig(undefined, {
        OPENAI_BASE_URL: 'http://127.0.0.1:8089/v1',
        OTHER_BASE_URL: 'not a url',
      }),
    ).not.toThrow();
  });

  it('takes public host names from the config and METASPO_PUBLIC_HOSTS', () => {
    const file = configFile('server:\n  publicHosts: [metaspo.lab.example]\n');
    const config = loadPlatformConfig(file, {});
    expect(publicHostsOf(config, { METASPO_PUBLIC_HOSTS: ' a.example , b.example' })).toEqual([
      'metaspo.lab.example',
      'a.example',
      'b.example',
    ]);
  });
});
