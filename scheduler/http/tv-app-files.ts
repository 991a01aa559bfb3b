import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Context } from 'koa';
import { InputError, NotFoundError } from '../errors.ts';

/**
 * A built front-end app (Vite output: the TV app's `tv-app/dist` under /tv/, the console's `admin-app/dist`
 * under /admin/). Vite names its assets with content hashes
 * (`assets/index-3f2a….js`), so those are cached for a long time; index.html must be revalidated.
 * Paths are decoded once and refused if any segment is `.`/`..`, hidden, or contains a backslash/NUL;
 * the resolved real path must lie inside the dist directory.
 */
export function createTvAppFileHandler(distDir: string) {
  return createBuiltAppFileHandler(distDir, { name: 'the TV app', build: 'run the TV app build (see README)' });
}

/** `app.name` and `app.build` word the errors: what is missing, and the command that builds it. */
export function createBuiltAppFileHandler(distDir: string, app: { name: string; build: string }) {
  const root = resolve(distDir);

  return async function serveBuiltAppFile(ctx: Context, rawRelativePath: string): Promise<void> {
    let relative: string;
    try {
      relative = decodeURIComponent(rawRelativePath);
    } catch {
      throw new InputError(`invalid path in ${app.name}`, [{ field: 'path', reason: 'malformed percent-encoding' }]);
    }
    if (relative === '') relative = 'index.html';
    const segments = relative.split('/');
    if (relative.includes('\\') || relative.includes('\0') || segments.some((s) => s === '' || s.startsWith('.'))) {
      throw new InputError(`invalid path in ${app.name}`, [
        { field: 'path', reason: `'${relative}' is not a file of ${app.name}` },
      ]);
    }
    const rootReal = await realpath(root).catch(() => undefined);
    if (!rootReal) {
      throw new NotFoundError(`${app.name} is not built (no ${root}); ${app.build} and reload`);
    }
    const real = await realpath(join(root, ...segments)).catch(() => undefined);
    const info = real && real.startsWith(rootReal + sep) ? await stat(real).catch(() => undefined) : undefined;
    if (!real || !info?.isFile()) throw new NotFoundError(`${app.name} has no file ${relative}`);

    ctx.status = 200;
    ctx.type = extname(real) || 'application/octet-stream';
    ctx.length = info.size;
    ctx.set('Cache-Control', segments[0] === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.lastModified = info.mtime;
    if (ctx.method === 'HEAD') return;
    ctx.body = createReadStream(real);
  };
}
