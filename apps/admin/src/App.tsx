import { useEffect } from 'react';
import { ServerBanner } from './components/ServerBanner.js';
import { type HashRoute, href, useHashRoute } from './lib/hash-route.js';
import { ComparePage } from './pages/Compare.js';
import { DatasetsPage } from './pages/Datasets.js';
import { ExperimentsSection } from './pages/Experiments.js';
import { LoginPage } from './pages/Login.js';
import { MetaTestPage } from './pages/MetaTest.js';
import { ModelsPage } from './pages/Models.js';
import { OverviewPage } from './pages/Overview.js';
import { RunCreatePage } from './pages/RunCreate.js';
import { RunDetailPage } from './pages/RunDetail.js';
import { RunsPage } from './pages/Runs.js';
import { useLoginRequired } from './trpc.js';

const NAV = [
  { section: '', label: 'Overview' },
  { section: 'runs', label: 'Runs' },
  { section: 'meta-test', label: 'Meta-test' },
  { section: 'compare', label: 'Compare' },
  { section: 'experiments', label: 'Experiments' },
  { section: 'datasets', label: 'Datasets' },
  { section: 'models', label: 'Models' },
] as const;

/** The document title of a route: the page first, so tabs and history entries tell pages apart. */
export function pageTitle(route: HashRoute, loginRequired: boolean): string {
  const [section = '', id] = route.segments;
  const page = (() => {
    if (loginRequired || section === 'login') return 'Sign in';
    if (section === 'runs' && id === 'new') return 'New run';
    if (section === 'runs' && id) return `Run ${id}`;
    if (section === 'meta-test' && route.params.get('id')) return `Meta-test ${route.params.get('id')}`;
    return NAV.find((item) => item.section === section)?.label ?? 'Not found';
  })();
  return `${page} · MetaSPO`;
}

function Page({ route }: { route: HashRoute }) {
  const [section = '', id] = route.segments;
  switch (section) {
    case '':
      return <OverviewPage />;
    case 'runs':
      if (id === 'new') return <RunCreatePage />;
      return id ? <RunDetailPage runId={id} /> : <RunsPage params={route.params} />;
    case 'meta-test':
      return <MetaTestPage params={route.params} />;
    case 'compare':
      return <ComparePage params={route.params} />;
    case 'experiments':
      return <ExperimentsSection id={id} />;
    case 'datasets':
      return <DatasetsPage />;
    case 'models':
      return <ModelsPage />;
    case 'login':
      return <LoginPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            There is no page at this address. <a href={href()}>Go to the overview</a>.
          </p>
        </section>
      );
  }
}

export function App() {
  const route = useHashRoute();
  const loginRequired = useLoginRequired();
  const current = route.segments[0] ?? '';
  const title = pageTitle(route, loginRequired);
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
        <a className="brand" href={href()}>
          MetaSPO
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.section}>
                <a href={href(item.section)} aria-current={current === item.section ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <ServerBanner />
      <main id="main" tabIndex={-1}>
        {loginRequired ? <LoginPage /> : <Page route={route} />}
      </main>
    </div>
  );
}
