import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError, onAbort, redactSecrets } from '@metaspo/service-kit';

export interface PullProgress {
  receivedBytes: number;
  /** From content-length; undefined when the server does not say. */
  totalBytes: number | undefined;
}

export interface PullModelOptions {
  /** `hf:<user>/<repo>/<path>.gguf` or an http(s) URL of a `.gguf` file (a `llamacpp:` prefix is allowed). */
  ref: string;
  /** Where the file is saved (created if needed): normally `llm.llamacpp.modelsDir`. */
  dir: string;
  /** A larger file is refused before it is downloaded, or stopped as soon as it passes the limit. */
  maxBytes: number;
  /** Replace a file of the same name; otherwise it is refused. */
  overwrite?: boolean;
  onProgress?: (progress: PullProgress) => void;
  signal?: AbortSignal;
  /** HF_ENDPOINT (another Hugging Face host) and HF_TOKEN (gated repositories, sent only to it). */
  env?: NodeJS.ProcessEnv;
}

export interface PulledModel {
  file: string;
  /** What to write after `llamacpp:` when the file is under `llm.llamacpp.modelsDir`. */
  fileName: string;
  bytes: number;
}

const MODEL_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.gguf$/i;

function invalid(message: string): DomainError {
  return new DomainError('INVALID_INPUT', message);
}

/** The URL to fetch, the headers to send and the file name to save as. */
export function pullSource(ref: string, env: NodeJS.ProcessEnv = process.env) {
  const uri = ref.replace(/^llamacpp:/, '');
  let url: URL;
  const headers: Record<string, string> = {};
  if (uri.startsWith('hf:')) {
    const parts = uri.slice(3).split('/');
    if (parts.length < 3 || parts.some((part) => part === '' || part === '.' || part === '..')) {
      throw invalid(`${ref}: expected hf:<user>/<repo>/<file>.gguf`);
    }
    const [user, repo, ...file] = parts;
    const host = (env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
    url = new URL(`${host}/${user}/${repo}/resolve/main/${file.map(encodeURIComponent).join('/')}`);
    if (env.HF_TOKEN) headers.authorization = `Bearer ${env.HF_TOKEN}`;
  } else {
    try {
      url = new URL(uri);
    } catch {
      throw invalid(`${ref}: expected hf:<user>/<repo>/<file>.gguf or an http(s) URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw invalid(`${ref}: only http(s) URLs and hf: references can be pulled`);
    }
    if (url.username || url.password) throw invalid(`${ref}: a URL with credentials is refused`);
  }
  const fileName = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
  if (!MODEL_FILE_NAME.test(fileName)) {
    throw invalid(`${ref}: the file name must end in .gguf and use letters, digits, _ . and -`);
  }
  return { url, headers, fileName };
}

/**
 * Downloads one GGUF model into `dir`, the one way a URL or `hf:` reference reaches the network
 * (model references in API calls only name local files). Written to `<name>.part` and renamed
 * once complete and checked to start with the GGUF magic, so a failed or stopped download
 * never leaves a file that looks loadable.
 */
export async function pullModel(options: PullModelOptions): Promise<PulledModel> {
  const { url, headers, fileName } = pullSource(options.ref, options.env);
  const file = path.join(path.resolve(options.dir), fileName);
  await fs.mkdir(path.dirname(file), { recursive: true });
  if (!options.overwrite && (await fs.stat(file).catch(() => undefined))) {
    throw new DomainError('CONFLICT', `${file} already exists (pass --force to replace it)`);
  }
  // Aborted by the caller, or by the size check: ends the connection, not only the stream.
  const download = new AbortController();
  // onAbort also covers a signal aborted before the pull began: nothing is downloaded then.
  const stopListening = onAbort(options.signal, () => download.abort(options.signal?.reason));
  try {
    return await fetchInto(options, { url, headers, fileName, file, download });
  } finally {
    stopListening();
  }
}

async function fetchInto(
  options: PullModelOptions,
  target: {
    url: URL;
    headers: Record<string, string>;
    fileName: string;
    file: string;
    download: AbortController;
  },
): Promise<PulledModel> {
  const { url, headers, fileName, file, download } = target;
  const partial = `${file}.part`;
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: 'follow', signal: download.signal });
  } catch (error) {
    const reason =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new DomainError('UPSTREAM', redactSecrets(`${options.ref}: cannot reach ${url.host}: ${reason}`));
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new DomainError('UPSTREAM', `${options.ref}: ${url.host} answered HTTP ${response.status}`);
  }
  const length = Number(response.headers.get('content-length'));
  const totalBytes = Number.isFinite(length) && length > 0 ? length : undefined;
  if (totalBytes !== undefined && totalBytes > options.maxBytes) {
    await response.body.cancel();
    throw tooLarge(options, `is ${totalBytes} bytes`);
  }
  let receivedBytes = 0;
  const body = Readable.from(chunksOf(response.body));
  body.on('data', (chunk: Uint8Array) => {
    receivedBytes += chunk.length;
    if (receivedBytes > options.maxBytes) {
      body.destroy(tooLarge(options, `passed ${options.maxBytes} bytes`));
      download.abort();
    } else options.onProgress?.({ receivedBytes, totalBytes });
  });
  try {
    await pipeline(body, createWriteStream(partial));
    await checkMagic(partial, options.ref);
    await fs.rename(partial, file);
  } catch (error) {
    await fs.rm(partial, { force: true });
    throw error instanceof DomainError
      ? error
      : new DomainError(
          'UPSTREAM',
          `${options.ref}: download failed: ${error instanceof Error ? error.message : String(error)}`,
        );
  }
  return { file, fileName, bytes: receivedBytes };
}

function tooLarge(options: PullModelOptions, what: string): DomainError {
  return invalid(
    `${options.ref}: the file ${what}, over the limit of ${options.maxBytes} bytes (llm.llamacpp.pullMaxBytes or --max-bytes)`,
  );
}

async function checkMagic(file: string, ref: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    const magic = Buffer.alloc(4);
    await handle.read(magic, 0, 4, 0);
    if (magic.toString('latin1') !== 'GGUF') throw invalid(`${ref}: the downloaded file is not a GGUF model`);
  } finally {
    await handle.close();
  }
}

/**
 * A response body's chunks. Readable.fromWeb would do, but its parameter is Node's own
 * ReadableStream type, which the DOM's (seen by the admin app's typecheck) does not satisfy.
 */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
