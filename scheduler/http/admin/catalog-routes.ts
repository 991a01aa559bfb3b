import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { browseCatalog, catalogCards, catalogFillers, catalogVolumes } from '../../admin/catalog-browse.ts';
import { importCatalogBody } from '../../admin/catalog-upload.ts';
import { exportCatalogCsv, exportCatalogJson } from '../../catalog/catalog-import.ts';
import { parseQuery } from '../../admin/validation.ts';
import { UnsupportedMediaError } from '../../errors.ts';
import { CATALOG_BODY_LIMIT, readRawBody } from '../request-body.ts';
import { mutation, reply, type AdminEnv } from './mutation.ts';

const catalogQuerySchema = z.strictObject({
  name: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'a file-like label: letters, digits, . _ -')
    .optional(),
});

const exportQuerySchema = z.strictObject({ format: z.enum(['csv', 'json']).default('json') });

/** The uploaded catalog file: its bytes and the name its rows are reported under (`catalog.csv:14`). */
async function readCatalogUpload(ctx: Context): Promise<{ bytes: Buffer; named: string }> {
  const q = parseQuery(catalogQuerySchema, ctx.query);
  const csv = ctx.is('text/csv');
  const json = ctx.is('application/json');
  if (!csv && !json)
    throw new UnsupportedMediaError(
      `send the catalog as text/csv or application/json (got ${ctx.get('Content-Type') || 'no Content-Type'})`,
    );
  const bytes = await readRawBody(ctx, CATALOG_BODY_LIMIT);
  const label = q.name ?? (csv ? 'catalog.csv' : 'catalog.json');
  const named = label.endsWith(csv ? '.csv' : '.json') ? label : `${label}${csv ? '.csv' : '.json'}`;
  return { bytes, named };
}

/**
 * `/catalog` (`editor`): `lessons` (every lesson with its packaging state, filtered and paged), `volumes`
 * (the course tree with packaging counts), `fillers` (packaged filler assets), `cards` (the slate and the off-air
 * cards), `export` (a download that `import` takes back) and `import`
 * (CSV or JSON, all or nothing, as `aerial catalog import`).
 */
export function catalogRouter(env: AdminEnv): Router {
  const router = new Router();
  router.get('/lessons', env.editor, (ctx) => reply(ctx, browseCatalog(env.db, ctx.query)));
  router.get('/volumes', env.editor, (ctx) => reply(ctx, { volumes: catalogVolumes(env.db) }));
  router.get('/fillers', env.editor, (ctx) => reply(ctx, { fillers: catalogFillers(env.db) }));
  router.get('/cards', env.editor, (ctx) => reply(ctx, { cards: catalogCards(env.db) }));
  router.get('/export', env.editor, (ctx) => {
    const { format } = parseQuery(exportQuerySchema, ctx.query);
    reply(ctx, format === 'csv' ? exportCatalogCsv(env.db) : exportCatalogJson(env.db));
    ctx.type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="catalog.${format}"`);
  });
  router.post(
    '/import',
    env.editor,
    mutation(env, 200, readCatalogUpload, (_ctx, { bytes, named }) => {
      const report = importCatalogBody(env.db, bytes, named);
      const counts = `${report.lessons} lesson(s), ${report.added} added, ${report.updated} updated`;
      return { result: report, summary: `imported catalog ${named}: ${counts}`, after: [`catalog:${named}`] };
    }),
  );
  return router;
}
