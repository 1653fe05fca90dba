import { InvalidArgumentError } from 'commander';

/** Commander argument parser for whole-number options: rejects "abc" or "2.5" instead of passing NaN on. */
export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
}
