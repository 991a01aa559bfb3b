import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Migrations are `NNN_name.sql` files applied in order; `PRAGMA user_version` records the last one applied. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: readFileSync(join(dir, file), 'utf8'),
    }));
}

export function migrate(db: Db, migrations = loadMigrations()): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = migrations.filter((m) => m.version > current);
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return pending.length;
}

/** Page size of a new database file (bytes). Measured with the school-year publish benchmark. */
export const PAGE_SIZE = 16_384;

export function dbPath(dataDir: string): string {
  return join(dataDir, 'aerial.db');
}

/**
 * Opens (creating if needed) `<dataDir>/aerial.db` in WAL mode with foreign keys on, migrated to the latest version.
 */
export function openDb(dataDir: string, options: { readonly?: boolean } = {}): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(dbPath(dataDir), { readonly: options.readonly ?? false });
  // Only takes effect while the file is still empty (a new data dir); published day snapshots are
  // tens of KB each, and 16 KB pages store and checkpoint them with a quarter of the page overhead.
  if (!options.readonly) db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  if (!options.readonly) migrate(db);
  return db;
}
