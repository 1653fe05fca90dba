import { type Logger, pino } from 'pino';
import { redactSecrets, redactValue } from './redact.js';

export type { Logger };

export interface LoggerOptions {
  name?: string;
  level?: string;
  /** Defaults to stderr so that `--json` output on stdout stays machine-readable. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
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
    (options.destination ?? process.stderr) as pino.DestinationStream,
  );
}
