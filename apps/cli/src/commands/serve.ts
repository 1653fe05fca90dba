import { loadPlatformConfig, SERVICE_NAMES, type ServiceName, startServer } from '@metaspo/server';
import { type Command, Option } from 'commander';
import { prepareDataDir } from '../data-dir.js';

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('serve every service under /trpc and the admin app at / (or one service with --service)')
    .option('--port <port>', 'port to listen on', '3000')
    .option('--host <host>', 'host to bind; a non-loopback host requires METASPO_API_TOKEN', '127.0.0.1')
    .addOption(
      new Option('--service <name>', 'run one service; its dependencies are reached at METASPO_<NAME>_URL')
        .choices(['all', ...SERVICE_NAMES])
        .default('all'),
    )
    .option('--admin-dir <dir>', 'the admin app build to serve at / (default apps/admin/dist)')
    .option(
      '--shared-datasets <dir>',
      'directory with the public benchmark files for `datasets fetch --from`',
    )
    .action(
      async (
        opts: {
          port: string;
          host: string;
          service: ServiceName | 'all';
          adminDir?: string;
          sharedDatasets?: string;
        },
        command: Command,
      ) => {
        const configFile = command.optsWithGlobals<{ platformConfig?: string }>().platformConfig;
        const server = await startServer({
          dataDir: prepareDataDir(command, 'now'),
          host: opts.host,
          port: Number(opts.port),
          service: opts.service,
          config: loadPlatformConfig(configFile),
          ...(opts.adminDir ? { adminDir: opts.adminDir } : {}),
          ...(opts.sharedDatasets ? { sharedDatasetsDir: opts.sharedDatasets } : {}),
        });
        process.stdout.write(`metaspo ${opts.service} listening on ${server.url}\n`);
        if (opts.service === 'all') process.stdout.write(`admin app: ${server.url}/\n`);
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
      },
    );
}
