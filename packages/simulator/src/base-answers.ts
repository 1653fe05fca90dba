import type { AnswerKeyEntry } from '@metaspo/schemas';
import { type Rng, randomInt } from '@metaspo/service-kit';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A plausible wrong answer in the entry's answer format: never equal to the gold answer. */
export function wrongAnswer(entry: AnswerKeyEntry, rng: Rng): string {
  const gold = entry.answer.trim();
  const type = entry.answerType;
  switch (type.kind) {
    case 'option': {
      const count = Math.max(2, entry.options?.length ?? type.optionCount);
      return pickOther(LETTERS.slice(0, count).split(''), gold.toUpperCase(), rng) ?? 'A';
    }
    case 'yes-no':
      return gold.toLowerCase() === 'yes' ? 'no' : 'yes';
    case 'rating': {
      const value = Number.parseInt(gold, 10);
      const rating = Number.isFinite(value) ? value : 3;
      const step = rng() < 0.7 ? 1 : 2;
      const up = rating + step <= 5 && (rating - step < 1 || rng() < 0.5);
      return String(up ? rating + step : rating - step);
    }
    case 'integer':
      return nearMiss(gold, rng);
    case 'label': {
      const labels = type.labels.length > 0 ? type.labels : (entry.labelSpace ?? []);
      return pickOther(labels, gold, rng) ?? `not ${gold}`;
    }
    case 'free-text':
      return wrongSpan(entry, rng);
  }
}

function pickOther(choices: readonly string[], gold: string, rng: Rng): string | undefined {
  const others = choices.filter((c) => c.toLowerCase() !== gold.toLowerCase());
  return others.length === 0 ? undefined : others[randomInt(rng, 0, others.length)];
}

/** Off by one or two, or by about ten percent for large numbers. */
function nearMiss(gold: string, rng: Rng): string {
  const value = Number.parseInt(gold, 10);
  if (!Number.isFinite(value)) return String(randomInt(rng, 0, 10));
  const magnitude = Math.max(1, Math.round(Math.abs(value) * 0.1));
  const delta = Math.abs(value) >= 20 && rng() < 0.5 ? magnitude : randomInt(rng, 1, 3);
  const candidate = rng() < 0.5 && value - delta >= 0 ? value - delta : value + delta;
  return String(candidate);
}

/** A short span of the question's own words: the typical wrong extractive answer. */
function wrongSpan(entry: AnswerKeyEntry, rng: Rng): string {
  const accepted = new Set([entry.answer, ...(entry.acceptedAnswers ?? [])].map((a) => a.toLowerCase()));
  const words = entry.question
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 2);
  for (let attempt = 0; attempt < 5 && words.length > 0; attempt += 1) {
    const length = randomInt(rng, 1, Math.min(3, words.length) + 1);
    const start = randomInt(rng, 0, words.length - length + 1);
    const span = words.slice(start, start + length).join(' ');
    if (!accepted.has(span.toLowerCase())) return span;
  }
  return 'unknown';
}

/** Reasoning text free of standalone letters and digits, so it never reads as an answer. */
const REASONING_LINES = [
  'Let me work through this step by step.',
  'Considering the relevant details one by one leads to the conclusion below.',
];

export interface BaseResponseShape {
  answer: string;
  tagged: boolean;
  showReasoning: boolean;
}

export function renderBaseResponse(shape: BaseResponseShape): string {
  const reasoning = shape.showReasoning ? `${REASONING_LINES.join(' ')}\n` : '';
  if (shape.tagged) return `${reasoning}<answer>${shape.answer}</answer>`;
  return shape.showReasoning ? `${reasoning}Answer: ${shape.answer}` : shape.answer;
}
