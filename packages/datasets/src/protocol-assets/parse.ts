import type { ProtocolAssetContent } from '../db/schema.js';
import { importError } from '../importers/errors.js';
import {
  jsonArrayRecords,
  type LoadedFile,
  parseCsvFile,
  parseJsonFile,
  requiredString,
} from '../importers/parse.js';
import type { ProtocolAsset } from './catalog.js';

const CORPUS_COLUMNS = ['Prompt', 'Catagory', 'Comments'];
const QUESTION_SLOT = '{question}';

/** `{"prompt": "..."}` and nothing else. */
function systemPrompt(file: LoadedFile): ProtocolAssetContent {
  const record = { location: 'record 1', value: parseJsonFile(file) };
  const prompt = requiredString(file.name, record, 'prompt');
  const extra = Object.keys(record.value as object).filter((key) => key !== 'prompt');
  if (extra.length > 0)
    throw importError(file.name, null, extra[0]!, 'unexpected field (expected only "prompt")');
  if (prompt.trim() === '') throw importError(file.name, null, 'prompt', 'empty prompt');
  return { kind: 'system-prompt', prompt };
}

/** A JSON array of user prompts, each with the `{question}` slot exactly once. */
function userPrompts(file: LoadedFile): ProtocolAssetContent {
  const prompts = jsonArrayRecords(file, parseJsonFile(file)).map((record) => {
    if (typeof record.value !== 'string')
      throw importError(file.name, record.location, null, `expected a string, got ${typeof record.value}`);
    if (record.value.split(QUESTION_SLOT).length !== 2)
      throw importError(file.name, record.location, null, `expected "${QUESTION_SLOT}" exactly once`);
    return record.value;
  });
  if (prompts.length === 0) throw importError(file.name, null, null, 'no user prompts');
  return { kind: 'user-prompts', prompts };
}

/** SPRIG's corpus: header `Prompt,Catagory,Comments` (sic), a component and its category per row. */
function componentCorpus(file: LoadedFile): ProtocolAssetContent {
  const rows = parseCsvFile(file);
  const header = Object.keys(rows[0]?.value ?? {});
  if (header.join(',') !== CORPUS_COLUMNS.join(','))
    throw importError(
      file.name,
      'line 1',
      null,
      `expected the header ${CORPUS_COLUMNS.join(',')}, got ${header.join(',')}`,
    );
  const components = rows.map((row) => {
    const text = row.value.Prompt!.trim();
    const category = row.value.Catagory!.trim();
    if (text === '') throw importError(file.name, row.location, 'Prompt', 'empty component');
    if (category === '') throw importError(file.name, row.location, 'Catagory', 'empty category');
    return { text, category };
  });
  return { kind: 'component-corpus', components };
}

const PARSERS: Record<ProtocolAsset['kind'], (file: LoadedFile) => ProtocolAssetContent> = {
  'system-prompt': systemPrompt,
  'user-prompts': userPrompts,
  'component-corpus': componentCorpus,
};

export const parseProtocolAsset = (asset: ProtocolAsset, file: LoadedFile) => PARSERS[asset.kind](file);

/** Records a parsed asset holds, as MANIFEST.json counts them. */
export function recordsOf(content: ProtocolAssetContent): number {
  switch (content.kind) {
    case 'system-prompt':
      return 1;
    case 'user-prompts':
      return content.prompts.length;
    case 'component-corpus':
      return content.components.length;
  }
}
