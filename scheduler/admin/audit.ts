import { z } from 'zod';
import type { Db } from '../store/db.ts';
import { auditEntries, type AuditEntry } from './audit-repository.ts';
import { parseQuery } from './validation.ts';

/** Reading the audit log (audit-repository.ts appends to it). */

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
  const sinceMs = q.since === undefined ? undefined : Date.parse(q.since);
  const rows = auditEntries(
    db,
    { before: q.before, actor: q.actor, method: q.method, route: q.route, sinceMs },
    q.limit + 1,
  );
  const page = rows.slice(0, q.limit);
  return rows.length > q.limit ? { entries: page, nextBefore: page.at(-1)!.id } : { entries: page };
}
