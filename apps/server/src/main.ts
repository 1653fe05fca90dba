#!/usr/bin/env node
import { loadPlatformConfig, type PlatformMode, resolveDataDir, SERVICE_NAMES } from '@metaspo/platform';
import { Command, Option } from 'commander';
import { startServer } from './server.js';

interface ServeFlags {
  dataDir?: string;
  config?: string;
  port: string;
  host: string;
  service: PlatformMode;
  adminDir?: string;
  sharedDatasets?: string;
  exitWithStdin?: boolean;
}

const program = new Command('metaspo-server')
  .description('serve every MetaSPO service under /trpc and the admin app at / (or one service)')
  .option('--data-dir <dir>', 'where the SQLite files live (default .metaspo/ or METASPO_DATA_DIR)')
  .option('--config <file>', 'YAML platform configuration (or METASPO_CONFIG)')
  .option('--port <port>', 'port to listen on', '3000')
  .option('--host <host>', 'host to bind; a non-loopback host requires METASPO_API_TOKEN', '127.0.0.1')
  .addOption(
    new Option('--service <name>', 'run one service; its dependencies are reached at METASPO_<NAME>_URL')
      .choices(['all', ...SERVICE_NAMES])
      .default('all'),
  )
  .option('--admin-dir <dir>', 'the admin app build to serve at / (default apps/admin/dist)')
  .option('--shared-datasets <dir>', 'directory with the public benchmark files for `datasets fetch --from`')
  .addOption(
    // `metaspo serve` runs this process as its child: when the CLI dies without a chance to pass
    // a signal on (SIGKILL), its end of stdin closes and the server goes with it.
    new Option('--exit-with-stdin', 'exit at once when stdin closes').hideHelp(),
  )
  .action(async (flags: ServeFlags) => {
    const server = await startServer({
      dataDir: resolveDataDir(flags.dataDir),
      host: flags.host,
      port: Number(flags.port),
      service: flags.service,
      config: loadPlatformConfig(flags.config),
      ...(flags.adminDir ? { adminDir: flags.adminDir } : {}),
      ...(flags.sharedDatasets ? { sharedDatasetsDir: flags.sharedDatasets } : {}),
    });
    process.stdout.write(`metaspo ${flags.service} listening on ${server.url}\n`);
    if (flags.service === 'all') process.stdout.write(`admin app: ${server.url}/\n`);
    if (flags.exitWithStdin) process.stdin.on('end', () => process.exit(1)).resume();
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.stderr.write('shutting down: pausing runs, closing databases\n');
        server.close().then(resolve, (error: unknown) => {
          process.stderr.write(`metaspo: shutdown failed: ${String(error)}\n`);
          process.exitCode = 1;
          resolve();
        });
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    // Stop watching stdin once shut down, or the open pipe would keep this process alive.
    process.stdin.destroy();
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`metaspo: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  process.exitCode = 1;
});
