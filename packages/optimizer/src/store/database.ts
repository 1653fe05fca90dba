import { type OpenedDatabase, openDatabase } from '@metaspo/service-kit';
import { migrationsFolder } from '../db/migrations.js';
import * as schema from '../db/schema.js';

export type OptimizerDatabase = OpenedDatabase<typeof schema>;

export function openOptimizerDatabase(file: string): OptimizerDatabase {
  return openDatabase(file, { migrationsFolder, schema });
}

export const nowIso = () => new Date().toISOString();
