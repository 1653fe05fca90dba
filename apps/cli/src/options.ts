import { InvalidArgumentError } from 'commander';

/**
 * The CLI's option parsers, one way for every command: a number option takes one of these as
 * commander's argument parser (`.option('--n <n>', 'text', positiveInteger)`), a one-of option
 * `new Option(...).choices(values)`, a comma-separated list of choices `choiceList(values)`.
 * A bad value is refused by commander with the option's name ("option '--n <n>' argument 'x' is
 * invalid. expected ..."), before any request is sent, instead of passing NaN on.
 */

/** `Number` reads "" and " " as 0: an empty value is refused as not a number. */
const numberOf = (value: string): number => (value.trim() === '' ? Number.NaN : Number(value));

function finite(value: string): number {
  const n = numberOf(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

export function integer(value: string): number {
  const n = numberOf(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
}

export function positiveInteger(value: string): number {
  const n = integer(value);
  if (n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

export function positiveNumber(value: string): number {
  const n = finite(value);
  if (n <= 0) throw new InvalidArgumentError('expected a number > 0');
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = finite(value);
  if (n < 0) throw new InvalidArgumentError('expected a number >= 0');
  return n;
}

/** A rate or share: 0 to 1. */
export function fraction(value: string): number {
  const n = finite(value);
  if (n < 0 || n > 1) throw new InvalidArgumentError('expected a number between 0 and 1');
  return n;
}

export function port(value: string): number {
  const n = integer(value);
  if (n < 0 || n > 65_535) throw new InvalidArgumentError('expected a port 0-65535');
  return n;
}

/** A parser of comma-separated values, each one of `allowed`. */
export function choiceList<T extends string>(allowed: readonly T[]): (value: string) => T[] {
  const isAllowed = (item: string): item is T => (allowed as readonly string[]).includes(item);
  return (value) => {
    const items = value.split(',').map((item) => item.trim());
    const unknown = items.filter((item) => !isAllowed(item));
    if (unknown.length > 0) {
      throw new InvalidArgumentError(`unknown ${unknown.join(', ')}: expected ${allowed.join(', ')}`);
    }
    return items.filter(isAllowed);
  };
}
