import {
  type AnswerKey,
  createAnswerKey,
  createSimModel,
  createTimeSlicer,
  type SimModel,
  type TimeSlicer,
} from '@metaspo/simulator';
import { cancelled, LlmCallError } from '../errors.js';
import type { ModelProvider, ProviderCallInput, ProviderCallOutput } from './types.js';

/** Where the sim provider reads the answer key; the composition root may load it after start. */
export interface AnswerKeyHolder {
  current(): AnswerKey | undefined;
  /** Bumped on every change so models built on an older key are rebuilt. */
  version(): number;
  /** Loads the key first if a loader is attached and the question is unknown. */
  ensureFor(messages: ProviderCallInput['messages']): Promise<void>;
}

/**
 * The synthetic model of `@metaspo/simulator`, in process: no HTTP, no timers, so the
 * gateway's own overhead (cache, ledger, scheduler) is all that a batch through it measures.
 * Its answers come in microtasks, so a time slicer gives the event loop a turn every few
 * milliseconds: a server running a sim run still answers its other requests.
 */
export function createSimProvider(options: {
  answerKeys: AnswerKeyHolder;
  malformedRate?: number;
  slicer?: TimeSlicer;
}): ModelProvider {
  const slicer = options.slicer ?? createTimeSlicer();
  const models = new Map<string, { version: number; model: SimModel }>();
  const empty = createAnswerKey([]);
  const modelFor = (variant: string): SimModel => {
    const version = options.answerKeys.version();
    const known = models.get(variant);
    if (known && known.version === version) return known.model;
    let model: SimModel;
    try {
      model = createSimModel({
        answerKey: options.answerKeys.current() ?? empty,
        variant,
        ...(options.malformedRate === undefined ? {} : { malformedRate: options.malformedRate }),
      });
    } catch (error) {
      throw new LlmCallError({
        kind: 'config',
        provider: 'sim',
        model: `sim:${variant}`,
        message: error instanceof Error ? error.message : String(error),
      });
    }
    models.set(variant, { version, model });
    return model;
  };
  return {
    provider: 'sim',
    endpointId: 'sim:in-process',
    async complete(input): Promise<ProviderCallOutput> {
      await options.answerKeys.ensureFor(input.messages);
      const reply = await slicer.run(() => {
        // Checked after a possible wait: the call may have been cancelled meanwhile.
        if (input.signal.aborted) throw cancelled('the sim call');
        return modelFor(input.model).complete({
          messages: input.messages,
          temperature: input.temperature,
          topP: input.topP,
          maxTokens: input.maxTokens,
          stop: input.stop,
          seed: input.seed,
          sampleIndex: input.sampleIndex,
        });
      });
      return { text: reply.text, usage: reply.usage, finishReason: reply.finishReason };
    },
  };
}
