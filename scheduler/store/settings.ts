import type { Db } from './db.ts';

/** Service-wide settings, stored as JSON values. */
export function readSetting<T>(db: Db, key: string): T | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export function writeSetting(db: Db, key: string, value: unknown): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, JSON.stringify(value));
}

class Rollback extends Error {}

/**
 * A real write that is rolled back: proves the file is writable and the write lock obtainable.
 * Throws the database's error when it is not; changes nothing either way.
 */
export function probeWritable(db: Db): void {
  try {
    db.transaction(() => {
      db.prepare(
        "INSERT INTO settings (key, value) VALUES ('healthz-probe', '0') ON CONFLICT (key) DO UPDATE SET value = value",
      ).run();
      throw new Rollback();
    }).immediate();
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
}
