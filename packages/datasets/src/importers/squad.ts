import { importError } from './errors.js';
import { asObject, jsonArrayRecords, type NumberedRecord, parseJsonFile, requiredString } from './parse.js';
import type { DraftExample, Importer } from './types.js';

/** The question as the model sees it: the paragraph it is answered from, then the question. */
const squadQuestion = (context: string, question: string) =>
  `Context: ${context.trim()}\n\nQuestion: ${question.trim()}`;

/** The array under `field` of a record, each item located inside its parent ("..., qas 3"). */
function nested(file: string, parent: NumberedRecord, field: string, itemName: string): NumberedRecord[] {
  const items = asObject(file, parent)[field];
  if (!Array.isArray(items) || items.length === 0)
    throw importError(file, parent.location, field, 'expected a non-empty array');
  return items.map((value, index) => ({ location: `${parent.location}, ${itemName} ${index + 1}`, value }));
}

/**
 * SQuAD v1.1 `{data: [{title, paragraphs: [{context, qas: [{id, question, answers}]}]}]}`,
 * flattened to one example per question. Every crowd answer text is accepted (duplicates are
 * dropped when the gold is made canonical).
 */
export const importSquad: Importer = (files) => {
  const file = files.get('all');
  const drafts: DraftExample[] = [];
  for (const article of jsonArrayRecords(file, parseJsonFile(file), 'data')) {
    for (const paragraph of nested(file.name, article, 'paragraphs', 'paragraph')) {
      const context = requiredString(file.name, paragraph, 'context');
      for (const qa of nested(file.name, paragraph, 'qas', 'question')) {
        const answers = nested(file.name, qa, 'answers', 'answer');
        drafts.push({
          file: file.name,
          location: qa.location,
          goldField: 'answers',
          split: null,
          question: squadQuestion(context, requiredString(file.name, qa, 'question')),
          gold: answers.map((answer) => requiredString(file.name, answer, 'text')),
        });
      }
    }
  }
  return { drafts, recordsRead: drafts.length, skipped: [] };
};
