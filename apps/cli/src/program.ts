import { Command, Option } from 'commander';
import { registerCommands } from './commands/index.js';

const CLI_VERSION = '0.1.0';

/** Commander's "\n(Did you mean --config?)" on the same line as the error it explains. */
function oneLineSuggestion(text: string): string {
  return text.replace(/\n\(Did you mean (.+?)\?\)/, ' (did you mean $1?)');
}

/**
 * Commander checks required options before unknown ones, so `--confg x` was reported as a
 * missing `--config`. Required options are checked after parsing instead (in a preAction hook,
 * which runs once the unknown-option check has passed), with commander's own message.
 */
function checkRequiredAfterUnknown(program: Command): void {
  const required = new Map<Command, Option[]>();
  const visit = (command: Command) => {
    const mandatory = command.options.filter((option) => option.mandatory);
    for (const option of mandatory) option.makeOptionMandatory(false);
    if (mandatory.length > 0) required.set(command, mandatory);
    for (const sub of command.commands) visit(sub);
  };
  visit(program);
  program.hook('preAction', (_program, action) => {
    for (const option of required.get(action) ?? []) {
      if (action.getOptionValue(option.attributeName()) === undefined) {
        action.error(`error: required option '${option.flags}' not specified`, {
          code: 'commander.missingMandatoryOptionValue',
        });
      }
    }
  });
}

/** Builds the `metaspo` command tree; tests drive it without spawning a process. */
export function createProgram(): Command {
  const program = new Command('metaspo')
    .description(
      'Optimize LLM system prompts with MetaSPO (bilevel meta-learning of system prompts).\n' +
        'Runs offline against the built-in simulator (sim:default) or against real providers.',
    )
    .version(CLI_VERSION)
    .option('--data-dir <dir>', 'where the SQLite files live (default .metaspo/ or METASPO_DATA_DIR)')
    .option(
      '--server <url>',
      'talk to a running `metaspo serve` instead of in-process services (or METASPO_SERVER_URL)',
    )
    .option(
      '--platform-config <file>',
      'YAML platform configuration: providers, endpoints, prices, limits (or METASPO_CONFIG)',
    )
    .addOption(
      new Option('--log-format <format>', 'logs on stderr: text (readable lines) or json (one object a line)')
        .choices(['text', 'json'])
        .env('METASPO_LOG_FORMAT')
        .default('text'),
    )
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      outputError: (text, write) => write(oneLineSuggestion(text)),
    })
    .configureHelp({ sortSubcommands: true });
  registerCommands(program);
  checkRequiredAfterUnknown(program);
  // The loggers are made when the services are composed, after this hook: they read the format here.
  program.hook('preAction', (_program, action) => {
    process.env.METASPO_LOG_FORMAT = action.optsWithGlobals<{ logFormat: string }>().logFormat;
  });
  return program;
}
