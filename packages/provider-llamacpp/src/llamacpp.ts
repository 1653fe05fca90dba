import type {
  ChatMessage,
  LlamaCppSettings,
  ModelProvider,
  ProviderCallInput,
  ProviderCallOutput,
} from '@metaspo/schemas';
import { abortReason, seedFrom, untilAborted } from '@metaspo/service-kit';
import type { ChatHistoryItem, LlamaChatResponse } from 'node-llama-cpp';
import { type LlamaCppRuntime, loadLlamaCppRuntime, modelIdentity } from './llamacpp-runtime.js';
import { createSequenceSlots } from './llamacpp-slots.js';

export interface LlamaCppProviderOptions {
  /** A local GGUF file (downloads are `metaspo models pull`'s, never a call's). */
  model: string;
  /** How errors name the model: the caller's reference (default: the file path). */
  label?: string;
  /** Calls generating at once; further calls queue. Each one costs a context's worth of KV cache. */
  parallelSequences: number;
  /** Tokens per sequence; default: up to 4096, bounded by the model's training context and RAM. */
  contextSize?: number;
  /** CPU threads for generation; default: the machine's cores minus one (at least 1). */
  threads?: number;
  /** Default false: the CPU build. A GPU backend needs its prebuilt binary package installed. */
  gpu?: LlamaCppSettings['gpu'];
}

function toChatHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message): ChatHistoryItem => {
    if (message.role === 'system') return { type: 'system', text: message.content };
    if (message.role === 'user') return { type: 'user', text: message.content };
    return { type: 'model', response: [message.content] };
  });
  // The empty model turn is the one the model writes.
  history.push({ type: 'model', response: [] });
  return history;
}

function finishReasonOf(response: LlamaChatResponse): ProviderCallOutput['finishReason'] {
  switch (response.metadata.stopReason) {
    case 'maxTokens':
      return 'length';
    case 'eogToken':
    case 'stopGenerationTrigger':
    case 'customStopTrigger':
      return 'stop';
    default:
      return 'other';
  }
}

async function generate(runtime: LlamaCppRuntime, input: ProviderCallInput): Promise<ProviderCallOutput> {
  const { LlamaChat } = await import('node-llama-cpp');
  const history = toChatHistory(input.messages);
  const rendered = runtime.chatWrapper.generateContextState({ chatHistory: history }).contextText;
  const promptTokens = rendered.tokenize(runtime.model.tokenizer).length;
  // Generation must not run past the sequence: llama.cpp would otherwise shift the context and
  // silently drop the start of the prompt.
  const room = runtime.contextSize - promptTokens;
  if (room < 1) {
    throw new Error(
      `llamacpp: prompt has ${promptTokens} tokens but the context holds ${runtime.contextSize} per sequence`,
    );
  }
  const maxTokens = Math.min(input.maxTokens ?? room, room);
  // A fresh sequence per call: no state from an earlier call can leak into this one.
  const sequence = runtime.context.getSequence();
  const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: runtime.chatWrapper });
  try {
    const response = await chat.generateResponse(history, {
      signal: input.signal,
      stopOnAbortSignal: false,
      maxTokens,
      temperature: input.temperature,
      ...(input.topP !== undefined ? { topP: input.topP } : {}),
      // Distinct samples of one prompt get distinct, reproducible seeds.
      ...(input.seed !== undefined ? { seed: seedFrom(input.seed, input.sampleIndex) } : {}),
      ...(input.stop && input.stop.length > 0 ? { customStopTriggers: input.stop } : {}),
    });
    return {
      text: response.response,
      usage: { promptTokens, completionTokens: sequence.tokenMeter.usedOutputTokens },
      finishReason: finishReasonOf(response),
    };
  } catch (error) {
    throw input.signal.aborted ? abortReason(input.signal) : error;
  } finally {
    chat.dispose();
    // The context reclaims a sequence id asynchronously; the caller's slot is released only
    // after that, so the next call always finds a free sequence.
    await sequence.dispose();
  }
}

export interface LlamaCppProvider extends ModelProvider {
  /** Calls holding a sequence, and calls queued for one (what the tests observe). */
  readonly sequences: { readonly busy: number; readonly waiting: number };
}

/**
 * Embedded inference through node-llama-cpp. The model is loaded on the first call (not at
 * construction) and shared by every call; at most `parallelSequences` calls generate at once,
 * each in its own sequence of one shared context.
 */
export function createLlamaCppProvider(options: LlamaCppProviderOptions): LlamaCppProvider {
  const slots = createSequenceSlots(options.parallelSequences);
  let runtime: Promise<LlamaCppRuntime> | undefined;
  let closed = false;

  const loadedRuntime = (): Promise<LlamaCppRuntime> => {
    if (!runtime) {
      const loading = loadLlamaCppRuntime(options);
      // A failed load (missing file, interrupted download) is retried by the next call.
      loading.catch(() => {
        if (runtime === loading) runtime = undefined;
      });
      runtime = loading;
    }
    return runtime;
  };

  const closedError = () => new Error(`llamacpp: provider for ${options.label ?? options.model} is closed`);

  return {
    provider: 'llamacpp',
    endpointId: `llamacpp:${modelIdentity(options.model)}`,
    sequences: slots,

    async complete(input) {
      if (closed) throw closedError();
      const ready = await untilAborted(loadedRuntime(), input.signal);
      const release = await slots.acquire(input.signal);
      try {
        if (closed) throw closedError();
        return await generate(ready, input);
      } finally {
        release();
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      slots.rejectWaiting(closedError());
      const loading = runtime;
      runtime = undefined;
      if (!loading) return;
      const loaded = await loading.catch(() => undefined);
      await loaded?.dispose();
    },
  };
}
