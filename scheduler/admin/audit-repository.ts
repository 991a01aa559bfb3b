import type { Db } from '../store/db.ts';

/**
 * The audit log: every mutation, appended in the mutation's own transaction (so an entry exists
 * exactly when the change does). There is no update or delete path; SQLite triggers reject both.
 */

export interface AuditEntryInput {
  atMs: number;
  actor: string;
  role: string;
  method: string;
  route: string;
  summary: string;
  before?: readonly string[];
  after?: readonly string[];
}

/** A stored entry: what was appended, with its id and both lists present (empty when not given). */
export interface AuditEntry extends Omit<AuditEntryInput, 'before' | 'after'> {
  id: number;
  before: string[];
  after: string[];
}

export function appendAudit(db: Db, entry: AuditEntryInput): number {
  return Number(
    db
      .prepare(
        'INSERT INTO audit_log (at_ms, actor, role, method, route, summary, before_ids, after_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        entry.atMs,
        entry.actor,
        entry.role,
        entry.method,
        entry.route,
        entry.summary,
        JSON.stringify(entry.before ?? []),
        JSON.stringify(entry.after ?? []),
      ).lastInsertRowid,
  );
}

export interface AuditFilter {
  /** Entries with id < before. */
  before?: number;
  actor?: string;
  method?: string;
  /** Substring of the route pattern. */
  route?: string;
  sinceMs?: number;
}

/** Entries newest first, at most `limit`. */
export function auditEntries(db: Db, filter: AuditFilter, limit: number): AuditEntry[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.before !== undefined) {
    where.push('id < ?');
    params.push(filter.before);
  }
  if (filter.actor !== undefined) {
    where.push('actor = ?');
    params.push(filter.actor);
  }
  if (filter.method !== undefined) {
    where.push('method = ?');
    params.push(filter.method);
  }
  if (filter.route !== undefined) {
    where.push('instr(route, ?) > 0');
    params.push(filter.route);
  }
  if (filter.sinceMs !== undefined) {
    where.push('at_ms >= ?');
    params.push(filter.sinceMs);
  }
  const rows = db
    .prepare(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
    .all(...params, limit) as {
    id: number;
    at_ms: number;
    actor: string;
    role: string;
    method: string;
    route: string;
    summary: string;
    before_ids: string;
    after_ids: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    atMs: r.at_ms,
    actor: r.actor,
    role: r.role,
    method: r.method,
    route: r.route,
    summary: r.summary,
    before: JSON.parse(r.before_ids) as string[],
    after: JSON.parse(r.after_ids) as string[],
  }));
}
