import type { AnswerType, DatasetImportInputSchema, Metric, TaskSpec } from '@metaspo/schemas';
import { TaskSpecSchema } from '@metaspo/schemas';
import type { z } from 'zod';
import { initialPrompt } from '../catalog/define.js';
import { labelSpaceOf } from '../gold.js';
import { metaspoJsonDrafts, optionList } from './benchmark-json.js';
import { importError } from './errors.js';
import {
  asObject,
  jsonArrayRecords,
  type LoadedFile,
  type NumberedRecord,
  parseCsvFile,
  parseJsonFile,
  parseJsonLines,
  requiredField,
} from './parse.js';
import type { DraftExample, ImporterOutput } from './types.js';

export type UserImport = z.output<typeof DatasetImportInputSchema>;

function splitOf(file: string, record: NumberedRecord, field: string): 'train' | 'test' | null {
  const value = asObject(file, record)[field];
  if (value === undefined || value === null || value === '') return null;
  const split = String(value).trim().toLowerCase();
  if (split === 'train' || split === 'test') return split;
  throw importError(file, record.location, field, `expected "train" or "test", got ${JSON.stringify(value)}`);
}

function questionOf(file: string, record: NumberedRecord, field: string): string {
  const value = requiredField(file, record, field);
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw importError(
      file,
      record.location,
      field,
      `expected text, got ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  return String(value);
}

function recordsOf(file: LoadedFile, input: UserImport): NumberedRecord[] {
  switch (input.format) {
    case 'json':
      return jsonArrayRecords(file, parseJsonFile(file));
    case 'jsonl':
      return parseJsonLines(file);
    case 'csv': {
      const rows = parseCsvFile(file);
      const columns = Object.keys(rows[0]?.value ?? {});
      for (const field of [input.questionField, input.answerField]) {
        if (rows.length > 0 && !columns.includes(field)) {
          throw importError(file.name, 'line 1', field, `no such column (columns: ${columns.join(', ')})`);
        }
      }
      return rows;
    }
    case 'metaspo-json':
      throw new Error('metaspo-json records are read by metaspoJsonDrafts');
  }
}

/** Reads the user's file into drafts with the field names the user gave. */
export function userDrafts(file: LoadedFile, input: UserImport): ImporterOutput {
  const withOptions = input.answerType === 'option';
  const drafts: DraftExample[] =
    input.format === 'metaspo-json'
      ? metaspoJsonDrafts(file, {
          question: input.questionField,
          answer: input.answerField,
          ...(withOptions ? { options: input.optionsField } : {}),
        })
      : recordsOf(file, input).map((record) => {
          const options = withOptions
            ? optionList(
                file.name,
                record.location,
                input.optionsField,
                asObject(file.name, record)[input.optionsField],
              )
            : undefined;
          return {
            file: file.name,
            location: record.location,
            goldField: input.answerField,
            split: splitOf(file.name, record, input.splitField),
            question: questionOf(file.name, record, input.questionField),
            gold: requiredField(file.name, record, input.answerField),
            ...(options ? { options } : {}),
          };
        });
  if (drafts.length === 0) throw importError(file.name, null, null, 'no records');
  return { drafts, recordsRead: drafts.length, skipped: [] };
}

function answerTypeOf(input: UserImport, drafts: DraftExample[]): AnswerType {
  switch (input.answerType) {
    case 'option': {
      const optionCount = Math.max(0, ...drafts.map((d) => d.options?.length ?? 0));
      if (optionCount < 2) {
        throw importError(
          drafts[0]!.file,
          drafts[0]!.location,
          input.optionsField,
          'option tasks need at least two options per record',
        );
      }
      return { kind: 'option', optionCount: Math.min(optionCount, 26) };
    }
    case 'label': {
      const labels = input.labels ?? [...new Set(drafts.map((d) => String(d.gold).trim()))].sort();
      if (labels.length < 2)
        throw importError(drafts[0]!.file, null, input.answerField, 'a label task needs at least two labels');
      return { kind: 'label', labels };
    }
    case 'rating':
      return { kind: 'rating', min: 1, max: 5 };
    default:
      return { kind: input.answerType };
  }
}

const DEFAULT_METRIC: Record<AnswerType['kind'], Metric> = {
  option: 'accuracy',
  integer: 'accuracy',
  'yes-no': 'accuracy',
  rating: 'accuracy',
  label: 'accuracy',
  'free-text': 'exact-match',
};

/** The task spec of user data: the user's choices where given, sensible defaults elsewhere. */
export function userTaskSpec(input: UserImport, drafts: DraftExample[]): TaskSpec {
  const answerType = answerTypeOf(input, drafts);
  const labelSpace = labelSpaceOf(answerType);
  const parsed = TaskSpecSchema.safeParse({
    id: input.taskId,
    domain: input.domain,
    description: input.description ?? `User data imported from ${input.fileName}`,
    initialUserPrompt: input.initialUserPrompt ?? initialPrompt('Answer the following question.', answerType),
    answerType,
    metric: input.metric ?? DEFAULT_METRIC[answerType.kind],
    ...(labelSpace ? { labelSpace } : {}),
    importer: `user-${input.format}`,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw importError(input.fileName, null, issue.path.join('.'), issue.message);
  }
  return parsed.data;
}
