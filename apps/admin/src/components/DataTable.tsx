import { type ReactNode, useLayoutEffect, useRef } from 'react';

/** A column heading; `hidden` names a column for screen readers only (e.g. a column of checkboxes). */
export type Column = string | { hidden: string };

const columnName = (column: Column) => (typeof column === 'string' ? column : column.hidden);

/**
 * Names each body cell after its column (`data-label`). On a narrow screen the stylesheet shows
 * every row as a card whose cells carry those names, so no column (a score, a cost) is pushed
 * off the side of the screen. The rows are the caller's markup, hence a pass over the DOM
 * after each render rather than a prop on every cell.
 */
function useCellLabels(columns: readonly Column[]) {
  const ref = useRef<HTMLTableElement>(null);
  const names = columns.map(columnName).join('\u0000');
  useLayoutEffect(() => {
    const labels = names.split('\u0000');
    for (const row of ref.current?.tBodies[0]?.rows ?? []) {
      let index = 0;
      for (const cell of row.cells) {
        cell.dataset.label = labels[index] ?? '';
        index += cell.colSpan;
      }
    }
  });
  return ref;
}

/**
 * A table of rows under one row of column headings: sideways scrolling when it is too wide,
 * one card per row on a narrow screen.
 */
export function DataTable({
  columns,
  className,
  children,
}: {
  columns: readonly Column[];
  className?: string;
  children: ReactNode;
}) {
  const ref = useCellLabels(columns);
  return (
    <div className="table-wrap">
      <table ref={ref} className={['narrow-cards', className].filter(Boolean).join(' ')}>
        <thead>
          <tr>
            {columns.map((column) =>
              typeof column === 'string' ? (
                <th key={column} scope="col">
                  {column}
                </th>
              ) : (
                <th key={column.hidden} scope="col">
                  <span className="visually-hidden">{column.hidden}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
