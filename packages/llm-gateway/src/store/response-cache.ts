import type { CacheStats } from '@metaspo/schemas';
import type Database from 'better-sqlite3';
import type { ProviderCallOutput } from '../providers/types.js';
import type { WriteQueue } from './write-queue.js';

export interface ResponseCache {
  get(key: string): ProviderCallOutput | undefined;
  /** Whether an entry is stored or queued, without counting a hit or a miss. */
  has(key: string): boolean;
  put(key: string, model: string, output: ProviderCallOutput): void;
  /** Removes every entry, or only those of one model reference. */
  clear(model?: string): number;
  noteCoalesced(): void;
  /** Entries on disk; hits, misses, writes and coalesced calls since this process started. */
  stats(): CacheStats;
}

interface CacheRow {
  text: string;
  prompt_tokens: number;
  completion_tokens: number;
  finish_reason: ProviderCallOutput['finishReason'];
}

/**
 * The response cache on the gateway's SQLite file. Writes go through the write-behind queue;
 * entries still in the queue are served from memory so a hit never depends on flush timing.
 * Every hit is a fresh object, so a caller mutating its result cannot change the cache.
 */
export function createResponseCache(sqlite: Database.Database, queue: WriteQueue): ResponseCache {
  const select = sqlite.prepare<[string], CacheRow>(
    'SELECT text, prompt_tokens, completion_tokens, finish_reason FROM cache_entries WHERE key = ?',
  );
  const upsert = sqlite.prepare(
    `INSERT INTO cache_entries (key, model, text, prompt_tokens, completion_tokens, finish_reason, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET text = excluded.text, prompt_tokens = excluded.prompt_tokens,
       completion_tokens = excluded.completion_tokens, finish_reason = excluded.finish_reason,
       created_at = excluded.created_at`,
  );
  const count = sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM cache_entries');
  const deleteAll = sqlite.prepare('DELETE FROM cache_entries');
  const deleteModel = sqlite.prepare('DELETE FROM cache_entries WHERE model = ?');
  const pending = new Map<string, ProviderCallOutput>();
  const counters = { hits: 0, misses: 0, writes: 0, coalesced: 0 };

  const copy = (o: ProviderCallOutput): ProviderCallOutput => ({
    text: o.text,
    usage: { promptTokens: o.usage.promptTokens, completionTokens: o.usage.completionTokens },
    finishReason: o.finishReason,
  });

  return {
    has(key) {
      return pending.has(key) || select.get(key) !== undefined;
    },
    get(key) {
      const queued = pending.get(key);
      if (queued) {
        counters.hits += 1;
        return copy(queued);
      }
      const row = select.get(key);
      if (!row) {
        counters.misses += 1;
        return undefined;
      }
      counters.hits += 1;
      return {
        text: row.text,
        usage: { promptTokens: row.prompt_tokens, completionTokens: row.completion_tokens },
        finishReason: row.finish_reason,
      };
    },
    put(key, model, output) {
      const stored = copy(output);
      pending.set(key, stored);
      counters.writes += 1;
      const params = [
        key,
        model,
        stored.text,
        stored.usage.promptTokens,
        stored.usage.completionTokens,
        stored.finishReason,
        Date.now(),
      ];
      queue.add(upsert, params, () => {
        if (pending.get(key) === stored) pending.delete(key);
      });
    },
    clear(model) {
      queue.flush();
      pending.clear();
      return (model === undefined ? deleteAll.run() : deleteModel.run(model)).changes;
    },
    noteCoalesced() {
      counters.coalesced += 1;
    },
    stats() {
      queue.flush();
      return { entries: count.get()?.n ?? 0, ...counters };
    },
  };
}
