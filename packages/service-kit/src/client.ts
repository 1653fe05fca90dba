import {
  createTRPCClient,
  httpBatchStreamLink,
  httpSubscriptionLink,
  unstable_localLink as localLink,
  splitLink,
  type TRPCClient,
  type TRPCLink,
} from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import { createServiceContext } from './trpc.js';

export interface HttpTarget {
  url: string;
  token?: string | undefined;
  basePath?: string;
  /**
   * Split deployment: procedures whose first path segment is a key here (`llm`, `datasets`...)
   * go to that URL instead of `url`, like tRPC's service-oriented example.
   */
  routes?: Record<string, string | undefined>;
}

export type ServiceTarget<TRouter extends AnyRouter> = { router: TRouter } | HttpTarget;

function httpLink(baseUrl: string, target: HttpTarget): TRPCLink<AnyRouter> {
  const url = `${baseUrl.replace(/\/$/, '')}${target.basePath ?? '/trpc'}`;
  const headers: Record<string, string> = target.token ? { authorization: `Bearer ${target.token}` } : {};
  return splitLink({
    condition: (op) => op.type === 'subscription',
    true: httpSubscriptionLink({
      url,
      transformer: superjson,
      EventSource,
      eventSourceOptions: () => ({
        fetch: (input: string | URL | Request, init?: RequestInit) =>
          fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
      }),
    }),
    false: httpBatchStreamLink({ url, transformer: superjson, headers, maxURLLength: 8_000, maxItems: 50 }),
  });
}

function httpLinks(target: HttpTarget): TRPCLink<AnyRouter>[] {
  const routes = Object.entries(target.routes ?? {}).filter((entry): entry is [string, string] =>
    Boolean(entry[1]),
  );
  const routed = routes.reduceRight<TRPCLink<AnyRouter>>(
    (otherwise, [namespace, url]) =>
      splitLink({
        condition: (op) => op.path.split('.')[0] === namespace,
        true: httpLink(url, target),
        false: otherwise,
      }),
    httpLink(target.url, target),
  );
  return [routed];
}

/** The operations in flight on one caller signal, and the one listener that aborts them all. */
interface CallerLink {
  operations: Set<AbortController>;
  abortAll: () => void;
}
const callerLinks = new WeakMap<AbortSignal, CallerLink>();

/**
 * Ties `controller` to `callerSignal` while an operation runs; returns the unlink. A caller
 * signal holds one 'abort' listener however many of its operations are in flight, so a run
 * with dozens of concurrent calls neither trips Node's MaxListeners warning nor hides a real leak.
 */
function linkToCaller(callerSignal: AbortSignal, controller: AbortController): () => void {
  if (callerSignal.aborted) {
    controller.abort(callerSignal.reason);
    return () => undefined;
  }
  let link = callerLinks.get(callerSignal);
  if (!link) {
    const operations = new Set<AbortController>();
    const abortAll = () => {
      callerLinks.delete(callerSignal);
      for (const operation of operations) operation.abort(callerSignal.reason);
      operations.clear();
    };
    link = { operations, abortAll };
    callerLinks.set(callerSignal, link);
    callerSignal.addEventListener('abort', abortAll, { once: true });
  }
  const { operations, abortAll } = link;
  operations.add(controller);
  return () => {
    if (!operations.delete(controller) || operations.size > 0) return;
    callerSignal.removeEventListener('abort', abortAll);
    callerLinks.delete(callerSignal);
  };
}

/**
 * tRPC's links add an 'abort' listener to the caller's signal for every operation and never
 * remove it, so a run passing its signal to thousands of calls kept thousands of listeners (and
 * an AbortController each) until the run ended. Each operation gets a signal of its own,
 * linked to the caller's only while the operation runs.
 */
function perOperationSignalLink(): TRPCLink<AnyRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const callerSignal = op.signal;
        if (!callerSignal) return next(op).subscribe(observer);
        const controller = new AbortController();
        const unlink = linkToCaller(callerSignal, controller);
        const subscription = next({ ...op, signal: controller.signal }).subscribe({
          next: (value) => observer.next(value),
          error: (error) => {
            unlink();
            observer.error(error);
          },
          complete: () => {
            unlink();
            observer.complete();
          },
        });
        return () => {
          unlink();
          subscription.unsubscribe();
        };
      });
}

/**
 * The same typed client whether the router lives in this process (local link: with a
 * transformer set tRPC does not serialize, so results are the service's own objects) or behind a
 * URL (batched HTTP, SSE for subscriptions).
 */
export function createServiceClient<TRouter extends AnyRouter>(
  target: ServiceTarget<TRouter>,
): TRPCClient<TRouter> {
  const links: TRPCLink<AnyRouter>[] =
    'router' in target
      ? [
          perOperationSignalLink(),
          localLink<AnyRouter>({
            router: target.router,
            createContext: async () => createServiceContext(),
            transformer: superjson,
          }),
        ]
      : [perOperationSignalLink(), ...httpLinks(target)];
  return createTRPCClient<AnyRouter>({ links }) as unknown as TRPCClient<TRouter>;
}
