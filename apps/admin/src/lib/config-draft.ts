import type { RunConfig, RunRecord } from '@metaspo/schemas';
import { parseLocatedYaml, yamlSyntaxErrors } from '@metaspo/schemas/yaml-locate';
import { stringify } from 'yaml';
import { REFERENCE_DEFAULTS } from './reference-defaults.js';

/**
 * The new-run page keeps one state, the config's YAML text: the YAML view edits it directly and
 * each form field reads and writes its own key in it, so switching views loses nothing (and
 * keys the form has no field for, or comments, survive form edits).
 */

export interface FormField {
  /** Dotted path of the config key, e.g. `budget.maxUsd`. */
  key: string;
  label: string;
  kind: 'text' | 'number' | 'tasks' | 'textarea';
  hint?: string;
}

export const FORM_FIELDS: FormField[] = [
  { key: 'name', label: 'Name', kind: 'text' },
  {
    key: 'metaTrainTasks',
    label: 'Meta-train tasks',
    kind: 'tasks',
    hint: 'a domain (e.g. procedural), a task id, or comma-separated task ids',
  },
  { key: 'baseModel', label: 'Base model', kind: 'text', hint: 'provider:model' },
  { key: 'optimizerModel', label: 'Optimizer model', kind: 'text' },
  { key: 'iterations', label: 'Iterations', kind: 'number' },
  { key: 'numSystemCandidates', label: 'System candidates', kind: 'number' },
  { key: 'numUserCandidates', label: 'User candidates', kind: 'number' },
  { key: 'userTopK', label: 'User top-k', kind: 'number' },
  { key: 'trainSize', label: 'Train examples per task', kind: 'number' },
  { key: 'testSize', label: 'Test examples per task', kind: 'number' },
  { key: 'seed', label: 'Seed', kind: 'number' },
  { key: 'budget.maxUsd', label: 'Budget (USD, optional)', kind: 'number' },
  { key: 'initialSystemPrompt', label: 'Initial system prompt', kind: 'textarea' },
];

/** The defaulted fields the new-run template writes out after its tasks, in this order. */
const TEMPLATE_DEFAULTS = [
  'baseModel',
  'optimizerModel',
  'iterations',
  'numSystemCandidates',
  'numUserCandidates',
  'userTopK',
  'trainSize',
  'testSize',
  'seed',
  'initialSystemPrompt',
] as const satisfies ReadonlyArray<keyof RunConfig>;

/**
 * The new-run template: the procedural domain (no download needed) and the reference defaults
 * from the schema, written out so the user sees what a run will do.
 */
export const DEFAULT_CONFIG_YAML = stringify(
  {
    method: REFERENCE_DEFAULTS.method,
    metaTrainTasks: 'procedural',
    ...Object.fromEntries(TEMPLATE_DEFAULTS.map((key) => [key, REFERENCE_DEFAULTS[key]])),
  },
  { lineWidth: 0 },
);

/** A run's stored config as YAML, named after the run, for "edit and retry". */
export function runConfigYaml(run: RunRecord): string {
  const { name, ...rest } = run.config;
  return stringify({ name: name ?? run.name ?? undefined, ...rest }, { lineWidth: 0 });
}

function pathOf(field: FormField): string[] {
  return field.key.split('.');
}

function valueAt(root: unknown, path: string[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/**
 * What a field's text means as a config value; numbers stay text when unparseable, so the
 * schema names them. One word in the tasks field is a domain unless it is a known task id
 * (`taskIds`, from the registry): then it is a list of that one task.
 */
export function fieldValue(field: FormField, text: string, taskIds?: ReadonlySet<string>): unknown {
  if (text.trim() === '') return undefined;
  if (field.kind === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  if (field.kind === 'tasks') {
    if (!text.includes(',')) return taskIds?.has(text.trim()) ? [text.trim()] : text.trim();
    return text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return text;
}

function fieldText(field: FormField, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'tasks' && Array.isArray(value)) return value.join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export interface FormView {
  /** Text per field key, or null when the YAML does not parse (the form cannot show it). */
  values: Record<string, string> | null;
  method: string;
  syntaxErrorLine: number | null;
}

/**
 * The form's view of the YAML. `drafts` are the texts last typed into fields: one is shown as
 * typed (e.g. "0." or "a, ") while it still means the value in the YAML, so typing is not
 * rewritten under the cursor; an edit in the YAML view makes it stale and the YAML wins.
 */
export function formView(
  text: string,
  drafts: Record<string, string>,
  taskIds?: ReadonlySet<string>,
): FormView {
  const source = parseLocatedYaml(text);
  const [firstError] = yamlSyntaxErrors(source);
  if (firstError) return { values: null, method: '', syntaxErrorLine: firstError.line };
  const config: unknown = source.doc.toJS();
  const values: Record<string, string> = {};
  for (const field of FORM_FIELDS) {
    const current = valueAt(config, pathOf(field));
    const draft = drafts[field.key];
    const draftMatches =
      draft !== undefined && JSON.stringify(fieldValue(field, draft, taskIds)) === JSON.stringify(current);
    values[field.key] = draftMatches ? draft : fieldText(field, current);
  }
  const method = valueAt(config, ['method']);
  return { values, method: typeof method === 'string' ? method : 'metaspo', syntaxErrorLine: null };
}

/** The YAML with one key set from the form (an empty field removes the key: the default applies). */
export function writeConfigKey(text: string, key: string, value: unknown): string {
  const { doc } = parseLocatedYaml(text);
  if (doc.errors.length > 0) return text;
  const path = key.split('.');
  if (value === undefined) {
    doc.deleteIn(path);
    const parentPath = path.slice(0, -1);
    const parent: unknown = parentPath.length > 0 ? valueAt(doc.toJS(), parentPath) : undefined;
    if (parent !== null && typeof parent === 'object' && Object.keys(parent).length === 0) {
      doc.deleteIn(parentPath);
    }
  } else {
    doc.setIn(path, value);
  }
  return doc.toString({ lineWidth: 0 });
}

/** Which form field an issue path belongs to, if any (`metaTrainTasks.1` -> `metaTrainTasks`). */
export function fieldOfPath(path: string): FormField | undefined {
  return FORM_FIELDS.find((f) => path === f.key || path.startsWith(`${f.key}.`));
}
