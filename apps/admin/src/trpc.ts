import type { AppRouter } from '@metaspo/platform';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useSyncExternalStore } from 'react';
import superjson from 'superjson';

/** The one module that knows how the app talks to the server. */

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

const TRPC_PATH = '/trpc';

export function createAppTrpcClient() {
  const url = new URL(TRPC_PATH, window.location.origin).toString();
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, transformer: superjson }),
        // The server refuses batches of more than 50 calls.
        false: httpBatchLink({ url, transformer: superjson, maxURLLength: 8_000, maxItems: 50 }),
      }),
    ],
  });
}

/** HTTP status of a failed call, when the server answered. */
function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  return (error.data as { httpStatus?: number } | undefined)?.httpStatus;
}

/**
 * Token mode: the server answers 401 until this tab logs in. The login page then takes the
 * token; the server keeps it as an HttpOnly SameSite=Strict cookie, so no script (ours or an
 * injected one) can read it, and the event streams, which cannot send headers, carry it too.
 */
let loginRequired = false;
const loginListeners = new Set<() => void>();
function setLoginRequired(required: boolean): void {
  if (loginRequired === required) return;
  loginRequired = required;
  for (const listener of loginListeners) listener();
}

export function useLoginRequired(): boolean {
  return useSyncExternalStore(
    (listener) => {
      loginListeners.add(listener);
      return () => loginListeners.delete(listener);
    },
    () => loginRequired,
  );
}

function noticeUnauthorized(error: unknown): void {
  if (httpStatusOf(error) === 401) setLoginRequired(true);
}

/** Sends the token to `/login`; resolves once the session cookie is set, rejects with the reason. */
export async function logIn(token: string): Promise<void> {
  const response = await fetch('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
    credentials: 'same-origin',
  });
  if (response.status === 401) throw new Error('That is not the token this server was started with.');
  if (!response.ok) throw new Error(`The server refused the login (${response.status}).`);
  setLoginRequired(false);
}

/** A 4xx answer will not change on retry; a network failure or a 5xx may. */
function isRetryable(error: unknown): boolean {
  if (error instanceof TRPCClientError) {
    const status = httpStatusOf(error);
    return status === undefined || status >= 500;
  }
  return true;
}

export function createAppQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: noticeUnauthorized }),
    mutationCache: new MutationCache({ onError: noticeUnauthorized }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (failureCount, error) => failureCount < 2 && isRetryable(error),
        retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 4_000),
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

/** A readable message for any error a query or mutation can end with. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const issues = (error.data as { issues?: Array<{ path: string; message: string }> | null } | undefined)
      ?.issues;
    if (issues && issues.length > 0)
      return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
