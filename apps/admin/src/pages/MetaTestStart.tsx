import {
  DEFAULT_SCORING,
  type MetaTestKind,
  type MetaTestStartInput,
  type Scoring,
  ScoringSchema,
  type TaskSpec,
  type UserPromptOrigin,
  UserPromptOriginSchema,
} from '@metaspo/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { RunOptions, ValueOptions } from '../components/Options.js';
import { ErrorNote } from '../components/QueryState.js';
import { REFERENCE_DEFAULTS } from '../lib/reference-defaults.js';
import { useTRPC } from '../trpc.js';

/** Where the unseen tasks come from: the run's meta-test tasks, a domain's meta-test set, or a list. */
type TaskMode = 'run' | 'domain' | 'tasks';

interface ExtraPrompt {
  key: number;
  label: string;
  prompt: string;
}

/** A number field's value: undefined while it is blank (the server's or the run's default applies). */
function optionalInt(text: string): number | undefined {
  const value = Number(text);
  return text.trim() === '' || !Number.isInteger(value) ? undefined : value;
}

/** Tasks a meta-test can read now: imported ones, and procedural ones (generated on first use). */
function importedTasks(tasks: TaskSpec[], imported: Set<string>): TaskSpec[] {
  return tasks.filter((t) => t.available && (imported.has(t.id) || t.importer === 'procedural'));
}

function TaskChooser({
  tasks,
  chosen,
  onChange,
}: {
  tasks: TaskSpec[];
  chosen: string[];
  onChange: (ids: string[]) => void;
}) {
  if (tasks.length === 0) {
    return <p className="empty">No task is imported yet: fetch or import one on the Datasets page.</p>;
  }
  return (
    <fieldset className="task-chooser">
      <legend>Unseen tasks ({chosen.length} chosen)</legend>
      {tasks.map((task) => (
        <label key={task.id} className="inline-check">
          <input
            type="checkbox"
            checked={chosen.includes(task.id)}
            onChange={(e) =>
              onChange(e.target.checked ? [...chosen, task.id] : chosen.filter((id) => id !== task.id))
            }
          />
          {task.id} <span className="muted">({task.domain})</span>
        </label>
      ))}
    </fieldset>
  );
}

function ExtraPrompts({
  prompts,
  onChange,
}: {
  prompts: ExtraPrompt[];
  onChange: (p: ExtraPrompt[]) => void;
}) {
  const update = (key: number, change: Partial<ExtraPrompt>) =>
    onChange(prompts.map((p) => (p.key === key ? { ...p, ...change } : p)));
  return (
    <fieldset className="extra-prompts field-wide">
      <legend>Extra system prompts</legend>
      {prompts.map((p, index) => (
        <div key={p.key} className="extra-prompt">
          <label>
            Label {index + 1}{' '}
            <input value={p.label} onChange={(e) => update(p.key, { label: e.target.value })} />
          </label>
          <div className="field">
            <label htmlFor={`mt-prompt-${p.key}`}>System prompt {index + 1}</label>
            <textarea
              id={`mt-prompt-${p.key}`}
              rows={2}
              value={p.prompt}
              onChange={(e) => update(p.key, { prompt: e.target.value })}
            />
          </div>
          <button
            type="button"
            className="link"
            onClick={() => onChange(prompts.filter((x) => x.key !== p.key))}
          >
            Remove system prompt {index + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          onChange([
            ...prompts,
            {
              key: Math.max(0, ...prompts.map((p) => p.key)) + 1,
              label: `prompt ${prompts.length + 1}`,
              prompt: '',
            },
          ])
        }
      >
        Add a system prompt
      </button>
    </fieldset>
  );
}

/** The start form: every choice the CLI's `meta-test` offers, with the run's config as the default. */
export function StartMetaTest({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runs = useQuery(trpc.optimizer.runs.list.queryOptions({ status: 'completed', limit: 200 }));
  const tasks = useQuery(trpc.datasets.tasks.list.queryOptions(undefined));
  const summaries = useQuery(trpc.datasets.datasets.list.queryOptions());
  const [kind, setKind] = useState<MetaTestKind>('unseen');
  const [fromRun, setFromRun] = useState(runId);
  const [taskMode, setTaskMode] = useState<TaskMode>(runId ? 'run' : 'tasks');
  const [domain, setDomain] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [userPrompts, setUserPrompts] = useState<UserPromptOrigin | ''>('');
  const [userPromptCount, setUserPromptCount] = useState('');
  const [testSize, setTestSize] = useState('');
  const [scoring, setScoring] = useState<Scoring | ''>('');
  const [includeFixed, setIncludeFixed] = useState(true);
  const [extra, setExtra] = useState<ExtraPrompt[]>([]);
  const navigate = useNavigate();
  const start = useMutation(
    trpc.optimizer.metaTests.start.mutationOptions({
      // Not awaited: the mutation is over once the server answered, whatever the refetch takes.
      onSuccess: (record) => {
        void queryClient.invalidateQueries(trpc.optimizer.metaTests.pathFilter());
        void navigate({ to: '/meta-test', search: { run: record.runId ?? undefined, id: record.id } });
      },
    }),
  );
  const mode: TaskMode = taskMode === 'run' && !fromRun ? 'tasks' : taskMode;
  const imported = importedTasks(tasks.data ?? [], new Set((summaries.data ?? []).map((s) => s.taskId)));
  const domains = [...new Set((tasks.data ?? []).map((t) => t.domain))].sort();
  const tasksMissing = (mode === 'tasks' && chosen.length === 0) || (mode === 'domain' && !domain);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const count = optionalInt(userPromptCount);
    const size = optionalInt(testSize);
    const input: MetaTestStartInput = {
      kind,
      includeFixed,
      ...(fromRun ? { runId: fromRun } : {}),
      ...(mode === 'tasks' ? { tasks: chosen } : mode === 'domain' ? { tasks: domain } : {}),
      ...(kind === 'unseen' && userPrompts ? { userPrompts } : {}),
      ...(kind === 'unseen' && count !== undefined ? { unseenUserPrompts: count } : {}),
      ...(size === undefined ? {} : { testSize: size }),
      ...(scoring ? { scoring } : {}),
      ...(extra.length > 0 ? { systemPrompts: extra.map(({ label, prompt }) => ({ label, prompt })) } : {}),
    };
    start.mutate(input);
  };

  return (
    <form className="config-form" onSubmit={submit} aria-label="Start a meta-test">
      <div className="field">
        <label htmlFor="mt-kind">Kind</label>
        <select
          id="mt-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value === 'adapt' ? 'adapt' : 'unseen')}
        >
          <option value="unseen">unseen generalization</option>
          <option value="adapt">test-time adaptation</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="mt-from-run">From run</label>
        <select id="mt-from-run" value={fromRun} onChange={(e) => setFromRun(e.target.value)}>
          <option value="">fixed prompts only</option>
          <RunOptions runs={runs.data ?? []} />
        </select>
      </div>
      <div className="field">
        <label htmlFor="mt-tasks">Tasks</label>
        <select id="mt-tasks" value={mode} onChange={(e) => setTaskMode(taskModeOf(e.target.value))}>
          {fromRun && <option value="run">the run's meta-test tasks</option>}
          <option value="domain">a domain's meta-test set</option>
          <option value="tasks">chosen tasks</option>
        </select>
      </div>
      {mode === 'domain' && (
        <div className="field">
          <label htmlFor="mt-domain">Domain</label>
          <select id="mt-domain" value={domain} onChange={(e) => setDomain(e.target.value)}>
            <option value="">choose a domain</option>
            <ValueOptions values={domains} />
          </select>
        </div>
      )}
      {kind === 'unseen' && (
        <>
          <div className="field">
            <label htmlFor="mt-user-prompts">User prompts</label>
            <select
              id="mt-user-prompts"
              value={userPrompts}
              onChange={(e) => {
                const parsed = UserPromptOriginSchema.safeParse(e.target.value);
                setUserPrompts(parsed.success ? parsed.data : '');
              }}
            >
              <option value="">the reference's where the registry holds them, else generated</option>
              <option value="reference">the reference's only (refused for a task without them)</option>
              <option value="generated">generated by the optimizer model for every task</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="mt-user-prompts-per-task">User prompts per task</label>
            <input
              id="mt-user-prompts-per-task"
              type="number"
              min={1}
              max={50}
              placeholder={`run's or ${REFERENCE_DEFAULTS.unseenUserPrompts}`}
              value={userPromptCount}
              onChange={(e) => setUserPromptCount(e.target.value)}
            />
          </div>
        </>
      )}
      <div className="field">
        <label htmlFor="mt-test-examples-per-task">Test examples per task</label>
        <input
          id="mt-test-examples-per-task"
          type="number"
          min={1}
          placeholder={`run's or ${REFERENCE_DEFAULTS.testSize}`}
          value={testSize}
          onChange={(e) => setTestSize(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="mt-scoring">Scoring</label>
        <select
          id="mt-scoring"
          value={scoring}
          onChange={(e) => {
            const parsed = ScoringSchema.safeParse(e.target.value);
            setScoring(parsed.success ? parsed.data : '');
          }}
        >
          <option value="">the run's (else {DEFAULT_SCORING})</option>
          <ValueOptions values={ScoringSchema.options} />
        </select>
      </div>
      <label className="inline-check field-wide">
        <input type="checkbox" checked={includeFixed} onChange={(e) => setIncludeFixed(e.target.checked)} />
        Compare with the fixed prompts (default, chain-of-thought, service)
      </label>
      {mode === 'tasks' && (
        <div className="field-wide">
          <TaskChooser tasks={imported} chosen={chosen} onChange={setChosen} />
        </div>
      )}
      <ExtraPrompts prompts={extra} onChange={setExtra} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={start.isPending || tasksMissing}>
          {start.isPending ? 'Starting…' : 'Start meta-test'}
        </button>
        {tasksMissing && (
          <span className="hint">Choose {mode === 'domain' ? 'a domain' : 'at least one task'}.</span>
        )}
        {start.isSuccess && !start.isPending && (
          <span role="status" className="ok-note">
            Started {start.data.id}.
          </span>
        )}
      </div>
      {start.error && <ErrorNote error={start.error} />}
    </form>
  );
}

function taskModeOf(value: string): TaskMode {
  return value === 'run' || value === 'domain' ? value : 'tasks';
}
