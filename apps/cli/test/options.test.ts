import { Command, CommanderError, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  choiceList,
  fraction,
  integer,
  nonNegativeNumber,
  port,
  positiveInteger,
  positiveNumber,
} from '../src/options.js';

describe('option parsers', () => {
  it('accepts whole numbers and names what it expected otherwise', () => {
    expect(integer('12')).toBe(12);
    expect(integer('-3')).toBe(-3);
    expect(() => integer('abc')).toThrow('expected a whole number');
    expect(() => integer('2.5')).toThrow('expected a whole number');
    expect(() => integer('')).toThrow('expected a whole number');
  });

  it('holds each number to its range', () => {
    expect(positiveInteger('1')).toBe(1);
    expect(() => positiveInteger('0')).toThrow('at least 1');
    expect(positiveNumber('0.5')).toBe(0.5);
    expect(() => positiveNumber('0')).toThrow('> 0');
    expect(() => positiveNumber('x')).toThrow('expected a number');
    expect(nonNegativeNumber('0')).toBe(0);
    expect(() => nonNegativeNumber('-1')).toThrow('>= 0');
    expect(() => nonNegativeNumber(' ')).toThrow('expected a number');
    expect(fraction('1')).toBe(1);
    expect(() => fraction('1.5')).toThrow('between 0 and 1');
    expect(port('0')).toBe(0);
    expect(() => port('65536')).toThrow('0-65535');
  });

  it('reads a comma-separated list of choices and names the unknown ones', () => {
    const kinds = choiceList(['md', 'csv', 'json'] as const);
    expect(kinds('md, json')).toEqual(['md', 'json']);
    expect(() => kinds('md,pdf')).toThrow('unknown pdf: expected md, csv, json');
  });

  it('makes commander refuse a bad value with the option name, before the action runs', () => {
    let ran = false;
    const program = new Command()
      .exitOverride()
      .configureOutput({ writeErr: () => {} })
      .option('--n <n>', 'how many', positiveInteger)
      .addOption(new Option('--cache <mode>', 'cache mode').choices(['use', 'refresh', 'off']))
      .action(() => {
        ran = true;
      });
    expect(() => program.parse(['--n', '0'], { from: 'user' })).toThrow(CommanderError);
    expect(() => program.parse(['--n', '0'], { from: 'user' })).toThrow(/'--n <n>' argument '0' is invalid/);
    expect(() => program.parse(['--cache', 'maybe'], { from: 'user' })).toThrow(
      /Allowed choices are use, refresh, off/,
    );
    expect(ran).toBe(false);
    program.parse(['--n', '3', '--cache', 'off'], { from: 'user' });
    expect(ran).toBe(true);
    expect(program.opts()).toEqual({ n: 3, cache: 'off' });
  });
});
