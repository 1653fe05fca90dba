import type { SkippedRecords, Split } from '@metaspo/schemas';
import type { LoadedFile } from './parse.js';

/** A record read from a source, before its gold answer is made canonical. */
export interface DraftExample {
  file: string;
  location: string;
  /** Field the gold came from, named when the gold is refused. */
  goldField: string;
  /** null: the source has no split for it, so the seeded split decides. */
  split: Split | null;
  question: string;
  gold: unknown;
  options?: string[];
}

export interface ImporterOutput {
  drafts: DraftExample[];
  /** Records parsed from the files before any filtering. */
  recordsRead: number;
  skipped: SkippedRecords[];
}

/** Files of one task, by the role the catalog gives them (train, test, all, labels:train...). */
export interface SourceFiles {
  get(role: string): LoadedFile;
  all(prefix: string): LoadedFile[];
  maxBytes: number;
}

export type Importer = (files: SourceFiles) => ImporterOutput;

const MAX_LISTED_RECORDS = 10;

/** Collects records left out on purpose, grouped by reason, with the first few locations. */
export class SkipCollector {
  private readonly byReason = new Map<string, SkippedRecords>();

  add(reason: string, file: string, location: string): void {
    const entry = this.byReason.get(reason) ?? { reason, count: 0, records: [] };
    entry.count += 1;
    if (entry.records.length < MAX_LISTED_RECORDS) entry.records.push(`${file} ${location}`);
    this.byReason.set(reason, entry);
  }

  get total(): number {
    let sum = 0;
    for (const entry of this.byReason.values()) sum += entry.count;
    return sum;
  }

  list(): SkippedRecords[] {
    return [...this.byReason.values()];
  }
}
