import fs from 'node:fs';
import path from 'node:path';
import type { LlamaCppSettings } from '@metaspo/schemas';

/** `hf:` URIs and plain URLs: downloads, which only `metaspo models pull` makes. */
export function isRemoteModelUri(model: string): boolean {
  return /^(hf:|https?:\/\/)/i.test(model);
}

export type LocatedModel = { ok: true; file: string } | { ok: false; reason: string };

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Which file `llamacpp:<model>` may load. A model reference comes from any caller of the API,
 * so it is a name, never a free path or URL: a name under `llm.llamacpp.models`, or a `.gguf`
 * file under `llm.llamacpp.modelsDir` (symbolic links may not lead out of it). Reasons name the
 * reference and the setting to change, never anything read from a file.
 */
export function locateLlamaCppModel(model: string, settings: LlamaCppSettings): LocatedModel {
  const label = `llamacpp:${model}`;
  if (isRemoteModelUri(model)) {
    return {
      ok: false,
      reason: `${label} is a download: fetch it once with \`metaspo models pull ${model}\` into llm.llamacpp.modelsDir, then use llamacpp:<file name>`,
    };
  }
  const named = Object.hasOwn(settings.models, model) ? settings.models[model] : undefined;
  if (named !== undefined) return { ok: true, file: path.resolve(named) };
  const notConfigured = `${label} is not a configured model: name it under llm.llamacpp.models (name: path) or put the .gguf file under llm.llamacpp.modelsDir`;
  if (settings.modelsDir === undefined) return { ok: false, reason: notConfigured };
  const dir = path.resolve(settings.modelsDir);
  const file = path.resolve(dir, model);
  if (!file.toLowerCase().endsWith('.gguf') || !isInside(dir, file))
    return { ok: false, reason: notConfigured };
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return { ok: false, reason: `${label}: no such model file under llm.llamacpp.modelsDir` };
  }
  if (!isInside(fs.realpathSync(dir), real)) return { ok: false, reason: notConfigured };
  return { ok: true, file: real };
}
