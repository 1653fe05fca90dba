/** Output helpers shared by every command: `--json` prints one object, otherwise text. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(rows: ReadonlyArray<Record<string, unknown>>, columns?: string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) =>
    v === null || v === undefined
      ? ''
      : typeof v === 'number' && !Number.isInteger(v)
        ? v.toFixed(3)
        : String(v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(cols)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(cols.map((c) => cell(row[c])))}\n`);
}

interface ErrorData {
  path?: string;
  issues?: Array<{ path: string; message: string }> | null;
  errorId?: string | null;
}

const MAX_ISSUE_LINES = 5;

function dataOf(error: Error): ErrorData | undefined {
  const data: unknown = 'data' in error ? error.data : undefined;
  return typeof data === 'object' && data !== null ? (data as ErrorData) : undefined;
}

/** zod issues a server sent as the message itself (tRPC does that for input errors). */
function issuesInMessage(message: string): Array<{ path: string; message: string }> | undefined {
  if (!message.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(message);
    if (!Array.isArray(parsed)) return undefined;
    return parsed.map((issue: { path?: unknown[]; message?: unknown }) => ({
      path: Array.isArray(issue.path) ? issue.path.join('.') : '',
      message: String(issue.message ?? 'invalid'),
    }));
  } catch {
    return undefined;
  }
}

/** The innermost cause's code (ECONNREFUSED) or message: why a connection failed. */
function rootCause(error: Error): string | undefined {
  let reason: string | undefined;
  for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause)
    reason = (cause as NodeJS.ErrnoException).code ?? cause.message;
  return reason;
}

/**
 * What a failed command prints on stderr: one line, or one line per invalid field (where, what
 * is expected), never a JSON dump. An internal server error carries the id it was logged under.
 */
export function formatCliError(error: unknown, target?: string): string {
  if (!(error instanceof Error)) return `metaspo: ${String(error)}`;
  const data = dataOf(error);
  const issues = data?.issues && data.issues.length > 0 ? data.issues : issuesInMessage(error.message);
  const where = data?.path ? ` (${data.path})` : '';
  const lines: string[] = [];
  if (issues) {
    lines.push(`metaspo: invalid input${where}:`);
    for (const issue of issues.slice(0, MAX_ISSUE_LINES))
      lines.push(`  ${issue.path ? `${issue.path}: ` : ''}${issue.message}`);
    if (issues.length > MAX_ISSUE_LINES) lines.push(`  ... and ${issues.length - MAX_ISSUE_LINES} more`);
  } else if (error.message === 'fetch failed') {
    const reason = rootCause(error);
    lines.push(
      `metaspo: cannot reach the server${target ? ` at ${target}` : ''}${reason ? ` (${reason})` : ''}`,
    );
  } else {
    lines.push(`metaspo: ${error.message.split('\n')[0]}`);
  }
  if (data?.errorId) lines.push(`  (error id ${data.errorId}: the server's log has the details)`);
  return lines.join('\n');
}
