import type { ChatMessage } from '@metaspo/schemas';
import type { AnswerKey } from '../answer-key.js';
import { requestedReplyTag } from '../meta-request.js';

/**
 * Loads the current key. A loader returns the very key it returned before when the registry's
 * answers did not change, so that a reload leaves the models built on it in place.
 */
export type AnswerKeyLoader = () => Promise<AnswerKey>;

/** Where the sim provider reads the answer key; the composition root may load it after start. */
export interface AnswerKeyHolder {
  current(): AnswerKey | undefined;
  /** Bumped on every change of key so models built on an older key are rebuilt. */
  version(): number;
  /** Loads the key first if a loader is attached and the question is unknown. */
  ensureFor(messages: ChatMessage[]): Promise<void>;
}

/** How often a question missing from the key may trigger a reload (tasks imported meanwhile). */
const RELOAD_AFTER_MISS_MS = 2_000;

/**
 * The answer key the `sim:` provider answers from. The composition root either sets a key or
 * attaches a loader (the dataset registry, possibly over HTTP); the loader runs before the
 * first sim call and again, at most every couple of seconds and coalesced, when a benchmark
 * question is not in the key, since tasks can be imported while the gateway runs. An optimizer
 * request is no benchmark question: it is answered from the key as it is.
 */
export class AnswerKeys implements AnswerKeyHolder {
  private key: AnswerKey | undefined;
  private loader: AnswerKeyLoader | undefined;
  private loading: Promise<void> | null = null;
  private lastLoadAt = Number.NEGATIVE_INFINITY;
  private changes = 0;
  private readonly now: () => number;

  /** `now` is the clock of the reload window (tests pass their own). */
  constructor(initial?: AnswerKey, options: { now?: () => number } = {}) {
    this.key = initial;
    this.now = options.now ?? (() => performance.now());
  }

  current(): AnswerKey | undefined {
    return this.key;
  }
  version(): number {
    return this.changes;
  }
  get loaded(): boolean {
    return this.key !== undefined;
  }

  /** Setting the key already held changes nothing, not even the version. */
  set(key: AnswerKey): void {
    if (key === this.key) return;
    this.key = key;
    this.changes += 1;
  }

  setLoader(loader: AnswerKeyLoader): void {
    this.loader = loader;
    this.lastLoadAt = Number.NEGATIVE_INFINITY;
  }

  /** Loads or reloads the key if the last user message asks a benchmark question it does not know. */
  async ensureFor(messages: ChatMessage[]): Promise<void> {
    if (!this.loader) return;
    if (this.key) {
      const question = messages.findLast((m) => m.role === 'user')?.content;
      if (question === undefined || this.key.lookup(question)) return;
      if (this.now() - this.lastLoadAt < RELOAD_AFTER_MISS_MS) return;
      if (isOptimizerRequest(messages)) return;
    }
    this.loading ??= this.reload();
    await this.loading;
  }

  private async reload(): Promise<void> {
    const loader = this.loader;
    try {
      if (loader) this.set(await loader());
    } finally {
      this.lastLoadAt = this.now();
      this.loading = null;
    }
  }
}

/** The request shape the model answers in the optimizer role (see `createSimModel`). */
function isOptimizerRequest(messages: ChatMessage[]): boolean {
  const system = messages
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n');
  const user = messages.findLast((m) => m.role === 'user')?.content ?? '';
  return requestedReplyTag(`${system}\n${user}`) !== null;
}
