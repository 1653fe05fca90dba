import type { KnownDomain } from './behaviours.js';
import { isKnownDomain } from './behaviours.js';

/**
 * A simulated base model: where it starts (baseline logit offset), how much it responds to
 * prompt behaviours (effect scale) and how often it forgets the requested answer format.
 */
export interface SimVariant {
  name: string;
  description: string;
  logitOffset: number;
  effectScale: number;
  formatSlipRate: number;
}

export const SIM_VARIANTS: Record<string, SimVariant> = {
  default: {
    name: 'default',
    description: 'a small instruction-tuned model (the paper uses Llama-3.2-3B-Instruct)',
    logitOffset: 0,
    effectScale: 1,
    formatSlipRate: 0.03,
  },
  weak: {
    name: 'weak',
    description: 'a weaker base model: lower baseline, smaller gains from prompts, sloppier format',
    logitOffset: -0.6,
    effectScale: 0.8,
    formatSlipRate: 0.08,
  },
  strong: {
    name: 'strong',
    description: 'a stronger base model: higher baseline, slightly larger gains, tidy format',
    logitOffset: 0.7,
    effectScale: 1.1,
    formatSlipRate: 0.01,
  },
};

/** Baseline logits per domain: with "You are a helpful assistant." and a plain task prompt. */
export const DOMAIN_BASE_LOGITS: Record<KnownDomain, number> = {
  medical: -0.2,
  review: -0.45,
  reasoning: -0.3,
  safety: 0.2,
  grounding: -0.4,
  procedural: -0.5,
};

/** User data in a domain the simulator does not know starts at even odds. */
const NEUTRAL_BASE_LOGIT = 0;

export function baseLogitFor(domain: string): number {
  return isKnownDomain(domain) ? DOMAIN_BASE_LOGITS[domain] : NEUTRAL_BASE_LOGIT;
}

export function resolveVariant(name: string | undefined): SimVariant {
  const key = (name ?? 'default').replace(/^sim:/, '');
  const variant = SIM_VARIANTS[key];
  if (!variant) {
    throw new Error(
      `unknown simulator model "sim:${key}": expected one of ${Object.keys(SIM_VARIANTS)
        .map((v) => `sim:${v}`)
        .join(', ')}`,
    );
  }
  return variant;
}
