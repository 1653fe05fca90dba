import {
  type ModelProvider,
  type ProviderCallOutput,
  ProviderError,
  type ProviderFactory,
} from '@metaspo/schemas';
import { createAnswerKey } from '../answer-key.js';
import { createSimModel, type SimModel } from '../sim-model.js';
import { createTimeSlicer, type TimeSlicer } from '../time-slice.js';
import { SIM_VARIANTS } from '../variants.js';
import { type AnswerKeyHolder, AnswerKeys } from './answer-keys.js';

/** The in-process simulator has no server to protect; its limit only bounds memory. */
const SIM_CONCURRENCY = 1_024;

/**
 * The synthetic model, in process: no HTTP, no timers, so the gateway's own overhead (cache,
 * ledger, scheduler) is all that a batch through it measures. Its answers come in microtasks,
 * so a time slicer gives the event loop a turn every few milliseconds: a server running a sim
 * run still answers its other requests.
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
      throw new ProviderError({
        kind: 'config',
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
        if (input.signal.aborted)
          throw new ProviderError({ kind: 'cancelled', message: 'the sim call was cancelled' });
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

export interface SimProviderFactoryOptions {
  /** Where `sim:` models read their answer key (default: an empty holder). */
  answerKeys?: AnswerKeys | undefined;
  /** Replaces the default time slicer (tests pass one that yields on every call). */
  slicer?: TimeSlicer | undefined;
}

/** Registers `sim:<variant>` with the gateway: one in-process endpoint, limits from `llm.providers.sim`. */
export function createSimProviderFactory(options: SimProviderFactoryOptions = {}): ProviderFactory {
  const answerKeys = options.answerKeys ?? new AnswerKeys();
  return {
    provider: 'sim',
    plan(_ref, { config }) {
      const settings = config.providers.sim;
      return {
        ok: true,
        key: 'sim:in-process',
        limits: { concurrency: SIM_CONCURRENCY, ...settings },
        build: () =>
          createSimProvider({
            answerKeys,
            ...(settings?.malformedRate === undefined ? {} : { malformedRate: settings.malformedRate }),
            ...(options.slicer === undefined ? {} : { slicer: options.slicer }),
          }),
      };
    },
    // The simulator builds its model on the first call; an unknown variant would fail every call.
    modelProblem: (ref) =>
      Object.hasOwn(SIM_VARIANTS, ref.model)
        ? undefined
        : `unknown simulator model "${ref.model}": expected one of ${Object.keys(SIM_VARIANTS)
            .map((v) => `sim:${v}`)
            .join(', ')}`,
    check: async () => ({ state: 'ready', detail: 'the simulator runs in this process', latencyMs: null }),
    loaded: () => answerKeys.loaded,
  };
}
