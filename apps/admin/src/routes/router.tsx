import {
  createHashHistory,
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
} from '@tanstack/react-router';
import { AppLayout } from '../App.js';
import { LoginPage } from '../pages/Login.js';
import { NotFoundPage, PageLoading, RouteErrorPage } from './fallbacks.js';
import {
  CompareSearchSchema,
  MetaTestSearchSchema,
  parseSearch,
  RunCreateSearchSchema,
  RunsSearchSchema,
  stringifySearch,
} from './search.js';

/**
 * Code-based routes. Every page is its own chunk (`lazyRouteComponent`), loaded when its route
 * first matches (or on hover of a link to it); only the layout, the router and the tRPC client are
 * in the first chunk. Hash history: the server answers every path with one `index.html`.
 */
const rootRoute = createRootRoute({
  component: AppLayout,
  notFoundComponent: NotFoundPage,
  errorComponent: RouteErrorPage,
});

const overviewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  component: lazyRouteComponent(() => import('../pages/Overview.js'), 'OverviewPage'),
});

const runsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/runs',
  validateSearch: RunsSearchSchema,
  component: lazyRouteComponent(() => import('../pages/Runs.js'), 'RunsPage'),
});

const runCreateRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/runs/new',
  validateSearch: RunCreateSearchSchema,
  component: lazyRouteComponent(() => import('../pages/RunCreate.js'), 'RunCreatePage'),
});

const runDetailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/runs/$runId',
  component: lazyRouteComponent(() => import('../pages/RunDetail.js'), 'RunDetailPage'),
});

const metaTestRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/meta-test',
  validateSearch: MetaTestSearchSchema,
  component: lazyRouteComponent(() => import('../pages/MetaTest.js'), 'MetaTestPage'),
});

const compareRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/compare',
  validateSearch: CompareSearchSchema,
  component: lazyRouteComponent(() => import('../pages/Compare.js'), 'ComparePage'),
});

const experimentsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/experiments',
  component: lazyRouteComponent(() => import('../pages/Experiments.js'), 'ExperimentsPage'),
});

const experimentCreateRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/experiments/new',
  component: lazyRouteComponent(() => import('../pages/ExperimentCreate.js'), 'ExperimentCreatePage'),
});

const experimentDetailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/experiments/$experimentId',
  component: lazyRouteComponent(() => import('../pages/ExperimentDetail.js'), 'ExperimentDetailPage'),
});

const datasetsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/datasets',
  component: lazyRouteComponent(() => import('../pages/Datasets.js'), 'DatasetsPage'),
});

const modelsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/models',
  component: lazyRouteComponent(() => import('../pages/Models.js'), 'ModelsPage'),
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  component: LoginPage,
});

const routeTree = rootRoute.addChildren([
  overviewRoute,
  runsRoute,
  runCreateRoute,
  runDetailRoute,
  metaTestRoute,
  compareRoute,
  experimentsRoute,
  experimentCreateRoute,
  experimentDetailRoute,
  datasetsRoute,
  modelsRoute,
  loginRoute,
]);

/**
 * The hand-written router before this one took `#runs/ID` as well as `#/runs/ID`. Such an address
 * (a bookmark, or one typed into the address bar) is rewritten in place before the router reads
 * it: at start, and on `popstate` by a listener added before the hash history adds its own.
 */
function keepHashLeadingSlash(): void {
  const addSlash = () => {
    const { hash } = window.location;
    if (hash.length > 1 && !hash.startsWith('#/')) {
      window.history.replaceState(window.history.state, '', `#/${hash.slice(1)}`);
    }
  };
  addSlash();
  window.addEventListener('popstate', addSlash);
}

export function createAppRouter() {
  keepHashLeadingSlash();
  return createRouter({
    routeTree,
    history: createHashHistory(),
    parseSearch,
    stringifySearch,
    defaultPreload: 'intent',
    defaultPendingComponent: PageLoading,
    defaultErrorComponent: RouteErrorPage,
  });
}

type AppRouterInstance = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouterInstance;
  }
}
