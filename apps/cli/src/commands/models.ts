import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_PULL_MAX_BYTES, type LlamaCppSettings } from '@metaspo/llm-gateway';
import { loadPlatformConfig } from '@metaspo/platform';
import { type PullProgress, pullModel } from '@metaspo/provider-llamacpp';
import type { Command } from 'commander';
import { positiveInteger } from '../options.js';
import { printJson, printTable } from '../output.js';

interface PullFlags {
  dir?: string;
  maxBytes?: number;
  force?: boolean;
  json?: boolean;
}

function llamaCppSettingsOf(command: Command): Partial<LlamaCppSettings> {
  const file = command.optsWithGlobals<{ platformConfig?: string }>().platformConfig;
  return loadPlatformConfig(file).llm?.llamacpp ?? {};
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/** One line per 10% (or per 64 MiB without a length); redrawn in place on a terminal. */
function progressPrinter(): (progress: PullProgress) => void {
  let lastStep = -1;
  return ({ receivedBytes, totalBytes }) => {
    const step = totalBytes
      ? Math.floor((receivedBytes / totalBytes) * 10)
      : Math.floor(receivedBytes / 64 / 1024 ** 2);
    if (step === lastStep && !process.stderr.isTTY) return;
    lastStep = step;
    const text = totalBytes
      ? `${mib(receivedBytes)} of ${mib(totalBytes)} (${Math.floor((receivedBytes / totalBytes) * 100)}%)`
      : mib(receivedBytes);
    process.stderr.write(process.stderr.isTTY ? `\r${text}   ` : `${text}\n`);
  };
}

function ggufFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.toLowerCase().endsWith('.gguf'))
    .sort();
}

export function registerModelsCommands(program: Command): void {
  const models = program
    .command('models')
    .description('local GGUF models for llamacpp: (downloads happen here, never through a call)');
  models
    .command('pull <ref>')
    .description('download hf:<user>/<repo>/<file>.gguf or an http(s) URL into llm.llamacpp.modelsDir')
    .option('--dir <dir>', 'save here instead of llm.llamacpp.modelsDir')
    .option(
      '--max-bytes <n>',
      'refuse a larger file (default llm.llamacpp.pullMaxBytes, 16 GiB)',
      positiveInteger,
    )
    .option('--force', 'replace a file of the same name')
    .option('--json', 'print only JSON')
    .action(async (ref: string, flags: PullFlags, command: Command) => {
      const settings = llamaCppSettingsOf(command);
      const dir = flags.dir ?? settings.modelsDir;
      if (dir === undefined) {
        throw new Error('no models directory: set llm.llamacpp.modelsDir in the config file, or pass --dir');
      }
      const controller = new AbortController();
      const stop = () => controller.abort(new Error('interrupted'));
      process.once('SIGINT', stop);
      try {
        const pulled = await pullModel({
          ref,
          dir,
          maxBytes: flags.maxBytes ?? settings.pullMaxBytes ?? DEFAULT_PULL_MAX_BYTES,
          overwrite: flags.force === true,
          signal: controller.signal,
          ...(flags.json ? {} : { onProgress: progressPrinter() }),
        });
        if (flags.json) {
          printJson(pulled);
          return;
        }
        if (process.stderr.isTTY) process.stderr.write('\n');
        const underModelsDir =
          settings.modelsDir !== undefined && path.resolve(dir) === path.resolve(settings.modelsDir);
        process.stdout.write(`saved ${pulled.file} (${mib(pulled.bytes)})\n`);
        process.stdout.write(
          underModelsDir
            ? `use it as llamacpp:${pulled.fileName}\n`
            : `name it under llm.llamacpp.models (e.g. ${pulled.fileName.replace(/\.gguf$/i, '')}: ${pulled.file}) to use it\n`,
        );
      } finally {
        process.off('SIGINT', stop);
      }
    });
  models
    .command('list')
    .description('the models llamacpp: can load: names in llm.llamacpp.models and files under modelsDir')
    .option('--json', 'print only JSON')
    .action((flags: { json?: boolean }, command: Command) => {
      const settings = llamaCppSettingsOf(command);
      const rows = [
        ...Object.entries(settings.models ?? {}).map(([name, file]) => ({
          reference: `llamacpp:${name}`,
          file: path.resolve(file),
        })),
        ...(settings.modelsDir === undefined
          ? []
          : ggufFilesUnder(settings.modelsDir).map((name) => ({
              reference: `llamacpp:${name}`,
              file: path.resolve(settings.modelsDir ?? '', name),
            }))),
      ];
      if (flags.json) printJson(rows);
      else printTable(rows);
    });
}
