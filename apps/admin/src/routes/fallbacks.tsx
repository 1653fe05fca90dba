import { type ErrorComponentProps, Link, useRouter } from '@tanstack/react-router';

/** No route matches the address (a mistyped link, a path from another app, a malformed escape). */
export function NotFoundPage() {
  return (
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title">Not found</h1>
      <p>
        There is no page at this address. <Link to="/">Go to the overview</Link>.
      </p>
    </section>
  );
}

/** A page threw while rendering or its chunk failed to load: the message, a retry and a way out. */
export function RouteErrorPage({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  // Loading again (not only re-rendering) is what a failed chunk or loader needs.
  const retry = () => {
    reset();
    void router.invalidate();
  };
  return (
    <section aria-labelledby="route-error-title">
      <h1 id="route-error-title">This page failed</h1>
      <div className="error-note" role="alert">
        {error instanceof Error ? error.message : String(error)}
      </div>
      <p>
        <button type="button" onClick={retry}>
          Try again
        </button>{' '}
        or <Link to="/">go to the overview</Link>.
      </p>
    </section>
  );
}

/** Shown only when a page's chunk takes longer than the router's pending delay to arrive. */
export function PageLoading() {
  return <p className="loading">Loading page…</p>;
}
