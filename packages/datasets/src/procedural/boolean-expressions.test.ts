import { describe, expect, it } from 'vitest';
import { booleanExpressionsTask } from './boolean-expressions.js';
import { PROCEDURAL_SIZES } from './procedural-task.js';

/** Recursive-descent evaluation with Python precedence: or < and < not < atom. */
function evaluateText(expression: string): boolean {
  const tokens = expression.split(/\s+/).filter(Boolean);
  let at = 0;
  const next = () => tokens[at++];
  const parseOr = (): boolean => {
    let value = parseAnd();
    while (tokens[at] === 'or') {
      next();
      const right = parseAnd();
      value = value || right;
    }
    return value;
  };
  const parseAnd = (): boolean => {
    let value = parseNot();
    while (tokens[at] === 'and') {
      next();
      const right = parseNot();
      value = value && right;
    }
    return value;
  };
  const parseNot = (): boolean => {
    if (tokens[at] === 'not') {
      next();
      return !parseNot();
    }
    const token = next();
    if (token === 'True') return true;
    if (token === 'False') return false;
    if (token !== '(') throw new Error(`unexpected token ${token} in "${expression}"`);
    const value = parseOr();
    if (next() !== ')') throw new Error(`unbalanced parentheses in "${expression}"`);
    return value;
  };
  const value = parseOr();
  if (at !== tokens.length) throw new Error(`trailing tokens in "${expression}"`);
  return value;
}

describe('proc_boolean_expressions answers', () => {
  it('match a parse of the expression on the last line of the question', () => {
    expect(evaluateText('not True or False and True')).toBe(false);
    expect(evaluateText('not ( True or False ) or not not True')).toBe(true);
    const items = [
      ...booleanExpressionsTask.generate(PROCEDURAL_SIZES.trainSeed, 150),
      ...booleanExpressionsTask.generate(PROCEDURAL_SIZES.testSeed, 150),
    ];
    for (const item of items) {
      const expression = item.question.split('\n').at(-1) ?? '';
      expect(evaluateText(expression) ? 'True' : 'False', item.question).toBe(item.answer);
    }
    const trueCount = items.filter((item) => item.answer === 'True').length;
    expect(trueCount).toBeGreaterThan(items.length * 0.35);
    expect(trueCount).toBeLessThan(items.length * 0.65);
  });
});
