import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { InputError, NotFoundError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import {
  findLiveTokenByHash,
  findLiveTokenByName,
  findTokenById,
  insertToken,
  isNameLive,
  listTokenRows,
  markTokenRevoked,
  type TokenRow,
} from './tokens-repository.ts';

/**
 * API tokens. A token is 32 random bytes (base64url, prefixed `aer_` so it is recognisable in a
 * leaked config); only its SHA-256 is stored. Roles: `editor` programmes (timetables, calendars,
 * overrides, suspensions, catalog, packaging, preview/publish); `admin` can do all that and also
 * manage channels and tokens.
 */

export const ROLES = ['editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenInfo {
  id: number;
  name: string;
  role: Role;
  createdAt: number;
  revokedAt: number | null;
}

export interface Principal {
  tokenId: number;
  name: string;
  role: Role;
}

const TOKEN_PREFIX = 'aer_';
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$/;

/** Does `role` include the permissions of `required`? admin ⊇ editor. */
export function roleAllows(role: Role, required: Role): boolean {
  return role === 'admin' || role === required;
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function rowToInfo(row: TokenRow): TokenInfo {
  return { id: row.id, name: row.name, role: row.role as Role, createdAt: row.created_at, revokedAt: row.revoked_at };
}

export function validateTokenRequest(name: unknown, role: unknown): { name: string; role: Role } {
  const problems = [];
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    problems.push({
      field: 'name',
      reason: 'a name of 1-64 letters, digits, spaces or . _ @ - (starting with a letter or digit)',
    });
  }
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    problems.push({ field: 'role', reason: `one of ${ROLES.join(', ')}` });
  }
  if (problems.length) throw new InputError('bad token request', problems);
  return { name: name as string, role: role as Role };
}

/**
 * Creates a token; returns the secret (shown once) and what is stored. Throws InputError if the name is taken by a live
 * token.
 */
export function createToken(
  db: Db,
  nameInput: unknown,
  roleInput: unknown,
  nowMs: number,
): { token: string; info: TokenInfo } {
  const { name, role } = validateTokenRequest(nameInput, roleInput);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  if (isNameLive(db, name))
    throw new InputError(`a live token is already named '${name}'`, [
      { field: 'name', reason: `'${name}' is already used by a live token; revoke it first or pick another name` },
    ]);
  const id = insertToken(db, { name, role, hash: hashToken(token), createdAt: nowMs });
  return { token, info: { id, name, role, createdAt: nowMs, revokedAt: null } };
}

export function listTokens(db: Db): TokenInfo[] {
  return listTokenRows(db).map(rowToInfo);
}

/** Revokes the live token with this name, or the token with this numeric id. */
export function revokeToken(db: Db, nameOrId: string, nowMs: number): TokenInfo {
  const row = /^\d+$/.test(nameOrId) ? findTokenById(db, Number(nameOrId)) : findLiveTokenByName(db, nameOrId);
  if (!row) throw new NotFoundError(`no live token named or numbered '${nameOrId}'`);
  if (row.revoked_at !== null) return rowToInfo(row);
  markTokenRevoked(db, row.id, nowMs);
  return { ...rowToInfo(row), revokedAt: nowMs };
}

/**
 * The principal a presented token stands for, or undefined. The lookup is by hash (an index probe on a
 * value an attacker cannot steer towards a stored one); the stored and computed hashes are then
 * compared in constant time, so timing reveals nothing about how much of a guess matched.
 */
export function authenticate(db: Db, presented: string): Principal | undefined {
  if (!presented.startsWith(TOKEN_PREFIX) || presented.length > 200) return undefined;
  const hash = hashToken(presented);
  const row = findLiveTokenByHash(db, hash);
  if (!row || !timingSafeEqual(row.hash, hash)) return undefined;
  return { tokenId: row.id, name: row.name, role: row.role as Role };
}
