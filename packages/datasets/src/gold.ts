import type { AnswerType } from '@metaspo/schemas';

const OPTION_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const YES = new Set(['yes', 'true', '1', 'y']);
const NO = new Set(['no', 'false', '0', 'n']);

/** The answers a task's gold labels must come from; undefined for open answers. */
export function labelSpaceOf(answerType: AnswerType): string[] | undefined {
  switch (answerType.kind) {
    case 'option':
      return OPTION_LETTERS.slice(0, answerType.optionCount).split('');
    case 'yes-no':
      return ['yes', 'no'];
    case 'rating':
      return ['1', '2', '3', '4', '5'];
    case 'label':
      return answerType.labels;
    default:
      return undefined;
  }
}

type Gold = { answer: string; acceptedAnswers?: string[] };
export type GoldResult = { ok: true; gold: Gold } | { ok: false; reason: string };

const fail = (reason: string): GoldResult => ({ ok: false, reason });
const ok = (answer: string): GoldResult => ({ ok: true, gold: { answer } });

function asText(raw: unknown): string | null {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw === 'boolean') return String(raw);
  return null;
}

/**
 * Turns a raw gold value into the canonical answer string of the task's answer type:
 * an option letter, digits, "yes"/"no", "1".."5", one of the labels, or free text with its
 * accepted answers. A value outside the label space is refused with the reason.
 */
export function canonicalGold(answerType: AnswerType, raw: unknown, options?: readonly string[]): GoldResult {
  if (answerType.kind === 'free-text') {
    const list = (Array.isArray(raw) ? raw : [raw]).map(asText);
    if (list.length === 0 || list.some((a) => a === null || a === '')) {
      return fail('expected a non-empty string or a list of non-empty strings');
    }
    const accepted = [...new Set(list as string[])];
    return { ok: true, gold: { answer: accepted[0]!, acceptedAnswers: accepted } };
  }
  const text = asText(raw);
  if (text === null || text === '')
    return fail(`expected a ${answerType.kind} answer, got ${JSON.stringify(raw)}`);
  switch (answerType.kind) {
    case 'option': {
      const count = options?.length ?? answerType.optionCount;
      const letters = OPTION_LETTERS.slice(0, count);
      const letter = /^\(?([A-Za-z])\)?\.?$/.exec(text)?.[1]?.toUpperCase();
      if (letter && letters.includes(letter)) return ok(letter);
      const byText = options?.findIndex((o) => o.trim().toLowerCase() === text.toLowerCase()) ?? -1;
      if (byText >= 0) return ok(OPTION_LETTERS[byText]!);
      return fail(`"${text}" is not in the label space [${letters.split('').join(', ')}]`);
    }
    case 'integer':
      return /^-?\d+$/.test(text)
        ? ok(String(Number.parseInt(text, 10)))
        : fail(`"${text}" is not an integer`);
    case 'yes-no': {
      const lower = text.toLowerCase();
      if (YES.has(lower)) return ok('yes');
      if (NO.has(lower)) return ok('no');
      return fail(`"${text}" is not in the label space [yes, no]`);
    }
    case 'rating':
      return /^[1-5](\.0+)?$/.test(text)
        ? ok(text.charAt(0))
        : fail(`"${text}" is not in the label space [1, 2, 3, 4, 5]`);
    case 'label': {
      const label = answerType.labels.find((l) => l.toLowerCase() === text.toLowerCase());
      return label
        ? ok(label)
        : fail(`"${text}" is not in the label space [${answerType.labels.join(', ')}]`);
    }
  }
}

/** "(A) text" lines of a question, in letter order. */
export function formatOptions(options: readonly string[]): string {
  return options.map((o, i) => `(${OPTION_LETTERS[i]}) ${o}`).join('\n');
}
