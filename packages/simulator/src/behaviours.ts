import { KNOWN_DOMAINS } from '@metaspo/schemas';

export type KnownDomain = (typeof KNOWN_DOMAINS)[number];
type DomainEffects = Record<KnownDomain, number>;

/**
 * One behaviour a prompt can ask for. `pattern` recognises it in a prompt (lower-cased), and
 * every sentence of `phrasings` matches it, so rewrites by the simulated optimizer are
 * recognised by the simulated base model. `effects` are logit shifts per domain.
 */
export interface Behaviour {
  id: string;
  label: string;
  pattern: RegExp;
  phrasings: readonly [string, ...string[]];
  effects: DomainEffects;
}

const effects = (
  medical: number,
  review: number,
  reasoning: number,
  safety: number,
  grounding: number,
  procedural: number,
): DomainEffects => ({ medical, review, reasoning, safety, grounding, procedural });

export const BEHAVIOURS: readonly Behaviour[] = [
  {
    id: 'step-by-step',
    label: 'step-by-step reasoning',
    pattern: /\bstep[- ]by[- ]step\b|\breason through\b|\bwork through\b/,
    phrasings: [
      'Think step by step before giving the final answer.',
      'Reason through the problem one stage at a time before answering.',
      'Work through the problem in explicit stages, then answer.',
    ],
    effects: effects(0.35, 0.1, 0.9, 0.2, 0.25, 1.0),
  },
  {
    id: 'careful-reading',
    label: 'careful reading',
    pattern: /\bcarefully\b|\bclose attention to the (wording|details)\b|\bevery word\b/,
    phrasings: [
      'Read the question and all of its details carefully.',
      'Pay close attention to the wording of the input.',
      'Read every word of the input before deciding.',
    ],
    effects: effects(0.35, 0.45, 0.4, 0.45, 0.35, 0.3),
  },
  {
    id: 'domain-expertise',
    label: 'domain expertise',
    pattern: /\bexpert\b|\bexpertise\b|\bspecialist\b|\bdomain knowledge\b/,
    phrasings: [
      'You are an expert with deep domain knowledge in the subject of each question.',
      'Answer as a seasoned specialist in the relevant field would.',
      'Draw on the expertise of the relevant field.',
    ],
    effects: effects(0.85, 0.3, 0.15, 0.35, 0.45, 0.05),
  },
  {
    id: 'calibration',
    label: 'calibration between extremes',
    pattern: /\bcalibrat|\bextremes?\b|\bweigh (the )?(positive|both)\b/,
    phrasings: [
      'Weigh positive and negative points and keep judgements calibrated.',
      'Choose extreme values only when the text clearly warrants them.',
      'Weigh both sides before settling on a score or label.',
    ],
    effects: effects(0.05, 0.95, 0.05, 0.3, 0.0, 0.0),
  },
  {
    id: 'conciseness',
    label: 'concise final answers',
    pattern: /\bconcise\b|\bbriefly\b|\bshort, direct\b/,
    phrasings: [
      'Keep the final answer concise and to the point.',
      'Give a short, direct answer without extra commentary.',
      'State the answer briefly, giving only what is asked.',
    ],
    effects: effects(0.15, 0.3, 0.0, 0.15, 0.75, 0.2),
  },
  {
    id: 'harm-awareness',
    label: 'attention to harm',
    pattern: /\bharmful\b|\bhateful\b|\btoxic\b|\bdeceptive\b/,
    phrasings: [
      'Consider whether the content could be harmful, hateful or misleading.',
      'Pay attention to offensive, toxic or deceptive content.',
      'Watch for subtle signs of hateful or deceptive language.',
    ],
    effects: effects(0.0, 0.05, 0.0, 1.0, 0.0, 0.0),
  },
  {
    id: 'verification',
    label: 'verification',
    pattern: /\bdouble[- ]check\b|\bverify\b|\bre-?check\b/,
    phrasings: [
      'Double-check your answer before finalising it.',
      'Verify that the answer is consistent with the question.',
      'Re-check your work for mistakes before responding.',
    ],
    effects: effects(0.4, 0.15, 0.5, 0.25, 0.3, 0.7),
  },
  {
    id: 'option-elimination',
    label: 'elimination of wrong options',
    pattern: /\beliminat|\brule out\b/,
    phrasings: [
      'Rule out clearly wrong options before choosing.',
      'Eliminate implausible answers first, then pick the best remaining one.',
      'Use a process of elimination across the candidate answers.',
    ],
    effects: effects(0.6, 0.0, 0.4, 0.1, 0.0, 0.15),
  },
  {
    id: 'evidence-grounding',
    label: 'grounding in evidence',
    pattern: /\bevidence\b|\bfactual(ly)?\b|\bwell-established facts\b/,
    phrasings: [
      'Base your answer on well-established facts, not on assumptions.',
      'Stay factually accurate and rely on what is known to be true.',
      'Support the answer with concrete evidence from the input or from established knowledge.',
    ],
    effects: effects(0.4, 0.1, 0.1, 0.5, 0.85, 0.0),
  },
  {
    id: 'state-tracking',
    label: 'tracking intermediate state',
    pattern: /\bkeep track\b|\btrack each\b|\bintermediate results?\b/,
    phrasings: [
      'Keep track of every quantity, position and date as it changes.',
      'Write down intermediate results and update them as you go.',
      "Track each object's state after every move.",
    ],
    effects: effects(0.0, 0.0, 0.55, 0.0, 0.05, 0.9),
  },
  {
    id: 'implicit-meaning',
    label: 'reading tone and implied meaning',
    pattern: /\bsarcasm\b|\bimplied\b|\bimplicit\b|\btone\b/,
    phrasings: [
      'Look beyond the literal wording to tone, sarcasm and implied meaning.',
      'Read between the lines and consider irony, sarcasm and what is implied.',
      'Consider the tone and implicit intent of the text.',
    ],
    effects: effects(0.05, 0.5, 0.1, 0.6, 0.05, 0.0),
  },
  {
    id: 'hasty',
    label: 'hasty answering (harmful)',
    pattern: /\bimmediately\b|\bfirst instinct\b|\bguess\b/,
    phrasings: [
      'Answer immediately without deliberating.',
      'Go with your first instinct.',
      'If unsure, just guess quickly.',
    ],
    effects: effects(-0.5, -0.4, -0.6, -0.4, -0.4, -0.7),
  },
];

const BY_ID = new Map(BEHAVIOURS.map((b) => [b.id, b]));

export function behaviourById(id: string): Behaviour {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown behaviour "${id}"`);
  return found;
}

export function isKnownDomain(domain: string): domain is KnownDomain {
  return (KNOWN_DOMAINS as readonly string[]).includes(domain);
}

/** Effect of a behaviour on a domain; a domain the bank does not know gets the mean over known ones. */
export function effectFor(behaviour: Behaviour, domain: string): number {
  if (isKnownDomain(domain)) return behaviour.effects[domain];
  const values = Object.values(behaviour.effects);
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** A behaviour that lowers accuracy in every domain (the bank's trap for careless rewrites). */
export function isHarmful(behaviour: Behaviour): boolean {
  return Object.values(behaviour.effects).every((e) => e < 0);
}

/** Ids of the bank's behaviours that `text` asks for. */
export function detectBehaviours(text: string): string[] {
  const lower = text.toLowerCase();
  return BEHAVIOURS.filter((b) => b.pattern.test(lower)).map((b) => b.id);
}

/** The bank as a Markdown table (docs/simulator.md embeds it; a test keeps the two in step). */
export function formatBehaviourTable(): string {
  const header = `| behaviour | ${KNOWN_DOMAINS.join(' | ')} | example sentence | recognised by |`;
  const rule = `|---|${KNOWN_DOMAINS.map(() => '---:').join('|')}|---|---|`;
  const rows = BEHAVIOURS.map((b) => {
    const effects = KNOWN_DOMAINS.map((d) => b.effects[d].toFixed(2)).join(' | ');
    const pattern = b.pattern.source.replaceAll('|', '\\|');
    return `| ${b.id} | ${effects} | ${b.phrasings[0]} | \`${pattern}\` |`;
  });
  return [header, rule, ...rows].join('\n');
}
