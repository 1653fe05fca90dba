import type { ReactNode } from 'react';

/** A page section named by its heading: `id` makes the heading's id (`<id>-title`) that labels it. */
export function Panel({ id, title, children }: { id: string; title: ReactNode; children: ReactNode }) {
  const titleId = `${id}-title`;
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </section>
  );
}
