import type { Statement } from 'better-sqlite3';
import type { Db } from './db.ts';

// Statements are prepared once per connection: publishing a year or importing a catalog calls them thousands of times.
const statementCache = new WeakMap<Db, Map<string, Statement>>();

/**
 * The prepared statement for `sql` on this connection, prepared on first use. Shared by every caller of the
 * same SQL text, so a text is used in one mode only (always `.pluck()`ed, always `.raw()`, or neither).
 */
export function statement<P extends unknown[] | object = unknown[], R = unknown>(db: Db, sql: string): Statement<P, R> {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = db.prepare(sql)));
  return prepared as unknown as Statement<P, R>;
}
