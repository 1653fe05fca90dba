import path from 'node:path';

export const DATABASE_FILES = {
  llm: 'llm.sqlite',
  datasets: 'datasets.sqlite',
  evaluator: 'evaluator.sqlite',
  optimizer: 'optimizer.sqlite',
} as const;

/** `explicit`, else METASPO_DATA_DIR, else `.metaspo/` in the working directory. */
export function resolveDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(explicit ?? env.METASPO_DATA_DIR ?? '.metaspo');
}

export function databaseFile(dataDir: string, service: keyof typeof DATABASE_FILES): string {
  return dataDir === ':memory:' ? ':memory:' : path.join(dataDir, DATABASE_FILES[service]);
}
