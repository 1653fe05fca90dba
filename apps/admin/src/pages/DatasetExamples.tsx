import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Loadable } from '../components/QueryState.js';
import { useTRPC } from '../trpc.js';

const PAGE_SIZE = 20;

/** One task's examples, a page at a time, searched by the registry (question or gold answer). */
export function ExampleBrowser({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const [split, setSplit] = useState<'train' | 'test'>('train');
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState('');
  const page = useQuery({
    ...trpc.datasets.examples.page.queryOptions({
      taskId,
      split,
      offset,
      limit: PAGE_SIZE,
      ...(search.trim() ? { search: search.trim() } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <div className="stack">
      <div className="toolbar">
        <label>
          Split{' '}
          <select
            value={split}
            onChange={(e) => {
              setSplit(e.target.value === 'test' ? 'test' : 'train');
              setOffset(0);
            }}
          >
            <option value="train">train</option>
            <option value="test">test</option>
          </select>
        </label>
        <label>
          Search examples{' '}
          <input
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setOffset(0);
            }}
          />
        </label>
      </div>
      <Loadable query={page} label="examples">
        {(data) => {
          return (
            <>
              <p className="muted">
                {data.total === 0
                  ? search.trim()
                    ? 'No example matches the search.'
                    : 'No examples: fetch or import this task first.'
                  : `${offset + 1}–${Math.min(offset + PAGE_SIZE, data.total)} of ${data.total}`}
              </p>
              <ol className="examples" start={offset + 1}>
                {data.items.map((ex) => (
                  <li key={ex.id}>
                    <pre className="prompt">{ex.question}</pre>
                    {ex.options && (
                      <ol className="options" type="A">
                        {ex.options.map((opt, i) => (
                          <li key={`${ex.id}-${i}`}>{opt}</li>
                        ))}
                      </ol>
                    )}
                    <p>
                      Answer: <strong>{ex.answer}</strong>
                    </p>
                  </li>
                ))}
              </ol>
              <div className="toolbar">
                <button
                  type="button"
                  disabled={offset === 0}
                  onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
                >
                  Previous page
                </button>
                <button
                  type="button"
                  disabled={data.nextOffset === null}
                  onClick={() => setOffset(data.nextOffset ?? offset)}
                >
                  Next page
                </button>
              </div>
            </>
          );
        }}
      </Loadable>
    </div>
  );
}
