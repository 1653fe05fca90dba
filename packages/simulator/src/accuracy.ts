import { seedFrom } from '@metaspo/service-kit';
import { BEHAVIOURS, effectFor } from './behaviours.js';
import { countWords } from './text.js';
import { baseLogitFor, type SimVariant } from './variants.js';

/** The constants of the accuracy formula; docs/simulator.md explains each. */
export const ACCURACY_MODEL = {
  /** The i-th largest positive contribution (0-based) counts `diminishing ** i`. */
  diminishing: 0.75,
  /** A behaviour asked for by both the system and the user prompt counts this much more. */
  bothPromptsBonus: 1.15,
  /** Words of system prompt + user prompt (without the question) that cost nothing. */
  freeWords: 200,
  penaltyPerExtraWord: 0.01,
  maxLengthPenalty: 2,
  /** Scale of the per-(question, prompts) logistic noise at temperature 0... */
  noiseScale: 0.4,
  /** ...plus this much per unit of temperature. */
  temperatureNoise: 0.8,
} as const;

export interface PromptFeatures {
  system: ReadonlySet<string>;
  user: ReadonlySet<string>;
  words: number;
}

export function lengthPenalty(words: number): number {
  const extra = Math.max(0, words - ACCURACY_MODEL.freeWords);
  return Math.min(ACCURACY_MODEL.maxLengthPenalty, extra * ACCURACY_MODEL.penaltyPerExtraWord);
}

/** Prompt features of a system prompt and a user prompt template (question replaced or absent). */
export function promptFeatures(
  system: string,
  userTemplate: string,
  detect: (text: string) => string[],
): PromptFeatures {
  return {
    system: new Set(detect(system)),
    user: new Set(detect(userTemplate)),
    words: countWords(system) + countWords(userTemplate.replace('{question}', '')),
  };
}

/** The logit of answering a question of `domain` correctly, before per-question difficulty. */
export function promptLogit(features: PromptFeatures, domain: string, variant: SimVariant): number {
  const positives: number[] = [];
  let negatives = 0;
  for (const behaviour of BEHAVIOURS) {
    const mentions = (features.system.has(behaviour.id) ? 1 : 0) + (features.user.has(behaviour.id) ? 1 : 0);
    if (mentions === 0) continue;
    const effect =
      effectFor(behaviour, domain) *
      variant.effectScale *
      (mentions === 2 ? ACCURACY_MODEL.bothPromptsBonus : 1);
    if (effect >= 0) positives.push(effect);
    else negatives += effect;
  }
  positives.sort((a, b) => b - a);
  const boost = positives.reduce((sum, e, i) => sum + e * ACCURACY_MODEL.diminishing ** i, 0);
  return baseLogitFor(domain) + variant.logitOffset + boost + negatives - lengthPenalty(features.words);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** A standard logistic draw from a 32-bit seed (never infinite). */
function logisticFromSeed(seed: number): number {
  const u = (seed + 0.5) / 4294967296;
  return Math.log(u / (1 - u));
}

export interface CorrectnessDraw {
  question: string;
  /** Identifies the prompts (and, above temperature 0, the sampling parameters and sample index). */
  noiseKey: string;
  temperature: number;
}

export interface CorrectnessOutcome {
  correct: boolean;
  /** Seeds the rest of the response's choices (which wrong answer, format slips). */
  seed: number;
}

const difficulties = new Map<string, number>();

/** Difficulty depends on the question only; cached because an evaluation asks each question often. */
function difficultyOf(question: string): number {
  let difficulty = difficulties.get(question);
  if (difficulty === undefined) {
    if (difficulties.size >= 100_000) difficulties.clear();
    difficulty = logisticFromSeed(seedFrom('difficulty', question));
    difficulties.set(question, difficulty);
  }
  return difficulty;
}

/**
 * Correct when logit + noise beats the question's difficulty. Difficulty depends only on the
 * question, so a better prompt turns hard questions right without turning easy ones wrong:
 * the expected accuracy over questions is sigmoid(logit) smoothed by the noise.
 */
export function drawCorrect(logit: number, draw: CorrectnessDraw): CorrectnessOutcome {
  const scale = ACCURACY_MODEL.noiseScale + ACCURACY_MODEL.temperatureNoise * draw.temperature;
  const seed = seedFrom('noise', draw.question, draw.noiseKey);
  return { correct: logit + scale * logisticFromSeed(seed) > difficultyOf(draw.question), seed };
}
