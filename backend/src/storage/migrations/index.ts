/**
 * In-code migrations, named NNN-name and applied in name order. Add a file `NNN-what.ts` exporting a
 * function of the dialect and list it here; never edit a migration that has shipped.
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { SqlDialect } from '../dialect.js';
import { initialMigration } from './001-initial.js';

export function migrationProvider(d: SqlDialect): MigrationProvider {
  return {
    getMigrations: async (): Promise<Record<string, Migration>> => ({
      '001-initial': initialMigration(d),
    }),
  };
}
