import {
  type AnswerFormat,
  type AnswerType,
  type Metric,
  type TaskSpec,
  TaskSpecSchema,
} from '@metaspo/schemas';
import { labelSpaceOf } from '../gold.js';
import type { Importer } from '../importers/types.js';
import { PINNED_FILES, type PinnedFile } from './pinned-files.js';

/** A pinned file and where it lies in a folder laid out like ../shared/datasets (`--from DIR`). */
export interface CatalogFile extends PinnedFile {
  localPath: string;
}

/** One file of a catalog task: its role for the importer and whether its records are examples. */
interface TaskFile extends CatalogFile {
  role: string;
  /** False for side files (label files, label mappings) whose lines are not extra examples. */
  countsRecords: boolean;
}

export interface CatalogTask {
  spec: TaskSpec;
  files: TaskFile[];
  importer: Importer;
}

export const rawUrl = (file: PinnedFile) =>
  `https://raw.githubusercontent.com/${file.repository}/${file.commit}/${file.path}`;

const ANSWER_FORMS: Record<AnswerType['kind'], (answerType: AnswerType) => string> = {
  option: () => 'Reply with the letter of the correct option inside <answer></answer>.',
  integer: () => 'Reply with the number alone, written in digits, inside <answer></answer>.',
  'yes-no': () => 'Reply with yes or no inside <answer></answer>.',
  rating: () => 'Reply with a rating from 1 to 5 inside <answer></answer>.',
  label: (answerType) =>
    `Reply with exactly one of these labels inside <answer></answer>: ${answerType.kind === 'label' ? answerType.labels.join(', ') : ''}.`,
  'free-text': () => 'Reply with a short answer of a few words inside <answer></answer>.',
};

/** A bare-answer task takes the whole reply as the answer, so the reply must be nothing else. */
const BARE_ANSWER_FORM = 'Reply with the answer alone, in a few words, with no explanation and no tags.';

/**
 * An initial user prompt: the task in a sentence, the question, the answer form. `instruction`
 * replaces the answer form when the answer type's generic one would mislead (e.g. a label task
 * whose labels are the options shown in the question).
 */
export function initialPrompt(
  intro: string,
  answerType: AnswerType,
  answerFormat: AnswerFormat = 'tagged',
  instruction?: string,
): string {
  const form =
    instruction ?? (answerFormat === 'bare' ? BARE_ANSWER_FORM : ANSWER_FORMS[answerType.kind](answerType));
  return `${intro}\n\n<Question>{question}</Question>\n\n${form}`;
}

export interface TaskDefinition {
  id: string;
  domain: string;
  description: string;
  intro: string;
  answerType: AnswerType;
  /** `bare` for the reference's grounding tasks (the whole reply is the answer); default `tagged`. */
  answerFormat?: AnswerFormat;
  /** Replaces the generic answer-form sentence of the initial user prompt. */
  answerInstruction?: string;
  metric: Metric;
  license: string;
  importerName: string;
  importer: Importer;
  /** [role, path in the shared layout, counts as example records (default true)] */
  files: Array<[string, string, boolean?]>;
}

export function defineTask(definition: TaskDefinition): CatalogTask {
  const files = definition.files.map(([role, localPath, countsRecords = true]): TaskFile => {
    const pinned = PINNED_FILES[localPath];
    if (!pinned) throw new Error(`catalog task ${definition.id}: no pinned file ${localPath}`);
    return { ...pinned, role, localPath, countsRecords };
  });
  const repositories = [...new Set(files.map((f) => f.repository))];
  const labelSpace = labelSpaceOf(definition.answerType);
  const answerFormat = definition.answerFormat ?? 'tagged';
  const spec = TaskSpecSchema.parse({
    id: definition.id,
    domain: definition.domain,
    description: definition.description,
    initialUserPrompt: initialPrompt(
      definition.intro,
      definition.answerType,
      answerFormat,
      definition.answerInstruction,
    ),
    answerType: definition.answerType,
    answerFormat,
    metric: definition.metric,
    ...(labelSpace ? { labelSpace } : {}),
    source: {
      repository: repositories.join(', '),
      commit: [...new Set(files.map((f) => f.commit))].join(', '),
      paths: files.map((f) => f.path),
      urls: files.map(rawUrl),
      sha256: files.map((f) => f.sha256),
      license: definition.license,
    },
    importer: definition.importerName,
  });
  return { spec, files, importer: definition.importer };
}

/** Tasks the paper uses that have no public file here: listed, never faked. */
export function unavailableTask(
  id: string,
  domain: string,
  description: string,
  answerType: AnswerType,
  metric: Metric,
  answerFormat: AnswerFormat,
  reason: string,
): TaskSpec {
  return TaskSpecSchema.parse({
    id,
    domain,
    description,
    initialUserPrompt: initialPrompt(description, answerType, answerFormat),
    answerType,
    answerFormat,
    metric,
    importer: 'none',
    available: false,
    unavailableReason: reason,
  });
}
