import type { ChatMessage, Provider } from '@metaspo/schemas';
import { seedFrom } from '@metaspo/service-kit';
import { generateText, type LanguageModel, type ModelMessage } from 'ai';
import { classifyProviderError } from '../errors.js';
import type { ModelProvider, ProviderCallInput, ProviderCallOutput } from './types.js';

const FINISH_REASONS = new Set<ProviderCallOutput['finishReason']>([
  'stop',
  'length',
  'content-filter',
  'error',
  'other',
]);

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

/*
 * The SDK prints provider warnings (an unsupported setting, say) with console.warn on every
 * call, which floods a batch of thousands; the gateway turns them off unless the host process
 * chose its own logger. System messages are allowed per call below (allowSystemInMessages).
 */
globalThis.AI_SDK_LOG_WARNINGS ??= false;

function toModelMessages(messages: ChatMessage[]): ModelMessage[] {
  return messages.map((m) => ({ role: m.role, content: m.content }));
}

/**
 * A provider reached through the AI SDK. The SDK's own retries are off (maxRetries 0): the
 * gateway's scheduler owns retries, backoff and `retry-after`, and sees every failure.
 */
export function createAiSdkProvider(options: {
  provider: Provider;
  endpointId: string;
  languageModel: (model: string) => LanguageModel;
}): ModelProvider {
  const models = new Map<string, LanguageModel>();
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
      const seed = samplingSeed(input);
      try {
        const result = await generateText({
          model: modelFor(input.model),
          messages: toModelMessages(input.messages),
          // The platform writes its own system prompts (that is what it optimizes).
          allowSystemInMessages: true,
          temperature: input.temperature,
          ...(input.topP === undefined ? {} : { topP: input.topP }),
          ...(input.maxTokens === undefined ? {} : { maxOutputTokens: input.maxTokens }),
          ...(input.stop === undefined ? {} : { stopSequences: input.stop }),
          ...(seed === undefined ? {} : { seed }),
          maxRetries: 0,
          abortSignal: input.signal,
        });
        const finish = result.finishReason as ProviderCallOutput['finishReason'];
        return {
          text: result.text,
          usage: {
            promptTokens: result.usage.inputTokens ?? 0,
            completionTokens: result.usage.outputTokens ?? 0,
          },
          finishReason: FINISH_REASONS.has(finish) ? finish : 'other',
        };
      } catch (error) {
        throw classifyProviderError(error, { provider: options.provider, model: input.model });
      }
    },
  };
}
