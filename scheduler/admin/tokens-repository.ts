import type { Db } from '../store/db.ts';

/** The `api_tokens` table. Only hashes are stored; tokens.ts makes and checks the secrets. */

export interface TokenRow {
  id: number;
  name: string;
  role: string;
  created_at: number;
  revoked_at: number | null;
}

const COLUMNS = 'id, name, role, created_at, revoked_at';

export function isNameLive(db: Db, name: string): boolean {
  return db.prepare('SELECT 1 FROM api_tokens WHERE name = ? AND revoked_at IS NULL').get(name) !== undefined;
}

/** Stores a new token's hash; returns its id. */
export function insertToken(db: Db, token: { name: string; role: string; hash: Buffer; createdAt: number }): number {
  return Number(
    db
      .prepare('INSERT INTO api_tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)')
      .run(token.name, token.role, token.hash, token.createdAt).lastInsertRowid,
  );
}

export function listTokenRows(db: Db): TokenRow[] {
  return db.prepare(`SELECT ${COLUMNS} FROM api_tokens ORDER BY id`).all() as TokenRow[];
}

export function findTokenById(db: Db, id: number): TokenRow | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM api_tokens WHERE id = ?`).get(id) as TokenRow | undefined;
}

export function findLiveTokenByName(db: Db, name: string): TokenRow | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM api_tokens WHERE name = ? AND revoked_at IS NULL`).get(name) as
    TokenRow | undefined;
}

/** The live token with this hash (an index probe), with the stored hash for a constant-time compare. */
export function findLiveTokenByHash(db: Db, hash: Buffer): (TokenRow & { hash: Buffer }) | undefined {
  return db.prepare(`SELECT ${COLUMNS}, hash FROM api_tokens WHERE hash = ? AND revoked_at IS NULL`).get(hash) as
    (TokenRow & { hash: Buffer }) | undefined;
}

export function markTokenRevoked(db: Db, id: number, atMs: number): void {
  db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ?').run(atMs, id);
}
