import type { Command } from 'commander';

/** The shared `metaspo bench` group; each benchmark adds its own subcommand to it. */
export function benchCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'bench') ??
    program
      .command('bench')
      .description('measure throughput and overhead; prints JSON (--json) and a short table')
  );
}
