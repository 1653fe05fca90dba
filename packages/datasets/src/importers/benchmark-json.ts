import type { Split } from '@metaspo/schemas';
import { importError } from './errors.js';
import { bbhOptions } from './options.js';
import {
  asObject,
  jsonArrayRecords,
  type LoadedFile,
  parseJsonFile,
  requiredField,
  requiredString,
} from './parse.js';
import type { DraftExample, Importer, ImporterOutput } from './types.js';

const output = (drafts: DraftExample[]): ImporterOutput => ({
  drafts,
  recordsRead: drafts.length,
  skipped: [],
});

/** MetaSPO's own layout: `{train: [...], test: [...]}` of `{question, answer}`. */
export function metaspoJsonDrafts(
  file: LoadedFile,
  fields: { question: string; answer: string; options?: string },
): DraftExample[] {
  const value = parseJsonFile(file);
  const drafts: DraftExample[] = [];
  for (const split of ['train', 'test'] as const) {
    for (const record of jsonArrayRecords(file, value, split)) {
      const object = asObject(file.name, record);
      const options =
        fields.options === undefined
          ? undefined
          : optionList(file.name, record.location, fields.options, object[fields.options]);
      drafts.push({
        file: file.name,
        location: record.location,
        goldField: fields.answer,
        split,
        question: requiredString(file.name, record, fields.question),
        gold: requiredField(file.name, record, fields.answer),
        ...(options ? { options } : {}),
      });
    }
  }
  return drafts;
}

/** Options given as an array of strings or as one string with an option per line. */
export function optionList(
  file: string,
  location: string,
  field: string,
  value: unknown,
): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string')
    return value
      .split('\n')
      .map((o) => o.trim())
      .filter(Boolean);
  if (Array.isArray(value) && value.every((o) => typeof o === 'string')) return value;
  throw importError(file, location, field, 'expected an array of strings or a newline-separated string');
}

export const importMetaspoJson: Importer = (files) =>
  output(metaspoJsonDrafts(files.get('all'), { question: 'question', answer: 'answer' }));

/**
 * How a BBH target becomes a gold: `option` keeps the letter ("(C)"), `option-text` turns the
 * letter into the text of that option (the reference compares the answer's text, not its
 * letter), `plain` keeps the target as written.
 */
export type BbhGold = 'option' | 'option-text' | 'plain';

/** BIG-Bench Hard `{examples: [{input, target}]}`; several files (3/5/7 objects) make one task. */
export function bbhImporter(gold: BbhGold): Importer {
  return (files) => {
    const drafts: DraftExample[] = [];
    for (const file of files.all('all')) {
      for (const record of jsonArrayRecords(file, parseJsonFile(file), 'examples')) {
        const input = requiredString(file.name, record, 'input');
        const target = requiredString(file.name, record, 'target');
        const options = gold === 'plain' ? undefined : bbhOptions(file.name, record.location, input);
        drafts.push({
          file: file.name,
          location: record.location,
          goldField: 'target',
          split: null,
          question: input,
          gold: gold === 'option-text' ? optionTextOf(file.name, record.location, target, options!) : target,
          ...(options ? { options } : {}),
        });
      }
    }
    return output(drafts);
  };
}

function optionTextOf(file: string, location: string, target: string, options: string[]): string {
  const letter = /^\(([A-Z])\)$/.exec(target.trim())?.[1];
  const text = letter === undefined ? undefined : options[letter.charCodeAt(0) - 65];
  if (text === undefined) {
    throw importError(
      file,
      location,
      'target',
      `"${target}" is not the letter of one of the ${options.length} options`,
    );
  }
  return text;
}

/** BIG-bench `task.json` with `target_scores`: the gold is the label scored 1. */
export const importBigbenchEpistemic: Importer = (files) => {
  const file = files.get('all');
  const drafts = jsonArrayRecords(file, parseJsonFile(file), 'examples').map((record): DraftExample => {
    const scores = asObject(file.name, {
      location: record.location,
      value: requiredField(file.name, record, 'target_scores'),
    });
    const entailment = scores.entailment;
    const nonEntailment = scores['non-entailment'];
    if (
      typeof entailment !== 'number' ||
      typeof nonEntailment !== 'number' ||
      entailment + nonEntailment !== 1
    ) {
      throw importError(
        file.name,
        record.location,
        'target_scores',
        'expected {"entailment": 0|1, "non-entailment": 1|0}',
      );
    }
    return {
      file: file.name,
      location: record.location,
      goldField: 'target_scores',
      split: null,
      question: requiredString(file.name, record, 'input'),
      gold: entailment === 1 ? 'entailment' : 'non-entailment',
    };
  });
  return output(drafts);
};

/** WebQuestions `[{qId, qText, answers}]`; every file but `test` is a slice of the original train split. */
export const importWebQuestions: Importer = (files) => {
  const drafts: DraftExample[] = [];
  for (const role of ['train', 'test'] as const) {
    for (const file of files.all(role)) {
      for (const record of jsonArrayRecords(file, parseJsonFile(file))) {
        drafts.push({
          file: file.name,
          location: record.location,
          goldField: 'answers',
          split: role satisfies Split,
          question: requiredString(file.name, record, 'qText'),
          gold: requiredField(file.name, record, 'answers'),
        });
      }
    }
  }
  return output(drafts);
};

/** ReAct's simplified HotpotQA dev `[{question, answer, type}]` (closed book: no passages). */
export const importHotpotQa: Importer = (files) => {
  const file = files.get('all');
  const drafts = jsonArrayRecords(file, parseJsonFile(file)).map(
    (record): DraftExample => ({
      file: file.name,
      location: record.location,
      goldField: 'answer',
      split: null,
      question: requiredString(file.name, record, 'question'),
      gold: requiredString(file.name, record, 'answer'),
    }),
  );
  return output(drafts);
};
