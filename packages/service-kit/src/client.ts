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
        const forward = () => controller.abort(callerSignal.reason);
        const unlink = () => callerSignal.removeEventListener('abort', forward);
        if (callerSignal.aborted) forward();
        else callerSignal.addEventListener('abort', forward, { once: true });
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
