import type { Context, Next } from 'koa';
import { authenticate, roleAllows, type Principal, type Role } from '../admin/tokens.ts';
import type { Db } from '../store/db.ts';
import { HttpProblem } from './http-errors.ts';

/**
 * Bearer-token authentication for the admin API. Missing or unknown token → 401 with a
 * `WWW-Authenticate: Bearer` challenge (RFC 6750); a valid token without the role → 403.
 * Public routes never pass through here.
 */

const CHALLENGE = 'Bearer realm="aerial-admin"';

export function principalOf(ctx: Context): Principal {
  const principal = ctx.state.principal as Principal | undefined;
  if (!principal) throw new Error('route reached without authentication (requireRole missing)');
  return principal;
}

export function requireRole(db: Db, role: Role) {
  return async function authorize(ctx: Context, next: Next): Promise<void> {
    const header = ctx.get('Authorization');
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
    if (!match) {
      throw new HttpProblem(
        401,
        header
          ? 'Authorization header is not "Bearer <token>"'
          : 'this route needs a token: Authorization: Bearer <token>',
        {
          'WWW-Authenticate': header ? `${CHALLENGE}, error="invalid_request"` : CHALLENGE,
        },
      );
    }
    const principal = authenticate(db, match[1]!);
    if (!principal)
      throw new HttpProblem(401, 'invalid or revoked token', {
        'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"`,
      });
    if (!roleAllows(principal.role, role)) {
      throw new HttpProblem(403, `token '${principal.name}' has role '${principal.role}'; this route needs '${role}'`, {
        'WWW-Authenticate': `${CHALLENGE}, error="insufficient_scope"`,
      });
    }
    ctx.state.principal = principal;
    await next();
  };
}
