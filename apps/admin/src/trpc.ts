import type { AppRouter } from '@metaspo/server';
import { QueryClient } from '@tanstack/react-query';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
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
        false: httpBatchLink({ url, transformer: superjson, maxURLLength: 8_000 }),
      }),
    ],
  });
}

/** A 4xx answer will not change on retry; a network failure or a 5xx may. */
function isRetryable(error: unknown): boolean {
  if (error instanceof TRPCClientError) {
    const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
    return status === undefined || status >= 500;
  }
  return true;
}

export function createAppQueryClient(): QueryClient {
  return new QueryClient({
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
