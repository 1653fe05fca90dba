import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { ChatWrapper, Llama, LlamaContext, LlamaLogLevel, LlamaModel } from 'node-llama-cpp';
import { tensorSizeProblems } from './llamacpp-preflight.js';

/** Everything one loaded GGUF model needs to serve calls; built once per provider and shared. */
export interface LlamaCppRuntime {
  readonly modelPath: string;
  readonly llama: Llama;
  readonly model: LlamaModel;
  /** One context holding `parallelSequences` independent sequences. */
  readonly context: LlamaContext;
  readonly chatWrapper: ChatWrapper;
  /** Tokens per sequence (llama.cpp may round the requested size up). */
  readonly contextSize: number;
  dispose(): Promise<void>;
}

export interface LoadRuntimeOptions {
  /** A local GGUF file. */
  model: string;
  /** How errors name the model (the caller's reference); default: the file path. */
  label?: string | undefined;
  parallelSequences: number;
  contextSize?: number | undefined;
  threads?: number | undefined;
  /** Default false: the CPU build. A GPU backend needs its prebuilt binary package installed. */
  gpu?: false | 'auto' | 'cuda' | 'vulkan' | 'metal' | undefined;
}

/** Used when the caller sets no context size: enough for prompt optimisation, bounded in memory. */
const DEFAULT_MAX_CONTEXT_SIZE = 4096;
const KEPT_LOG_LINES = 20;

/** The stable identity of the model: its absolute file path. */
export function modelIdentity(model: string): string {
  return path.resolve(model);
}

/**
 * node-llama-cpp's default (at least 4) oversubscribes small machines, and ggml's worker threads
 * spin at barriers: on a busy 2-core host generation then crawls. One core is left to Node's event
 * loop (HTTP, SQLite, tokenization).
 */
function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * node-llama-cpp's parse errors quote the bytes they found ("expected GGUF but got ..."), which
 * would hand the start of any file to whoever named it; only the kind of problem is reported.
 */
async function readMetadata(
  nlc: typeof import('node-llama-cpp'),
  modelPath: string,
  label: string,
): Promise<unknown> {
  const notGguf = (what: string, cause: unknown) =>
    new Error(`llamacpp: cannot read model ${label} as GGUF: ${what}`, { cause });
  const magic = Buffer.alloc(4);
  try {
    const handle = await fs.open(modelPath, 'r');
    try {
      await handle.read(magic, 0, 4, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw notGguf(`cannot open it (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  if (magic.toString('latin1') !== 'GGUF')
    throw notGguf('the file does not start with the GGUF magic', undefined);
  try {
    const info = await nlc.readGgufFileInfo(modelPath, { readTensorInfo: false, logWarnings: false });
    return info.metadata;
  } catch (error) {
    throw notGguf(`its header cannot be parsed (${error instanceof Error ? error.name : 'error'})`, error);
  }
}

/**
 * Loads llama.cpp (the CPU build unless `gpu` says otherwise; prebuilt binaries only: never
 * builds or downloads llama.cpp at run time), the model and one multi-sequence context. llama.cpp explains a refused model only in its
 * log, so the last warnings are kept and appended to a load error.
 */
export async function loadLlamaCppRuntime(options: LoadRuntimeOptions): Promise<LlamaCppRuntime> {
  const nlc = await import('node-llama-cpp');
  const recentLog: string[] = [];
  const logger = (level: LlamaLogLevel, message: string) => {
    recentLog.push(`[${level}] ${message.trim()}`);
    if (recentLog.length > KEPT_LOG_LINES) recentLog.shift();
    process.stderr.write(`llamacpp ${level}: ${message.trimEnd()}\n`);
  };
  const modelPath = path.resolve(options.model);
  const label = options.label ?? modelPath;
  if (!existsSync(modelPath)) throw new Error(`llamacpp: model file not found: ${label}`);
  const problems = tensorSizeProblems(await readMetadata(nlc, modelPath, label));
  if (problems.length > 0) {
    throw new Error(
      `llamacpp: cannot load model ${label}: ${problems.join('; ')} (each must be a whole number of at least 1)`,
    );
  }
  const llama = await nlc.getLlama({
    gpu: options.gpu ?? false,
    build: 'never',
    skipDownload: true,
    progressLogs: false,
    logLevel: nlc.LlamaLogLevel.warn,
    logger,
    maxThreads: options.threads ?? defaultThreads(),
  });
  let model: LlamaModel | undefined;
  try {
    model = await llama.loadModel({ modelPath });
    const context = await model.createContext({
      sequences: options.parallelSequences,
      contextSize: options.contextSize ?? { max: DEFAULT_MAX_CONTEXT_SIZE },
    });
    const loadedModel = model;
    const hasChatTemplate = typeof model.fileInfo.metadata.tokenizer?.chat_template === 'string';
    // With a template, resolveChatWrapper renders it (or an equivalent built-in wrapper); without
    // one, a plain transcript format rather than a guess from the file name.
    const chatWrapper = hasChatTemplate ? nlc.resolveChatWrapper(model) : new nlc.GeneralChatWrapper();
    return {
      modelPath,
      llama,
      model,
      context,
      chatWrapper,
      contextSize: context.contextSize,
      async dispose() {
        await context.dispose();
        await loadedModel.dispose();
        await llama.dispose();
      },
    };
  } catch (error) {
    await model?.dispose();
    await llama.dispose();
    const detail = recentLog.length > 0 ? `; llama.cpp said: ${recentLog.join(' | ')}` : '';
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`llamacpp: cannot load model ${label}: ${message}${detail}`, { cause: error });
  }
}
