import { userInfo } from 'node:os';
import { appendAudit } from '../admin/audit-repository.ts';
import { createToken, listTokens, revokeToken } from '../admin/tokens.ts';
import { UsageError } from '../errors.ts';
import { parseOptions, requirePositional, type Command, withDb } from './command.ts';

/** Who ran the CLI, for the audit log (the CLI has no token). */
function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

const createUsage = 'aerial token create --role editor|admin --name NAME';

export const tokenCreateCommand: Command = {
  name: 'token create',
  summary: 'Create an admin API token (printed once; only its hash is stored)',
  usage: createUsage,
  async run(args, ctx) {
    const { values } = parseOptions(args, { role: { type: 'string' }, name: { type: 'string' } }, createUsage);
    if (!values.role) throw new UsageError(`missing --role\nusage: ${createUsage}`);
    if (!values.name) throw new UsageError(`missing --name\nusage: ${createUsage}`);
    return withDb(ctx.dataDir, async (db) => {
      const now = Date.now();
      const { token, info } = db
        .transaction(() => {
          const created = createToken(db, values.name, values.role, now);
          appendAudit(db, {
            atMs: now,
            actor: cliActor(),
            role: 'admin',
            method: 'CLI',
            route: 'aerial token create',
            summary: `created ${created.info.role} token ${created.info.name} (id ${created.info.id})`,
            after: [`token:${created.info.id}`],
          });
          return created;
        })
        .immediate();
      ctx.stdout.write(`${token}\n`);
      ctx.stderr.write(
        `created ${info.role} token '${info.name}' (id ${info.id}); it is shown only this once — use it as: Authorization: Bearer <token>\n`,
      );
      return 0;
    });
  },
};

const listUsage = 'aerial token list [--json]';

export const tokenListCommand: Command = {
  name: 'token list',
  summary: 'List admin API tokens (names, roles, dates; never the secrets)',
  usage: listUsage,
  async run(args, ctx) {
    const { values } = parseOptions(args, { json: { type: 'boolean' } }, listUsage);
    return withDb(ctx.dataDir, async (db) => {
      const tokens = listTokens(db);
      if (values.json) {
        ctx.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
        return 0;
      }
      if (tokens.length === 0) ctx.stdout.write(`no tokens (create one with: ${createUsage})\n`);
      for (const t of tokens) {
        const state = t.revokedAt === null ? 'live' : `revoked ${new Date(t.revokedAt).toISOString()}`;
        ctx.stdout.write(
          `${String(t.id).padStart(4)}  ${t.name.padEnd(24)} ${t.role.padEnd(7)} created ${new Date(t.createdAt).toISOString()}  ${state}\n`,
        );
      }
      return 0;
    });
  },
};

const revokeUsage = 'aerial token revoke NAME|ID';

export const tokenRevokeCommand: Command = {
  name: 'token revoke',
  summary: 'Revoke an admin API token by name or id',
  usage: revokeUsage,
  async run(args, ctx) {
    const { positionals } = parseOptions(args, {}, revokeUsage, 1);
    const key = requirePositional(positionals, 0, 'NAME or ID', revokeUsage);
    return withDb(ctx.dataDir, async (db) => {
      const now = Date.now();
      const info = db
        .transaction(() => {
          const revoked = revokeToken(db, key, now);
          appendAudit(db, {
            atMs: now,
            actor: cliActor(),
            role: 'admin',
            method: 'CLI',
            route: 'aerial token revoke',
            summary: `revoked token ${revoked.name} (id ${revoked.id})`,
            before: [`token:${revoked.id}`],
          });
          return revoked;
        })
        .immediate();
      ctx.stdout.write(`revoked token '${info.name}' (id ${info.id})\n`);
      return 0;
    });
  },
};
