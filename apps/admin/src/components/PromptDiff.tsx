import { diffWords } from 'diff';
import { useMemo } from 'react';

/** A word diff of two prompts, rendered as text spans (the prompts are untrusted). */
export function PromptDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const parts = useMemo(() => diffWords(before, after), [before, after]);
  return (
    <section aria-label={label}>
      <pre className="prompt diff">
        {parts.map((part, i) => {
          const key = `${i}-${part.added ? 'a' : part.removed ? 'r' : 'c'}`;
          if (part.added) return <ins key={key}>{part.value}</ins>;
          if (part.removed) return <del key={key}>{part.value}</del>;
          return <span key={key}>{part.value}</span>;
        })}
      </pre>
    </section>
  );
}
