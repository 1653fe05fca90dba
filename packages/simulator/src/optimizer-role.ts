import type { Rng } from '@metaspo/service-kit';
import type { AnswerKey } from './answer-key.js';
import { BEHAVIOURS, detectBehaviours, effectFor, isHarmful } from './behaviours.js';
import { type MetaRequest, profileExamples, type TaskProfile } from './meta-request.js';
import {
  type EditGuidance,
  formatInstruction,
  freshPrompt,
  guidanceFrom,
  rewriteSystemPrompt,
  rewriteUserPrompt,
} from './prompt-edits.js';

export const DEFAULT_MALFORMED_RATE = 0.05;

/** How much the analysis's ranking of missing behaviours is blurred (logit units of effect). */
const ANALYSIS_NOISE = 0.3;

export interface OptimizerReplyContext {
  request: MetaRequest;
  answerKey: AnswerKey;
  malformedRate: number;
  rng: Rng;
}

/** The simulated optimizer's reply: the requested tag around an analysis or a rewritten prompt. */
export function optimizerReply(ctx: OptimizerReplyContext): string {
  const { request, rng } = ctx;
  const malformed = rng() < ctx.malformedRate;
  const profile = profileExamples(request.examples, ctx.answerKey);
  const kind = request.kind === 'analysis' ? 'analysis' : promptKind(request, profile);
  const content =
    kind === 'analysis'
      ? analysisText(request.currentPrompt ?? '', profile, rng)
      : rewrittenPrompt(request, kind, profile, rng);
  const leadIn =
    kind === 'analysis'
      ? 'Here is my analysis of the failures.'
      : 'Here is the improved prompt, based on the analysis.';
  const tag = request.replyTag;
  if (!malformed) return `${leadIn}\n<${tag}>\n${content}\n</${tag}>`;
  // Malformed on purpose: half of the broken user prompts keep their tags but lose {question}.
  if (kind === 'user' && rng() < 0.5) {
    return `<${tag}>\n${content.replaceAll('{question}', 'the question')}\n</${tag}>`;
  }
  return `${leadIn}\n${content}`;
}

/**
 * Whether a user or a system prompt is wanted: a user prompt holds {question}, a system prompt
 * does not; demonstrations from several tasks ask for one system prompt for all of them.
 */
function promptKind(request: MetaRequest, profile: TaskProfile): 'user' | 'system' {
  if (request.currentPrompt !== null) return request.currentPrompt.includes('{question}') ? 'user' : 'system';
  return profile.tasks.size > 1 ? 'system' : 'user';
}

/** Mean effect of a behaviour over the domains the examples came from (neutral when unknown). */
function weightedEffect(id: string, profile: TaskProfile): number {
  const behaviour = BEHAVIOURS.find((b) => b.id === id)!;
  if (profile.domains.size === 0) return effectFor(behaviour, '');
  let total = 0;
  let count = 0;
  for (const [domain, n] of profile.domains) {
    total += effectFor(behaviour, domain) * n;
    count += n;
  }
  return total / count;
}

/**
 * Names the two or three missing behaviours that matter most for the examples' domains (with
 * noise, as an imperfect optimizer would), and any harmful instruction the prompt contains.
 * Each named behaviour is quoted with one of its sentences, which is how the rewrite finds it.
 */
function analysisText(currentPrompt: string, profile: TaskProfile, rng: Rng): string {
  const present = new Set(detectBehaviours(currentPrompt));
  const missing = BEHAVIOURS.filter((b) => !isHarmful(b) && !present.has(b.id))
    .map((b) => ({ b, score: weightedEffect(b.id, profile) + ANALYSIS_NOISE * rng() }))
    .sort((x, y) => y.score - x.score)
    .slice(0, rng() < 0.5 ? 2 : 3);
  const harmful = BEHAVIOURS.filter((b) => isHarmful(b) && present.has(b.id));
  const lines = ['The wrong answers suggest the prompt is missing these behaviours:'];
  for (const { b } of missing) {
    lines.push(`- ${b.label}: the model should be told, for example, "${b.phrasings[0]}"`);
  }
  if (missing.length === 0) lines.push('- none obvious: the failures look like gaps in knowledge.');
  for (const b of harmful) {
    lines.push(`The prompt also encourages ${b.label} ("${b.phrasings[0]}"); remove that instruction.`);
  }
  return lines.join('\n');
}

function rewrittenPrompt(
  request: MetaRequest,
  kind: 'user' | 'system',
  profile: TaskProfile,
  rng: Rng,
): string {
  const guidance: EditGuidance = guidanceFrom(request.analysis);
  if (request.currentPrompt === null) {
    return freshPrompt(kind, formatInstruction(profile.answerType, profile.labelSpace), guidance, rng);
  }
  return kind === 'user'
    ? rewriteUserPrompt(request.currentPrompt, guidance, rng)
    : rewriteSystemPrompt(request.currentPrompt, guidance, rng);
}
