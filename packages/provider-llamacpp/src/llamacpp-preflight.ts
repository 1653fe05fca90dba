/**
 * Hyperparameters that size a llama-architecture model's tensors. llama.cpp does not report a
 * missing or zero one: it aborts the whole process (GGML_ASSERT on a tensor dimension), which
 * no caller can catch. So they are checked from the file's metadata before the model is loaded.
 */
const LLAMA_TENSOR_SIZES = [
  'llama.embedding_length',
  'llama.block_count',
  'llama.feed_forward_length',
  'llama.attention.head_count',
];

function valueAt(metadata: unknown, dottedKey: string): unknown {
  let value: unknown = metadata;
  for (const part of dottedKey.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function isPositiveWholeNumber(value: unknown): boolean {
  if (typeof value === 'bigint') return value >= 1n;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** What is wrong with the metadata (nested as node-llama-cpp reads it), one line per key; empty when fine. */
export function tensorSizeProblems(metadata: unknown): string[] {
  if (valueAt(metadata, 'general.architecture') !== 'llama') return [];
  const problems: string[] = [];
  for (const key of LLAMA_TENSOR_SIZES) {
    const value = valueAt(metadata, key);
    if (isPositiveWholeNumber(value)) continue;
    problems.push(value === undefined ? `${key} is missing` : `${key} is ${String(value)}`);
  }
  return problems;
}
