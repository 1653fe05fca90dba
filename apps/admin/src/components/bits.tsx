import type { RunStatus } from '@metaspo/schemas';
import type { ReactNode } from 'react';
import { formatScore } from '../lib/format.js';

/** Untrusted text (prompts, responses, dataset rows): always a text node, never HTML. */
export function PromptText({ text, label }: { text: string; label?: string }) {
  const pre = <pre className="prompt">{text}</pre>;
  return label ? <section aria-label={label}>{pre}</section> : pre;
}

export function SimulatedTag({ simulated }: { simulated: boolean }) {
  return simulated ? (
    <span className="tag tag-simulated" title="The base model is the simulator: scores are simulated">
      simulated
    </span>
  ) : null;
}

/** A score with the "simulated" label next to it whenever the run's base model is the simulator. */
export function Score({ value, simulated }: { value: number | null | undefined; simulated: boolean }) {
  return (
    <span className="score">
      {formatScore(value)} <SimulatedTag simulated={simulated} />
    </span>
  );
}

export function StatusBadge({ status }: { status: RunStatus | string }) {
  return <span className={`status status-${status}`}>{status}</span>;
}

export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className="progress">
      <progress max={total || 1} value={done} aria-label={label} />
      <span className="progress-text">
        {done.toLocaleString()} / {total.toLocaleString()} requests ({percent}%)
      </span>
    </div>
  );
}

/** One figure of a `<dl className="stats">`. */
export function Stat({ term, testId, children }: { term: string; testId?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
