import type { ChatMessage, TokenUsage } from '@metaspo/schemas';
import { createRng, seedFrom, sha256Hex } from '@metaspo/service-kit';
import { drawCorrect, type PromptFeatures, promptFeatures, promptLogit } from './accuracy.js';
import type { AnswerKey } from './answer-key.js';
import { renderBaseResponse, wrongAnswer } from './base-answers.js';
import { detectBehaviours } from './behaviours.js';
import { parseMetaRequest, requestedReplyTag } from './meta-request.js';
import { DEFAULT_MALFORMED_RATE, optimizerReply } from './optimizer-role.js';
import { approxTokens, normaliseRecent } from './text.js';
import { resolveVariant } from './variants.js';

export interface SimCompletionInput {
  messages: ChatMessage[];
  temperature: number;
  topP?: number | undefined;
  maxTokens?: number | undefined;
  stop?: string[] | undefined;
  seed?: number | undefined;
  sampleIndex: number;
}

export interface SimCompletionOutput {
  text: string;
  usage: TokenUsage;
  finishReason: 'stop' | 'length';
}

export interface SimModelOptions {
  answerKey: AnswerKey;
  /** The model name after "sim:" ("default", "weak", "strong"). */
  variant?: string;
  /** Share of optimizer replies that are malformed on purpose (default 0.05). */
  malformedRate?: number | undefined;
}

export interface SimModel {
  /** Synchronous and fast: evaluation benchmarks call it thousands of times a second. */
  complete(input: SimCompletionInput): SimCompletionOutput;
}

const UNKNOWN_QUESTION_REPLY = 'The simulator does not know this question.';
const CACHE_LIMIT = 10_000;

interface PromptPair {
  features: PromptFeatures;
  hash: string;
}

/** A map emptied when full: enough for the few prompt pairs an evaluation batch shares. */
class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly limit: number) {}
  get(key: K): V | undefined {
    return this.entries.get(key);
  }
  set(key: K, value: V): void {
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, value);
  }
}

/** Throws for an unknown variant name, listing the known ones. */
export function createSimModel(options: SimModelOptions): SimModel {
  const variant = resolveVariant(options.variant);
  const malformedRate = options.malformedRate ?? DEFAULT_MALFORMED_RATE;
  // Evaluations send thousands of questions under the same prompts: normalise the system prompt,
  // detect behaviours and hash the pair once per pair, not once per question.
  const pairs = new BoundedCache<string, PromptPair>(CACHE_LIMIT);
  const pairOf = (normSystem: string, template: string): PromptPair => {
    const key = `${normSystem}\u0000${template}`;
    let pair = pairs.get(key);
    if (!pair) {
      pair = { features: promptFeatures(normSystem, template, detectBehaviours), hash: sha256Hex(key) };
      pairs.set(key, pair);
    }
    return pair;
  };

  const baseReply = (system: string, user: string, input: SimCompletionInput): string => {
    const normSystem = normaliseRecent(system);
    const normUser = normaliseRecent(user);
    const tagged = /<answer>/.test(normSystem) || /<answer>/.test(normUser);
    const entry = options.answerKey.lookup(user);
    if (!entry) return renderBaseResponse({ answer: UNKNOWN_QUESTION_REPLY, tagged, showReasoning: false });
    const template = normUser.replace(normaliseRecent(entry.question), '{question}');
    const { features, hash } = pairOf(normSystem, template);
    const sampling =
      input.temperature > 0
        ? [input.temperature, input.topP ?? 1, input.seed ?? '', input.sampleIndex].join('|')
        : 'greedy';
    const noiseKey = `${variant.name}|${hash}|${sampling}`;
    const { correct, seed } = drawCorrect(promptLogit(features, entry.domain, variant), {
      question: entry.question,
      noiseKey,
      temperature: input.temperature,
    });
    // A different stream from the same seed: the noise draw used the seed itself.
    const rng = createRng(seed ^ 0x9e3779b9);
    const answer = correct ? entry.answer : wrongAnswer(entry, rng);
    const slipped = tagged && rng() < variant.formatSlipRate;
    const showReasoning = features.system.has('step-by-step') || features.user.has('step-by-step');
    return renderBaseResponse({ answer, tagged: tagged && !slipped, showReasoning });
  };

  return {
    complete(input) {
      const system = input.messages
        .filter((m) => m.role === 'system')
        .map((m) => m.content)
        .join('\n');
      const user = input.messages.findLast((m) => m.role === 'user')?.content ?? '';
      const whole = `${system}\n${user}`;
      const replyTag = requestedReplyTag(whole);
      const raw = replyTag
        ? optimizerReply({
            request: parseMetaRequest(whole, replyTag),
            answerKey: options.answerKey,
            malformedRate,
            rng: createRng(
              seedFrom(
                'optimizer',
                variant.name,
                sha256Hex(JSON.stringify(input.messages)),
                input.seed ?? '',
                input.sampleIndex,
              ),
            ),
          })
        : baseReply(system, user, input);
      const { text, finishReason } = applyLimits(raw, input);
      const promptText = input.messages.map((m) => m.content).join('\n');
      return {
        text,
        finishReason,
        usage: { promptTokens: approxTokens(promptText), completionTokens: approxTokens(text) },
      };
    },
  };
}

/** Stop sequences cut the text (finish "stop"); past maxTokens it is truncated (finish "length"). */
function applyLimits(
  text: string,
  input: SimCompletionInput,
): { text: string; finishReason: 'stop' | 'length' } {
  let out = text;
  for (const stop of input.stop ?? []) {
    const at = stop === '' ? -1 : out.indexOf(stop);
    if (at !== -1) out = out.slice(0, at);
  }
  if (input.maxTokens !== undefined && approxTokens(out) > input.maxTokens) {
    return { text: out.slice(0, input.maxTokens * 4), finishReason: 'length' };
  }
  return { text: out, finishReason: 'stop' };
}
