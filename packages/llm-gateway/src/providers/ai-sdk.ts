import type {
  ChatMessage,
  ModelProvider,
  Provider,
  ProviderCallInput,
  ProviderCallOutput,
} from '@metaspo/schemas';
import { seedFrom } from '@metaspo/service-kit';
import type { LanguageModel } from 'ai';
import { classifyProviderError } from '../errors.js';

/** The provider packages' language-model interface (LanguageModelV3 of @ai-sdk/provider). */
export type ProviderLanguageModel = Extract<LanguageModel, { specificationVersion: 'v3' }>;
type CallOptions = Parameters<ProviderLanguageModel['doGenerate']>[0];
type GenerateResult = Awaited<ReturnType<ProviderLanguageModel['doGenerate']>>;

const FINISH_REASONS = new Set<string>(['stop', 'length', 'content-filter', 'error', 'other']);

/**
 * Samples at temperature > 0 must be distinct and replayable: the sample index becomes the
 * provider's sampling seed (combined with the caller's seed), so nine candidates from one
 * meta-prompt are nine different requests on the wire, and the same nine again on resume.
 */
export function samplingSeed(
  input: Pick<ProviderCallInput, 'seed' | 'sampleIndex' | 'temperature'>,
): number | undefined {
  if (input.temperature === 0 || input.sampleIndex === 0) return input.seed;
  return seedFrom(input.seed ?? 0, input.sampleIndex) & 0x7fffffff;
}

/** The same prompt `generateText` would build from string messages, without its zod passes. */
function toProviderPrompt(messages: ChatMessage[]): CallOptions['prompt'] {
  return messages.map((m) =>
    m.role === 'system'
      ? { role: 'system', content: m.content }
      : { role: m.role, content: [{ type: 'text', text: m.content }] },
  );
}

function toCallOptions(input: ProviderCallInput): CallOptions {
  const seed = samplingSeed(input);
  return {
    prompt: toProviderPrompt(input.messages),
    temperature: input.temperature,
    ...(input.topP === undefined ? {} : { topP: input.topP }),
    ...(input.maxTokens === undefined ? {} : { maxOutputTokens: input.maxTokens }),
    ...(input.stop === undefined ? {} : { stopSequences: input.stop }),
    ...(seed === undefined ? {} : { seed }),
    abortSignal: input.signal,
  };
}

/** Text parts joined, unified finish reason (tool calls count as 'other'), token totals. */
function fromGenerateResult(result: GenerateResult): ProviderCallOutput {
  let text = '';
  for (const part of result.content) if (part.type === 'text') text += part.text;
  const finish = result.finishReason.unified;
  return {
    text,
    usage: {
      promptTokens: result.usage.inputTokens.total ?? 0,
      completionTokens: result.usage.outputTokens.total ?? 0,
    },
    finishReason: FINISH_REASONS.has(finish) ? (finish as ProviderCallOutput['finishReason']) : 'other',
  };
}

/**
 * A provider reached through an AI SDK provider package. The gateway calls the package's
 * language model directly (`doGenerate`) rather than `generateText`: for one plain-text
 * completion `generateText` only adds per-call schema validation (measured as about half the
 * gateway's CPU per request), retries the scheduler already owns, and warning logs. Without
 * it there are no SDK retries: the scheduler owns retries, backoff and `retry-after`, and sees
 * every failure. Provider warnings (an unsupported setting, say) are ignored, not printed.
 */
export function createAiSdkProvider(options: {
  provider: Provider;
  endpointId: string;
  languageModel: (model: string) => ProviderLanguageModel;
}): ModelProvider {
  const models = new Map<string, ProviderLanguageModel>();
  const modelFor = (name: string) => {
    let model = models.get(name);
    if (!model) {
      model = options.languageModel(name);
      models.set(name, model);
    }
    return model;
  };
  return {
    provider: options.provider,
    endpointId: options.endpointId,
    async complete(input: ProviderCallInput): Promise<ProviderCallOutput> {
      try {
        return fromGenerateResult(await modelFor(input.model).doGenerate(toCallOptions(input)));
      } catch (error) {
        throw classifyProviderError(error, { provider: options.provider, model: input.model });
      }
    },
  };
}
