import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlatformConfig, type PlatformMode, SERVICE_NAMES } from '@metaspo/platform';
import { type Command, Option } from 'commander';
import { prepareDataDir } from '../data-dir.js';
import { semiSpaceArgs } from '../heap.js';
import { port } from '../options.js';

/**
 * apps/server's entry beside this app, in the same form as this file (src/*.ts under the
 * source loader, dist/*.js when built). The CLI does not depend on the server package: apps
 * are the ends of the graph (docs/decisions/2026-12-01-platform-package.md).
 */
function serverEntry(): string {
  const here = fileURLToPath(import.meta.url);
  const form = path.basename(path.dirname(path.dirname(here)));
  return path.resolve(path.dirname(here), '../../../server', form, `main${path.extname(here)}`);
}

/**
 * Runs apps/server as a child, with the gateway's heap setting; signals sent to this process are
 * passed on, and its exit code is ours.
 */
function runServer(args: string[]): Promise<number> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...semiSpaceArgs(), serverEntry(), ...args, '--exit-with-stdin'],
    { stdio: ['pipe', 'inherit', 'inherit'] },
  );
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onTerm = forward('SIGTERM');
  const onInt = forward('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('serve every service under /trpc and the admin app at / (or one service with --service)')
    .option('--port <port>', 'port to listen on', port, 3000)
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
          port: number;
          host: string;
          service: PlatformMode;
          adminDir?: string;
          sharedDatasets?: string;
        },
        command: Command,
      ) => {
        const configFile = command.optsWithGlobals<{ platformConfig?: string }>().platformConfig;
        // Read here first so a bad config fails with the CLI's own error text, before a child starts.
        loadPlatformConfig(configFile);
        const args = [
          '--data-dir',
          prepareDataDir(command, 'now'),
          '--host',
          opts.host,
          '--port',
          String(opts.port),
          '--service',
          opts.service,
          ...(configFile ? ['--config', configFile] : []),
          ...(opts.adminDir ? ['--admin-dir', opts.adminDir] : []),
          ...(opts.sharedDatasets ? ['--shared-datasets', opts.sharedDatasets] : []),
        ];
        process.exitCode = await runServer(args);
      },
    );
}
