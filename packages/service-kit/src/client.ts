import {
  createTRPCClient,
  httpBatchStreamLink,
  httpSubscriptionLink,
  isTRPCClientError,
  unstable_localLink as localLink,
  type Operation,
  splitLink,
  type TRPCClient,
  TRPCClientError,
  type TRPCLink,
} from '@trpc/client';
import { type AnyRouter, callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape } from '@trpc/server';
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
 * Queries and mutations call the router directly; subscriptions go through tRPC's local link.
 * That link aborts an AbortController whenever an operation ends, to stop a procedure its
 * subscriber left, and each abort builds DOMExceptions with stack traces (the controller's and
 * the signal raced with the caller's): two of the three aborts of every in-process call, the
 * third being tRPC's promise wrapper's own (about 35 ms of CPU over a run's 24,000 calls).
 * Here the procedure's signal is aborted only when the call is left before it finished (its
 * caller's signal aborted, or the subscriber gone), as the local link's is (no reason given, so
 * the procedure sees the same AbortError). With a transformer set the local link neither
 * serializes nor copies, and neither does this: results are the service's own objects. No query
 * or mutation here returns an async iterable; one that did would reach its caller unwrapped.
 */
function inProcessLink(router: AnyRouter): TRPCLink<AnyRouter> {
  const subscriptions = localLink<AnyRouter>({
    router,
    createContext: async () => createServiceContext(),
    transformer: superjson,
  });
  return (runtime) => {
    const subscriptionLink = subscriptions(runtime);
    return (linkOptions) => {
      const { op } = linkOptions;
      if (op.type === 'subscription') return subscriptionLink(linkOptions);
      return observable((observer) => {
        const callerSignal = op.signal;
        const controller = new AbortController();
        const abortWithCaller = () => controller.abort();
        if (callerSignal?.aborted) abortWithCaller();
        else callerSignal?.addEventListener('abort', abortWithCaller, { once: true });
        let settled = false;
        const settle = () => {
          settled = true;
          callerSignal?.removeEventListener('abort', abortWithCaller);
        };
        const ctx = createServiceContext();
        callTRPCProcedure({
          router,
          path: op.path,
          getRawInput: async () => op.input,
          ctx,
          type: op.type,
          signal: controller.signal,
          batchIndex: 0,
        }).then(
          (data: unknown) => {
            settle();
            observer.next({ result: { data } });
            observer.complete();
          },
          (cause: unknown) => {
            settle();
            observer.error(clientErrorOf(router, op, ctx, cause));
          },
        );
        return () => {
          if (settled) return;
          settle();
          controller.abort();
        };
      });
    };
  };
}

/** The error tRPC's local link gives its caller: the router's error shape, the cause kept. */
function clientErrorOf(
  router: AnyRouter,
  op: Pick<Operation, 'path' | 'type' | 'input'>,
  ctx: unknown,
  cause: unknown,
): TRPCClientError<AnyRouter> {
  if (isTRPCClientError<AnyRouter>(cause)) return cause;
  const error = getTRPCErrorFromUnknown(cause);
  const shape = getTRPCErrorShape({
    config: router._def._config,
    ctx,
    error,
    input: op.input,
    path: op.path,
    type: op.type,
  });
  return TRPCClientError.from<AnyRouter>({ error: shape }, cause instanceof Error ? { cause } : {});
}

/**
 * The same typed client whether the router lives in this process (results are the service's
 * own objects, see `inProcessLink`) or behind a URL (batched HTTP, SSE for subscriptions).
 */
export function createServiceClient<TRouter extends AnyRouter>(
  target: ServiceTarget<TRouter>,
): TRPCClient<TRouter> {
  const links: TRPCLink<AnyRouter>[] =
    'router' in target
      ? [perOperationSignalLink(), inProcessLink(target.router)]
      : [perOperationSignalLink(), ...httpLinks(target)];
  return createTRPCClient<AnyRouter>({ links }) as unknown as TRPCClient<TRouter>;
}
