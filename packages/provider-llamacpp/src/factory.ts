import fs from 'node:fs';
import path from 'node:path';
import type { GatewayConfig, ProviderCheckResult, ProviderFactory } from '@metaspo/schemas';
import { createLlamaCppProvider } from './llamacpp.js';
import { locateLlamaCppModel } from './llamacpp-models.js';

/** llama.cpp loads files in this process: ready when at least one configured model file exists. */
function modelFilesCheck(config: GatewayConfig): ProviderCheckResult {
  const { models, modelsDir } = config.llamacpp;
  const named = Object.entries(models).filter(([, file]) => fs.existsSync(path.resolve(file)));
  const inDir =
    modelsDir !== undefined && fs.existsSync(modelsDir)
      ? fs.readdirSync(modelsDir).filter((name) => name.toLowerCase().endsWith('.gguf'))
      : [];
  const found = named.length + inDir.length;
  if (found > 0) return { state: 'ready', detail: `${found} model file(s) found`, latencyMs: null };
  return {
    state: 'error',
    detail: 'no model file found at llm.llamacpp.models paths or under llm.llamacpp.modelsDir',
    latencyMs: null,
  };
}

/**
 * Registers `llamacpp:<name>` with the gateway: one loaded model per file, shared by every
 * reference to it, whose `llm.llamacpp.parallelSequences` sequences bound the concurrency.
 */
export function createLlamaCppProviderFactory(): ProviderFactory {
  return {
    provider: 'llamacpp',
    plan(ref, { config }) {
      const located = locateLlamaCppModel(ref.model, config.llamacpp);
      if (!located.ok) return { ok: false, missing: located.reason, message: located.reason };
      const { parallelSequences, contextSize, gpu } = config.llamacpp;
      return {
        ok: true,
        key: `llamacpp:${located.file}`,
        limits: { concurrency: parallelSequences },
        build: () =>
          createLlamaCppProvider({
            model: located.file,
            label: `llamacpp:${ref.model}`,
            parallelSequences,
            ...(contextSize === undefined ? {} : { contextSize }),
            ...(gpu === undefined ? {} : { gpu }),
          }),
      };
    },
    statusRefs: () => [{ provider: 'llamacpp', model: '<name>' }],
    missing: (_ref, { config }) => {
      const { models, modelsDir } = config.llamacpp;
      return Object.keys(models).length > 0 || modelsDir !== undefined
        ? undefined
        : 'no models: set llm.llamacpp.models (name: path) or llm.llamacpp.modelsDir';
    },
    check: async (_status, { config }) => modelFilesCheck(config),
  };
}
