import { type Logger, pino } from 'pino';
import { textDestination } from './logger-text.js';
import { redactSecrets, redactValue } from './redact.js';

export type { Logger };

export type LogFormat = 'json' | 'text';

export interface LoggerOptions {
  name?: string;
  level?: string;
  /** Defaults to stderr so that `--json` output on stdout stays machine-readable. */
  destination?: NodeJS.WritableStream;
  /**
   * json: one pino JSON object a line; text: one readable line a record. Defaults to
   * METASPO_LOG_FORMAT, else text on a terminal and json elsewhere (a log collector).
   */
  format?: LogFormat;
}

function formatOf(options: LoggerOptions, destination: NodeJS.WritableStream): LogFormat {
  const fromEnv = process.env.METASPO_LOG_FORMAT;
  if (options.format) return options.format;
  if (fromEnv === 'json' || fromEnv === 'text') return fromEnv;
  if (fromEnv) throw new Error(`METASPO_LOG_FORMAT must be json or text (got "${fromEnv}")`);
  return 'isTTY' in destination && destination.isTTY === true ? 'text' : 'json';
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stderr;
  const colour = 'isTTY' in destination && destination.isTTY === true;
  const stream =
    formatOf(options, destination) === 'text' ? textDestination(destination, colour) : destination;
  return pino(
    {
      name: options.name ?? 'metaspo',
      level: options.level ?? process.env.METASPO_LOG_LEVEL ?? 'info',
      formatters: { log: (object) => redactValue(object) },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    stream as pino.DestinationStream,
  );
}
