import type { FixedSystemPromptLabel } from '@metaspo/schemas';
import type { CatalogFile } from '../catalog/index.js';
import { PROTOCOL_PINS } from './pins.js';

interface AssetBase {
  /** Row id in `protocol_assets` and the id the fetch report names. */
  id: string;
  file: CatalogFile;
}

export type ProtocolAsset =
  | (AssetBase & { kind: 'system-prompt'; label: FixedSystemPromptLabel })
  | (AssetBase & { kind: 'user-prompts'; taskId: string })
  | (AssetBase & { kind: 'component-corpus' });

function pinned(localPath: string): CatalogFile {
  const pin = PROTOCOL_PINS[localPath];
  if (!pin) throw new Error(`protocol asset: no pinned file ${localPath}`);
  return { ...pin, localPath };
}

/** The reference's fixed comparison system prompts; its `cot.json` is the chain-of-thought one. */
const SYSTEM_PROMPT_FILES: Array<[FixedSystemPromptLabel, string]> = [
  ['default', 'default'],
  ['chain-of-thought', 'cot'],
  ['service', 'service'],
];

/**
 * The meta-test tasks with reference user prompts, by the file's name. The reference names
 * antropic_harmless's file `harmless` (and, looking it up by task id, never finds it).
 */
const USER_PROMPT_FILES: Array<[taskId: string, fileName: string]> = [
  ...['anatomy', 'dental', 'electronics', 'epistemic', 'ethos'].map((t): [string, string] => [t, t]),
  ['antropic_harmless', 'harmless'],
  ...['natural_questions', 'object_counting', 'pediatrics', 'pet', 'reasoning_colored_objects'].map(
    (t): [string, string] => [t, t],
  ),
  ...['sports', 'surgery', 'web_qa'].map((t): [string, string] => [t, t]),
];

export const PROTOCOL_ASSETS: ProtocolAsset[] = [
  ...SYSTEM_PROMPT_FILES.map(
    ([label, name]): ProtocolAsset => ({
      id: `system-prompt:${label}`,
      kind: 'system-prompt',
      label,
      file: pinned(`MetaSPO/prompts/${name}.json`),
    }),
  ),
  ...USER_PROMPT_FILES.map(
    ([taskId, name]): ProtocolAsset => ({
      id: `user-prompts:${taskId}`,
      kind: 'user-prompts',
      taskId,
      file: pinned(`MetaSPO/prompts/unseen_generalization_user_prompts/up_for_unseen_gen_${name}.json`),
    }),
  ),
  {
    id: 'component-corpus',
    kind: 'component-corpus',
    file: pinned('prompting/data/system_prompts/Prompt_Component_Corpus.csv'),
  },
];
