import type { IncomingHttpHeaders } from 'node:http';

/** Response headers as the Fetch API reads them (lower-case names, repeated values joined). */
class BufferedHeaders {
  private readonly byName = new Map<string, string>();

  constructor(raw: IncomingHttpHeaders) {
    for (const name in raw) {
      const value = raw[name];
      if (value !== undefined) this.byName.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }

  get(name: string): string | null {
    return this.byName.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, value] of this.byName) callback(value, name);
  }
  entries(): IterableIterator<[string, string]> {
    return this.byName.entries();
  }
  keys(): IterableIterator<string> {
    return this.byName.keys();
  }
  values(): IterableIterator<string> {
    return this.byName.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.byName.entries();
  }
}

/** Stateless without `stream`: one decoder serves every response. */
const utf8 = new TextDecoder();

/**
 * The read side of a Fetch API Response over a body already in memory: what the AI SDK's
 * response handlers use (status, headers, the body's reader, text and json). A real Response
 * wraps the bytes in a web stream and costs about a tenth of the gateway's CPU per call.
 */
export class BufferedResponse {
  readonly headers: BufferedHeaders;
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  private used = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    headers: IncomingHttpHeaders,
    private readonly content: Uint8Array | null,
  ) {
    this.headers = new BufferedHeaders(headers);
    this.ok = status >= 200 && status < 300;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  /** A reader that yields the whole body as one chunk. */
  get body(): { getReader(): BufferedBodyReader } | null {
    if (this.content === null) return null;
    return { getReader: () => new BufferedBodyReader(this.consume()) };
  }

  async bytes(): Promise<Uint8Array> {
    return this.consume();
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.consume();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  async text(): Promise<string> {
    return utf8.decode(this.consume());
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  private consume(): Uint8Array {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.content ?? new Uint8Array(0);
  }
}

class BufferedBodyReader {
  private pending: Uint8Array | undefined;

  constructor(bytes: Uint8Array) {
    this.pending = bytes.byteLength > 0 ? bytes : undefined;
  }

  async read(): Promise<{ done: true; value: undefined } | { done: false; value: Uint8Array }> {
    const chunk = this.pending;
    this.pending = undefined;
    return chunk ? { done: false, value: chunk } : { done: true, value: undefined };
  }
  async cancel(): Promise<void> {
    this.pending = undefined;
  }
  releaseLock(): void {}
}
