import type {
  ComponentCorpus,
  PinnedSource,
  ReferenceSystemPrompt,
  ReferenceUserPrompts,
} from '@metaspo/schemas';
import { FIXED_SYSTEM_PROMPT_LABELS } from '@metaspo/schemas';
import { eq } from 'drizzle-orm';
import { protocolAssets } from '../db/schema.js';
import type { DatasetsDb } from '../store.js';

export type ProtocolAssetRow = typeof protocolAssets.$inferSelect;

const sourceOf = (row: ProtocolAssetRow): PinnedSource => ({
  repository: row.repository,
  commit: row.commit,
  path: row.path,
  sha256: row.sha256,
});

/** The protocol files as stored by `fetch`, read back in the shapes of the DatasetsClient port. */
export function createProtocolStore(database: DatasetsDb) {
  const { db, sqlite } = database;
  const row = (id: string) => db.select().from(protocolAssets).where(eq(protocolAssets.id, id)).get();

  const upsertAll = sqlite.transaction((rows: ProtocolAssetRow[]) => {
    for (const value of rows) {
      db.insert(protocolAssets)
        .values(value)
        .onConflictDoUpdate({ target: protocolAssets.id, set: value })
        .run();
    }
  });

  return {
    contentHash: (id: string): string | undefined => row(id)?.contentHash,
    records: (id: string): number | undefined => row(id)?.records,
    /** Every row in one transaction: a fetch stores all its assets or none. */
    upsertAll: (rows: ProtocolAssetRow[]): void => {
      upsertAll(rows);
    },

    systemPrompts(): ReferenceSystemPrompt[] {
      return FIXED_SYSTEM_PROMPT_LABELS.flatMap((label) => {
        const found = row(`system-prompt:${label}`);
        return found?.content.kind === 'system-prompt'
          ? [{ label, prompt: found.content.prompt, source: sourceOf(found) }]
          : [];
      });
    },

    unseenUserPrompts(taskId: string): ReferenceUserPrompts | null {
      const found = row(`user-prompts:${taskId}`);
      return found?.content.kind === 'user-prompts'
        ? { taskId, prompts: found.content.prompts, source: sourceOf(found) }
        : null;
    },

    componentCorpus(): ComponentCorpus | null {
      const found = row('component-corpus');
      return found?.content.kind === 'component-corpus'
        ? { components: found.content.components, source: sourceOf(found) }
        : null;
    },

    count: (): number => db.select({ id: protocolAssets.id }).from(protocolAssets).all().length,
  };
}

export type ProtocolStore = ReturnType<typeof createProtocolStore>;
