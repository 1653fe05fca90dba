import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useEffect } from 'react';
import { ServerBanner } from './components/ServerBanner.js';
import { LoginPage } from './pages/Login.js';
import { useLoginRequired } from './trpc.js';

const NAV = [
  { to: '/', label: 'Overview' },
  { to: '/runs', label: 'Runs' },
  { to: '/meta-test', label: 'Meta-test' },
  { to: '/compare', label: 'Compare' },
  { to: '/experiments', label: 'Experiments' },
  { to: '/datasets', label: 'Datasets' },
  { to: '/models', label: 'Models' },
] as const;

/**
 * The page part of the document title for the deepest matched route (`__root__` alone when no
 * route matched): the page first, so tabs and history entries tell pages apart.
 */
function pageName(routeId: string, params: Record<string, string>, search: Record<string, unknown>): string {
  if (routeId === '/login') return 'Sign in';
  if (routeId === '/runs/new') return 'New run';
  if (routeId === '/runs/$runId') return `Run ${params.runId}`;
  if (routeId === '/meta-test' && typeof search.id === 'string') return `Meta-test ${search.id}`;
  if (routeId.startsWith('/experiments/')) return 'Experiments';
  return NAV.find((item) => item.to === routeId)?.label ?? 'Not found';
}

function useTitle(loginRequired: boolean): string {
  const page = useRouterState({
    select: (state) => {
      const match = state.matches.at(-1);
      return match ? pageName(match.routeId, match.params, match.search) : 'Not found';
    },
  });
  return `${loginRequired ? 'Sign in' : page} · MetaSPO`;
}

/** The root route's component: header, server banner and the matched page (or the login form). */
export function AppLayout() {
  const loginRequired = useLoginRequired();
  const title = useTitle(loginRequired);
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    <div className="app">
      {/* A button, not an anchor: "#main" would be taken for a route by the hash router. */}
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header className="app-header">
        <Link className="brand" to="/">
          MetaSPO
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} activeOptions={{ exact: item.to === '/', includeSearch: false }}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <ServerBanner />
      <main id="main" tabIndex={-1}>
        {loginRequired ? <LoginPage /> : <Outlet />}
      </main>
    </div>
  );
}
