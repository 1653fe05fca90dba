import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

export const CLI_VERSION = '0.1.0';

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
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ sortSubcommands: true });
  registerCommands(program);
  return program;
}
