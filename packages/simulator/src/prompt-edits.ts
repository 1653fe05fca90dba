import type { AnswerType } from '@metaspo/schemas';
import { type Rng, randomInt } from '@metaspo/service-kit';
import { BEHAVIOURS, type Behaviour, behaviourById, detectBehaviours, isHarmful } from './behaviours.js';
import { splitSentences } from './text.js';

/** Probabilities of the simulated optimizer's edits; docs/simulator.md lists them. */
export const EDIT_RATES = {
  /** A second behaviour is added in the same rewrite. */
  secondAddition: 0.4,
  /** An added behaviour comes from the analysis (when it names any), else from the whole bank. */
  followAnalysis: 0.8,
  /** A harmful behaviour is added by mistake. */
  harmfulAddition: 0.05,
  rephrase: 0.3,
  /** One behaviour sentence the analysis did not ask for is removed. */
  drop: 0.15,
  /** User-prompt rewrites: the `<Question>` wrapper becomes "Question:". */
  unwrapQuestion: 0.05,
  /** User-prompt rewrites: the answer-format instruction is lost. */
  dropFormat: 0.05,
} as const;

const HELPFUL = BEHAVIOURS.filter((b) => !isHarmful(b)).map((b) => b.id);
const HARMFUL = BEHAVIOURS.filter(isHarmful).map((b) => b.id);
const PROTECTED_LINE = /\{question\}|<\/?question>|<answer>/i;

export interface EditGuidance {
  /** Behaviours the analysis asks to add. */
  add: string[];
  /** Behaviours the analysis asks to remove. */
  remove: string[];
}

export function guidanceFrom(analysis: string | null): EditGuidance {
  const named = analysis ? detectBehaviours(analysis) : [];
  return {
    add: named.filter((id) => HELPFUL.includes(id)),
    remove: named.filter((id) => HARMFUL.includes(id)),
  };
}

function pick<T>(items: readonly T[], rng: Rng): T | undefined {
  return items.length === 0 ? undefined : items[randomInt(rng, 0, items.length)];
}

function phrasing(behaviour: Behaviour, rng: Rng): string {
  return pick(behaviour.phrasings, rng) ?? behaviour.phrasings[0];
}

/** Adds, rephrases and removes behaviour sentences of `sentences`, returning the new list. */
function editSentences(sentences: string[], guidance: EditGuidance, rng: Rng): string[] {
  let out = sentences.filter((s) => !guidance.remove.some((id) => detectBehaviours(s).includes(id)));
  const present = new Set(out.flatMap((s) => detectBehaviours(s)));

  if (rng() < EDIT_RATES.drop) {
    const droppable = out.filter((s) => detectBehaviours(s).some((id) => !guidance.add.includes(id)));
    const victim = pick(droppable, rng);
    if (victim) out = out.filter((s) => s !== victim);
  }
  if (rng() < EDIT_RATES.rephrase) {
    const index = out.findIndex((s) => detectBehaviours(s).length > 0);
    const id = index >= 0 ? detectBehaviours(out[index]!)[0] : undefined;
    if (id) out[index] = phrasing(behaviourById(id), rng);
  }
  const additions = 1 + (rng() < EDIT_RATES.secondAddition ? 1 : 0);
  for (let i = 0; i < additions; i += 1) {
    const fromAnalysis = guidance.add.filter((id) => !present.has(id));
    const fromBank = HELPFUL.filter((id) => !present.has(id));
    const id =
      rng() < EDIT_RATES.harmfulAddition
        ? pick(HARMFUL, rng)
        : fromAnalysis.length > 0 && rng() < EDIT_RATES.followAnalysis
          ? pick(fromAnalysis, rng)
          : pick(fromBank, rng);
    if (!id || present.has(id)) continue;
    present.add(id);
    out.push(phrasing(behaviourById(id), rng));
  }
  return out;
}

export function rewriteSystemPrompt(current: string, guidance: EditGuidance, rng: Rng): string {
  return editSentences(splitSentences(current), guidance, rng).join(' ');
}

/**
 * Edits the instruction sentences before the question, and keeps the question line and what
 * follows it (the answer-format instruction), except for the rare unwrapped question or lost
 * format instruction.
 */
export function rewriteUserPrompt(current: string, guidance: EditGuidance, rng: Rng): string {
  const lines = current.split('\n');
  const firstProtected = lines.findIndex((l) => PROTECTED_LINE.test(l));
  const headLines = firstProtected === -1 ? lines : lines.slice(0, firstProtected);
  let tail =
    firstProtected === -1 ? '<Question>{question}</Question>' : lines.slice(firstProtected).join('\n');
  if (!tail.includes('{question}')) tail = `<Question>{question}</Question>\n${tail}`;
  const head = editSentences(splitSentences(headLines.join('\n')), guidance, rng).join(' ');
  if (rng() < EDIT_RATES.unwrapQuestion) {
    tail = tail.replace(/<question>\s*\{question\}\s*<\/question>/i, 'Question: {question}');
  }
  if (rng() < EDIT_RATES.dropFormat) {
    tail = tail
      .split('\n')
      .filter((l) => !/<answer>/i.test(l) || l.includes('{question}'))
      .join('\n');
  }
  return head === '' ? tail : `${head}\n\n${tail}`;
}

export function formatInstruction(answerType: AnswerType | undefined, labelSpace?: string[]): string {
  switch (answerType?.kind) {
    case 'option':
      return 'Give the letter of the correct option inside <answer></answer>.';
    case 'integer':
      return 'Give the final number inside <answer></answer>.';
    case 'yes-no':
      return 'Answer yes or no inside <answer></answer>.';
    case 'rating':
      return 'Give a rating from 1 to 5 inside <answer></answer>.';
    case 'label': {
      const labels = answerType.labels.length > 0 ? answerType.labels : (labelSpace ?? []);
      return `Answer with one of ${labels.join(', ')} inside <answer></answer>.`;
    }
    case 'free-text':
      return 'Give the short answer inside <answer></answer>.';
    default:
      return 'Write the final answer inside <answer></answer>.';
  }
}

/** APE-style: a fresh prompt from demonstrations, with one to three behaviours of the bank. */
export function freshPrompt(
  kind: 'system' | 'user',
  format: string,
  guidance: EditGuidance,
  rng: Rng,
): string {
  const base = kind === 'system' ? ['You are a helpful assistant.'] : ['Answer the following question.'];
  const target = randomInt(rng, 0, 3);
  let sentences = editSentences(base, guidance, rng);
  for (let i = 0; i < target; i += 1) sentences = editSentences(sentences, { add: [], remove: [] }, rng);
  const instruction = sentences.join(' ');
  return kind === 'system' ? instruction : `${instruction}\n\n<Question>{question}</Question>\n\n${format}`;
}
