import { importError } from './errors.js';
import { parseCsvFile } from './parse.js';
import { PythonLiteralError, parsePythonStringList } from './python-literal.js';
import type { DraftExample, Importer } from './types.js';

/**
 * TriviaQA open-domain (DPR) question files: `question<TAB>[aliases]` without a header, CSV
 * quoting where a field holds a double quote, CRLF. The aliases are a Python list literal and
 * unordered, so every alias is an accepted answer. The question is kept as one CSV decoding
 * gives it: DPR quoted some questions twice, and those keep their outer quotes.
 */
export const importTriviaQa: Importer = (files) => {
  const drafts: DraftExample[] = [];
  for (const split of ['train', 'test'] as const) {
    const file = files.get(split);
    for (const row of parseCsvFile(file, '\t', ['question', 'answers'])) {
      let aliases: string[];
      try {
        aliases = parsePythonStringList(row.value.answers!);
      } catch (error) {
        if (!(error instanceof PythonLiteralError)) throw error;
        throw importError(
          file.name,
          row.location,
          'answers',
          `not a Python list of strings: ${error.message}`,
        );
      }
      if (aliases.length === 0) throw importError(file.name, row.location, 'answers', 'empty alias list');
      drafts.push({
        file: file.name,
        location: row.location,
        goldField: 'answers',
        split,
        question: row.value.question!,
        gold: aliases,
      });
    }
  }
  return { drafts, recordsRead: drafts.length, skipped: [] };
};
