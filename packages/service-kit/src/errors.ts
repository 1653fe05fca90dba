import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';

/**
 * Errors a service's domain logic throws. The router layer never builds TRPCErrors itself:
 * the base procedure maps these by `code`, and the error formatter puts `domainCode` on the
 * wire so a client (in-process or HTTP) can tell a budget stop from a missing task.
 */
export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'BUDGET_EXCEEDED'
  | 'UNAVAILABLE'
  | 'CANCELLED'
  | 'UPSTREAM';

const TRPC_CODE_BY_DOMAIN_CODE: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: 'NOT_FOUND',
  INVALID_INPUT: 'BAD_REQUEST',
  CONFLICT: 'CONFLICT',
  BUDGET_EXCEEDED: 'PRECONDITION_FAILED',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  CANCELLED: 'CLIENT_CLOSED_REQUEST',
  UPSTREAM: 'BAD_GATEWAY',
};

export interface FieldIssue {
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly issues: FieldIssue[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: DomainErrorCode,
    message: string,
    options?: { cause?: unknown; issues?: FieldIssue[]; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.issues = options?.issues;
    this.details = options?.details;
  }

  get trpcCode(): TRPC_ERROR_CODE_KEY {
    return TRPC_CODE_BY_DOMAIN_CODE[this.code];
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
export const invalidInput = (message: string, issues?: FieldIssue[]) =>
  new DomainError('INVALID_INPUT', message, issues ? { issues } : undefined);

type PathSegment = PropertyKey | { key: PropertyKey };

/** Turns zod / standard-schema issues into `{path, message}` with a dotted path. */
export function toFieldIssues(
  issues: ReadonlyArray<{ path?: ReadonlyArray<PathSegment>; message: string }>,
): FieldIssue[] {
  return issues.map((issue) => ({
    path: (issue.path ?? [])
      .map((seg) => String(typeof seg === 'object' && seg !== null ? seg.key : seg))
      .join('.'),
    message: issue.message,
  }));
}

export function formatFieldIssues(issues: FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

/** Reads the domain code a server attached to an error, through either link. */
export function domainCodeOf(error: unknown): DomainErrorCode | undefined {
  if (error instanceof DomainError) return error.code;
  const data = (error as { data?: { domainCode?: DomainErrorCode } } | null)?.data;
  return data?.domainCode ?? undefined;
}
