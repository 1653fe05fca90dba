import { describe, expect, it } from 'vitest';
import { tensorSizeProblems } from '../src/llamacpp-preflight.js';

const llama = (sizes: Record<string, unknown>) => ({
  general: { architecture: 'llama' },
  llama: {
    embedding_length: 32,
    block_count: 2,
    feed_forward_length: 64,
    ...sizes,
    attention: { head_count: 4, ...(sizes.attention as object) },
  },
});

describe('tensorSizeProblems', () => {
  it('accepts a complete llama file, sizes as numbers or bigints', () => {
    expect(tensorSizeProblems(llama({}))).toEqual([]);
    expect(tensorSizeProblems(llama({ block_count: 2n }))).toEqual([]);
  });

  it('names each missing or non-positive size', () => {
    expect(
      tensorSizeProblems(llama({ feed_forward_length: undefined, attention: { head_count: 0 } })),
    ).toEqual(['llama.feed_forward_length is missing', 'llama.attention.head_count is 0']);
    expect(tensorSizeProblems(llama({ block_count: 0n, embedding_length: 2.5 }))).toEqual([
      'llama.embedding_length is 2.5',
      'llama.block_count is 0',
    ]);
  });

  it('leaves other architectures to llama.cpp', () => {
    expect(tensorSizeProblems({ general: { architecture: 'mamba' }, mamba: {} })).toEqual([]);
  });
});
