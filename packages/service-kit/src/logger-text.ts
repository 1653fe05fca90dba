/** pino's numeric levels and the names a reader expects. */
const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const LEVEL_COLOURS: Record<number, string> = { 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[31m' };
const RESET = '\x1b[0m';
/** Fields every pino line carries that the text line shows in its own place or leaves out. */
const FRAME_FIELDS = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname']);

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /\s|"/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * One pino JSON line as one human-readable line: `12:04:05 WARN llm-gateway: message key=value`.
 * A line that is not pino JSON passes through unchanged.
 */
export function formatLogLine(line: string, colour: boolean): string {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof record.level === 'number' ? record.level : 30;
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 19) : '';
  const name = LEVEL_NAMES[level] ?? String(level);
  const shown = colour && LEVEL_COLOURS[level] ? `${LEVEL_COLOURS[level]}${name}${RESET}` : name;
  const fields = Object.entries(record)
    .filter(([key]) => !FRAME_FIELDS.has(key))
    .map(([key, value]) => `${key}=${fieldText(value)}`);
  const source = typeof record.name === 'string' ? `${record.name}: ` : '';
  const message = typeof record.msg === 'string' ? record.msg : '';
  return `${[time, shown, `${source}${message}`, ...fields].filter(Boolean).join(' ')}\n`;
}

/** A pino destination that writes each record as a text line to `stream`. */
export function textDestination(
  stream: NodeJS.WritableStream,
  colour: boolean,
): { write(line: string): void } {
  return { write: (line) => stream.write(formatLogLine(line.trimEnd(), colour)) };
}
