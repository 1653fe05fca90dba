import { DEFAULT_SYSTEM_PROMPT, METHODS, type RunConfig, RunConfigSchema } from '@metaspo/schemas';
import { type FormEvent, useMemo, useState } from 'react';
import { type ConfigIssue, validateConfigObject } from '../lib/config-issues.js';

interface FieldSpec {
  key: string;
  label: string;
  kind: 'text' | 'number' | 'textarea';
  initial: string;
  hint?: string;
}

const FIELDS: FieldSpec[] = [
  { key: 'name', label: 'Name', kind: 'text', initial: '' },
  {
    key: 'metaTrainTasks',
    label: 'Meta-train tasks',
    kind: 'text',
    initial: 'procedural',
    hint: 'a domain (e.g. procedural) or comma-separated task ids',
  },
  { key: 'baseModel', label: 'Base model', kind: 'text', initial: 'sim:default', hint: 'provider:model' },
  { key: 'optimizerModel', label: 'Optimizer model', kind: 'text', initial: 'sim:default' },
  { key: 'iterations', label: 'Iterations', kind: 'number', initial: '3' },
  { key: 'numSystemCandidates', label: 'System candidates', kind: 'number', initial: '9' },
  { key: 'numUserCandidates', label: 'User candidates', kind: 'number', initial: '3' },
  { key: 'userTopK', label: 'User top-k', kind: 'number', initial: '3' },
  { key: 'trainSize', label: 'Train examples per task', kind: 'number', initial: '50' },
  { key: 'testSize', label: 'Test examples per task', kind: 'number', initial: '500' },
  { key: 'seed', label: 'Seed', kind: 'number', initial: '42' },
  { key: 'budget.maxUsd', label: 'Budget (USD, optional)', kind: 'number', initial: '' },
  {
    key: 'initialSystemPrompt',
    label: 'Initial system prompt',
    kind: 'textarea',
    initial: DEFAULT_SYSTEM_PROMPT,
  },
];

type Values = Record<string, string>;

function toNumber(text: string): number | string {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/** The form's strings as a config object; numbers stay strings when unparseable so zod names them. */
export function formToConfig(values: Values, method: string): Record<string, unknown> {
  const config: Record<string, unknown> = { method };
  for (const field of FIELDS) {
    const text = values[field.key] ?? '';
    if (text.trim() === '') continue;
    if (field.key === 'metaTrainTasks') {
      const ids = text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      config.metaTrainTasks = text.includes(',') ? ids : text.trim();
    } else if (field.key === 'budget.maxUsd') {
      config.budget = { maxUsd: toNumber(text) };
    } else {
      config[field.key] = field.kind === 'number' ? toNumber(text) : text;
    }
  }
  return config;
}

function issuesByField(issues: ConfigIssue[]): Map<string, string> {
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const key = issue.path.startsWith('metaTrainTasks') ? 'metaTrainTasks' : issue.path;
    if (!byField.has(key)) byField.set(key, issue.message);
  }
  return byField;
}

export function RunConfigForm({
  busy,
  onSubmit,
}: {
  busy: boolean;
  onSubmit: (config: RunConfig) => Promise<void>;
}) {
  const [values, setValues] = useState<Values>(() =>
    Object.fromEntries(FIELDS.map((f) => [f.key, f.initial])),
  );
  const [method, setMethod] = useState<string>('metaspo');
  const [touched, setTouched] = useState(false);
  const config = useMemo(() => formToConfig(values, method), [values, method]);
  const issues = useMemo(() => issuesByField(validateConfigObject(config)), [config]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    const parsed = RunConfigSchema.safeParse(config);
    if (parsed.success) void onSubmit(parsed.data).catch(() => undefined);
  };

  return (
    <form className="config-form" onSubmit={submit} noValidate aria-label="Run config">
      <div className="field">
        <label htmlFor="field-method">Method</label>
        <select id="field-method" value={method} onChange={(e) => setMethod(e.target.value)}>
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
      {FIELDS.map((field) => {
        const id = `field-${field.key.replace('.', '-')}`;
        const error = touched || values[field.key] !== field.initial ? issues.get(field.key) : undefined;
        const describedBy = [field.hint ? `${id}-hint` : '', error ? `${id}-error` : '']
          .filter(Boolean)
          .join(' ');
        const common = {
          id,
          name: field.key,
          value: values[field.key] ?? '',
          'aria-invalid': error ? true : undefined,
          'aria-describedby': describedBy || undefined,
          onChange: (e: { target: { value: string } }) =>
            setValues((v) => ({ ...v, [field.key]: e.target.value })),
        };
        return (
          <div className={field.kind === 'textarea' ? 'field field-wide' : 'field'} key={field.key}>
            <label htmlFor={id}>{field.label}</label>
            {field.kind === 'textarea' ? (
              <textarea rows={3} {...common} />
            ) : (
              <input type="text" inputMode={field.kind === 'number' ? 'decimal' : undefined} {...common} />
            )}
            {field.hint && (
              <small id={`${id}-hint`} className="hint">
                {field.hint}
              </small>
            )}
            {error && (
              <small id={`${id}-error`} className="field-error" role="alert">
                {error}
              </small>
            )}
          </div>
        );
      })}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create run'}
        </button>
        {touched && issues.size > 0 && <span className="field-error">Fix the fields marked above.</span>}
      </div>
    </form>
  );
}
