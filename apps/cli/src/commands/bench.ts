import type { Command } from 'commander';

/** One headline figure of a benchmark next to its target, as `metaspo bench all` tables it. */
export interface BenchTargetRow {
  bench: string;
  figure: string;
  measured: number;
  target: string;
  /** null: a figure reported without a target. */
  pass: boolean | null;
}

/** The shared `metaspo bench` group; each benchmark adds its own subcommand to it. */
export function benchCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'bench') ??
    program
      .command('bench')
      .description('measure throughput and overhead; prints JSON (--json) and a short table')
  );
}
