import type { RunStatus, Scoring } from '@metaspo/schemas';
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

const SCORING_MEANING: Record<Scoring, string> = {
  strict:
    'Strict scoring (the reference protocol): only the last <answer> tag is read; a response without one is a format failure, counted wrong',
  lenient: 'Lenient scoring: an untagged response is read too, and option or label synonyms are accepted',
};

export function ScoringTag({ scoring }: { scoring: Scoring }) {
  return (
    <span className={`tag tag-scoring tag-scoring-${scoring}`} title={SCORING_MEANING[scoring]}>
      {scoring}
    </span>
  );
}

/**
 * A score with how it was read (strict or lenient scoring) and the "simulated" label whenever
 * the base model is the simulator: no score is shown without both.
 */
export function Score({
  value,
  simulated,
  scoring,
}: {
  value: number | null | undefined;
  simulated: boolean;
  scoring: Scoring;
}) {
  return (
    <span className="score">
      {formatScore(value)} <ScoringTag scoring={scoring} /> <SimulatedTag simulated={simulated} />
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
