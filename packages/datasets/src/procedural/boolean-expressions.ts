import type { Rng } from '@metaspo/service-kit';
import { defineProceduralTask, proceduralSpec } from './procedural-task.js';
import { intBetween, pick } from './text.js';

const LABELS = ['True', 'False'];

type Expr =
  | { kind: 'literal'; value: boolean }
  | { kind: 'not'; operand: Expr }
  | { kind: 'and' | 'or'; left: Expr; right: Expr };

/** Python precedence: or < and < not < literal. */
const PRECEDENCE = { or: 1, and: 2, not: 3, literal: 4 } as const;

const INTROS = [
  'Evaluate the Boolean expression below.',
  'What is the truth value of the following expression?',
  'Compute the result of this logical expression, where not binds tighter than and, which binds tighter than or.',
];

/** Random tree with exactly `leaves` literals; a "not" may wrap any subtree. */
function randomExpr(rng: Rng, leaves: number): Expr {
  let expr: Expr;
  if (leaves === 1) {
    expr = { kind: 'literal', value: rng() < 0.5 };
  } else {
    const leftLeaves = intBetween(rng, 1, leaves - 1);
    expr = {
      kind: rng() < 0.5 ? 'and' : 'or',
      left: randomExpr(rng, leftLeaves),
      right: randomExpr(rng, leaves - leftLeaves),
    };
  }
  return rng() < 0.25 ? { kind: 'not', operand: expr } : expr;
}

function evaluate(expr: Expr): boolean {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'not':
      return !evaluate(expr.operand);
    case 'and':
      return evaluate(expr.left) && evaluate(expr.right);
    case 'or':
      return evaluate(expr.left) || evaluate(expr.right);
  }
}

/** Parentheses where precedence needs them, plus some redundant ones so the surface form varies. */
function render(rng: Rng, expr: Expr): string {
  const child = (sub: Expr, parentPrecedence: number): string => {
    const text = render(rng, sub);
    const needed = PRECEDENCE[sub.kind] < parentPrecedence;
    const optional = (sub.kind === 'and' || sub.kind === 'or') && rng() < 0.4;
    return needed || optional ? `( ${text} )` : text;
  };
  switch (expr.kind) {
    case 'literal':
      return expr.value ? 'True' : 'False';
    case 'not':
      return `not ${child(expr.operand, PRECEDENCE.not)}`;
    case 'and':
    case 'or':
      return `${child(expr.left, PRECEDENCE[expr.kind])} ${expr.kind} ${child(expr.right, PRECEDENCE[expr.kind])}`;
  }
}

/** Bounded redraws towards a target value keep the two labels roughly balanced. */
const BALANCE_REDRAWS = 8;

function makeBooleanExpressionItem(rng: Rng) {
  const target = rng() < 0.5;
  let expr = randomExpr(rng, intBetween(rng, 3, 6));
  for (let i = 0; i < BALANCE_REDRAWS && evaluate(expr) !== target; i += 1) {
    expr = randomExpr(rng, intBetween(rng, 3, 6));
  }
  return {
    question: `${pick(rng, INTROS)}\n${render(rng, expr)}`,
    answer: evaluate(expr) ? 'True' : 'False',
  };
}

export const booleanExpressionsTask = defineProceduralTask(
  proceduralSpec({
    id: 'proc_boolean_expressions',
    description:
      'Evaluate a Boolean expression of three to six True/False literals with not, and, or and parentheses (Python precedence).',
    initialUserPrompt:
      'Evaluate the expression step by step, innermost parts first.\n<Question>{question}</Question>\nState the final value, True or False, inside <answer>...</answer>.',
    answerType: { kind: 'label', labels: LABELS },
    labelSpace: LABELS,
  }),
  makeBooleanExpressionItem,
);
