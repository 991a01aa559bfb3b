import { z } from 'zod';
import type { Db } from '../store/db.ts';
import { parseQuery } from './validation.ts';

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

export const auditQuerySchema = z.strictObject({
  /** Entries with id < before (paging backwards from the newest). */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  actor: z.string().min(1).max(64).optional(),
  method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  /** Substring of the route pattern, e.g. `suspensions`. */
  route: z.string().min(1).max(200).optional(),
  /** Entries at or after this instant (ISO 8601). */
  since: z.iso.datetime({ offset: true }).optional(),
});

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  nextBefore?: number;
}

/** Newest first, filtered; `query` is the raw query string object. */
export function listAudit(db: Db, query: unknown): AuditPage {
  const q = parseQuery(auditQuerySchema, query);
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.before !== undefined) {
    where.push('id < ?');
    params.push(q.before);
  }
  if (q.actor !== undefined) {
    where.push('actor = ?');
    params.push(q.actor);
  }
  if (q.method !== undefined) {
    where.push('method = ?');
    params.push(q.method);
  }
  if (q.route !== undefined) {
    where.push('instr(route, ?) > 0');
    params.push(q.route);
  }
  if (q.since !== undefined) {
    where.push('at_ms >= ?');
    params.push(Date.parse(q.since));
  }
  const rows = db
    .prepare(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
    .all(...params, q.limit + 1) as {
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
  const page = rows.slice(0, q.limit).map((r) => ({
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
  return rows.length > q.limit ? { entries: page, nextBefore: page.at(-1)!.id } : { entries: page };
}
