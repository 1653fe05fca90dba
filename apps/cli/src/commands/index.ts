import type { Command } from 'commander';

/** Every command group registers itself here, one line each. */
export function registerCommands(_program: Command): void {}
