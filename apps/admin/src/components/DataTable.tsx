import type { ReactNode } from 'react';

/** A column heading; `hidden` names a column for screen readers only (e.g. a column of checkboxes). */
export type Column = string | { hidden: string };

/** A table of rows under one row of column headings, scrolling sideways when it is too wide. */
export function DataTable({
  columns,
  className,
  children,
}: {
  columns: readonly Column[];
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className={className}>
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
