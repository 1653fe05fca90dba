import { z } from 'zod';
import { ExampleSchema, SplitSchema } from './example.js';
import { DomainSchema, MetricSchema, TaskIdSchema } from './task.js';

/** Inputs and outputs of the `datasets` router beyond the ports in clients.ts. */

export const TaskListInputSchema = z.object({ domain: DomainSchema.optional() }).optional();
export const TaskGetInputSchema = z.object({ id: TaskIdSchema });
export const DomainGetInputSchema = z.object({ domain: DomainSchema });
export const AnswerKeyInputSchema = z.object({ taskIds: z.array(TaskIdSchema).max(1_000) });

/** Records a source had that were not imported, grouped by why (e.g. an empty tweet). */
export const SkippedRecordsSchema = z.object({
  reason: z.string(),
  count: z.number().int().nonnegative(),
  /** 1-based record numbers in their file (first few only). */
  records: z.array(z.string()),
});
export type SkippedRecords = z.infer<typeof SkippedRecordsSchema>;

export const DatasetOriginSchema = z.enum(['fetch', 'import', 'procedural']);
export type DatasetOrigin = z.infer<typeof DatasetOriginSchema>;

export const SplitCountsSchema = z.object({
  train: z.number().int().nonnegative(),
  test: z.number().int().nonnegative(),
});
export type SplitCounts = z.infer<typeof SplitCountsSchema>;

export const DatasetSummarySchema = z.object({
  taskId: TaskIdSchema,
  domain: DomainSchema,
  origin: DatasetOriginSchema,
  files: z.array(z.object({ path: z.string(), sha256: z.string() })),
  /** Records parsed from the source files, before the documented filtering. */
  recordsRead: z.number().int().nonnegative(),
  counts: SplitCountsSchema,
  skipped: z.array(SkippedRecordsSchema),
  /** How the train/test split was made (source split or seeded split). */
  splitMethod: z.string(),
  contentHash: z.string(),
  importedAt: z.string(),
});
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

export const ExamplesPageInputSchema = z.object({
  taskId: TaskIdSchema,
  split: SplitSchema.optional(),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().positive().max(500).default(50),
  /** Case-insensitive text that the question or the gold answer must contain. */
  search: z.string().trim().max(200).optional(),
});
export type ExamplesPageInput = z.input<typeof ExamplesPageInputSchema>;

export const ExamplesPageSchema = z.object({
  items: z.array(ExampleSchema),
  total: z.number().int().nonnegative(),
  nextOffset: z.number().int().nonnegative().nullable(),
});
export type ExamplesPage = z.infer<typeof ExamplesPageSchema>;

export const ImportFormatSchema = z.enum(['json', 'jsonl', 'csv', 'metaspo-json']);
export type ImportFormat = z.infer<typeof ImportFormatSchema>;

export const AnswerKindSchema = z.enum(['option', 'integer', 'yes-no', 'rating', 'label', 'free-text']);

/** A user's own data: the file travels as text so the same call works in-process and over HTTP. */
export const DatasetImportInputSchema = z.object({
  taskId: TaskIdSchema,
  format: ImportFormatSchema,
  /** Named in error messages. */
  fileName: z.string().min(1),
  content: z.string(),
  questionField: z.string().min(1).default('question'),
  answerField: z.string().min(1).default('answer'),
  /** Option tasks: an array of option texts, or one string with one option per line. */
  optionsField: z.string().min(1).default('options'),
  /** A column holding "train"/"test"; without it the split is made by seed. */
  splitField: z.string().min(1).default('split'),
  domain: DomainSchema.default('custom'),
  answerType: AnswerKindSchema.default('free-text'),
  /** Label tasks: the label space; without it, the distinct answers found. */
  labels: z.array(z.string().min(1)).min(2).optional(),
  metric: MetricSchema.optional(),
  description: z.string().optional(),
  initialUserPrompt: z.string().optional(),
});
export type DatasetImportInput = z.input<typeof DatasetImportInputSchema>;

export const ImportStatusSchema = z.enum(['imported', 'unchanged', 'replaced']);

export const ImportReportSchema = z.object({
  taskId: TaskIdSchema,
  status: ImportStatusSchema,
  recordsRead: z.number().int().nonnegative(),
  counts: SplitCountsSchema,
  skipped: z.array(SkippedRecordsSchema),
  splitMethod: z.string(),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const FetchInputSchema = z
  .object({
    domain: DomainSchema.optional(),
    taskIds: z.array(TaskIdSchema).min(1).optional(),
    all: z.boolean().optional(),
    /** Read the files from this directory (laid out like ../shared/datasets) instead of downloading. */
    from: z.string().min(1).optional(),
  })
  .refine(
    (input) => [input.domain, input.taskIds, input.all ? true : undefined].filter(Boolean).length === 1,
    'give exactly one of domain, taskIds or all',
  );
export type FetchInput = z.input<typeof FetchInputSchema>;

/** Where this server's `fetch` reads a domain's files, and which domains it can fetch at all. */
export const FetchSourcesSchema = z.object({
  /**
   * The server's folder laid out like ../shared/datasets, read when a fetch names no `from`;
   * null when none is configured (then the pinned URLs are downloaded).
   */
  localDir: z.string().nullable(),
  /** Whether localDir exists on the server (false when it is null). */
  localDirFound: z.boolean(),
  /** Domains of catalog tasks (pinned public files): user-imported and procedural ones have nothing to fetch. */
  catalogDomains: z.array(DomainSchema),
});
export type FetchSources = z.infer<typeof FetchSourcesSchema>;

export const FetchTaskReportSchema = ImportReportSchema.extend({
  /** Record count the pinned source files are known to hold (sum over the task's files). */
  expectedRecords: z.number().int().nonnegative().nullable(),
});
export type FetchTaskReport = z.infer<typeof FetchTaskReportSchema>;

/** One protocol file (fixed system prompt, unseen-task user prompts, SPRIG corpus) of a fetch. */
export const FetchAssetReportSchema = z.object({
  /** `system-prompt:<label>`, `user-prompts:<task id>` or `component-corpus`. */
  id: z.string(),
  status: z.enum(['imported', 'unchanged']),
  /** Prompts (or components) the file holds. */
  records: z.number().int().nonnegative(),
});
export type FetchAssetReport = z.infer<typeof FetchAssetReportSchema>;

export const FetchReportSchema = z.object({
  tasks: z.array(FetchTaskReportSchema),
  /** Catalog tasks of the selection that have no public file (listed, never faked). */
  unavailable: z.array(z.object({ taskId: TaskIdSchema, reason: z.string() })),
  /** Protocol files of the selection (none for a procedural-only selection). */
  assets: z.array(FetchAssetReportSchema),
});
export type FetchReport = z.infer<typeof FetchReportSchema>;
