import { FileStore } from '@tus/file-store';
import { EVENTS, Server as TusServer } from '@tus/server';
import type { Context, Next } from 'koa';
import { Readable } from 'node:stream';
import type { Principal } from '../../admin/tokens.ts';
import type { Uploads } from '../../admin/uploads.ts';
import { principalOf } from '../auth.ts';

/**
 * Resumable uploads with the tus protocol (1.0.0: creation, creation-with-upload, termination) at
 * /api/admin/uploads, behind the admin API's bearer auth (editor). @tus/server speaks the protocol and
 * @tus/file-store keeps the bytes (and the offset) on disk, so an upload resumes after a restart. What an
 * upload means is scheduler/admin/uploads.ts: its checks throw domain errors, which this layer hands to the
 * app's error mapping (400/404/413/415/507 with the usual JSON body) instead of tus's own answer.
 * `GET /api/admin/uploads/:id` (not a tus route) reports what an upload became and what its lesson lacks.
 */

export const UPLOADS_PATH = '/api/admin/uploads';

export interface UploadRoutesOptions {
  uploads: Uploads;
  /** The editor-role check of the admin API (auth.ts requireRole). */
  editor: (ctx: Context, next: Next) => Promise<void>;
}

/** A hook's failure: the domain error travels beside the request, tus only sees that it failed. */
const HOOK_FAILED = { status_code: 500, body: 'upload hook failed\n' };

function toWebRequest(ctx: Context): Request {
  const headers = new Headers();
  const raw = ctx.req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const hasBody = ctx.method === 'POST' || ctx.method === 'PATCH';
  return new Request(new URL(ctx.url, 'http://uploads.invalid'), {
    method: ctx.method,
    headers,
    // Streamed straight to the file store: the server never holds an upload in memory.
    ...(hasBody ? { body: Readable.toWeb(ctx.req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

function createTusServer(uploads: Uploads, actors: WeakMap<Request, Principal>, failures: WeakMap<Request, unknown>) {
  const capture = async <T>(req: Request, work: () => T | Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      failures.set(req, error);
      throw HOOK_FAILED;
    }
  };
  const actor = (req: Request) => actors.get(req)?.name ?? 'unknown';
  const tus = new TusServer({
    path: UPLOADS_PATH,
    datastore: new FileStore({ directory: uploads.incomingDir }),
    relativeLocation: true,
    onIncomingRequest: (req, id) =>
      capture(req, () => {
        if (req.method === 'POST') return;
        uploads.open(id);
        if (req.method === 'PATCH') uploads.touch(id);
      }),
    onUploadCreate: (req, upload) =>
      capture(req, () => {
        const metadata = upload.metadata ?? {};
        const request = uploads.check(metadata, upload.sizeIsDeferred ? undefined : upload.size);
        uploads.created(upload.id, request, actor(req));
        return {};
      }),
    onUploadFinish: (req, upload) =>
      capture(req, async () => {
        const report = await uploads.complete(upload.id, actor(req));
        const headers: Record<string, string | number> = {};
        if (report.jobId !== null) headers['Aerial-Packaging-Job'] = report.jobId;
        return { headers };
      }),
  });
  tus.on(EVENTS.POST_TERMINATE, (_req: Request, _res: Response, id: string) => uploads.forget(id));
  return tus;
}

/** Koa middleware answering everything under /api/admin/uploads. */
export function createUploadsMiddleware(options: UploadRoutesOptions) {
  const { uploads, editor } = options;
  const actors = new WeakMap<Request, Principal>();
  const failures = new WeakMap<Request, unknown>();
  // Made on the first upload request: @tus/file-store's constructor starts an unawaited mkdir that throws
  // (uncaught) when the data directory is gone before it runs, as with a short-lived app in a test.
  let tus: TusServer | undefined;
  const authorize = (ctx: Context) => editor(ctx, async () => {});

  return async function uploadRoutes(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== UPLOADS_PATH && !ctx.path.startsWith(`${UPLOADS_PATH}/`)) return next();
    ctx.set('Cache-Control', 'no-store');
    if (ctx.method === 'GET') {
      await authorize(ctx);
      ctx.body = uploads.report(decodeURIComponent(ctx.path.slice(UPLOADS_PATH.length + 1)));
      return;
    }
    // OPTIONS is the protocol's capability discovery (and a browser's preflight): it reveals nothing.
    if (ctx.method !== 'OPTIONS') await authorize(ctx);
    const request = toWebRequest(ctx);
    if (ctx.method !== 'OPTIONS') actors.set(request, principalOf(ctx));
    tus ??= createTusServer(uploads, actors, failures);
    const response = await tus.handleWeb(request);
    const failure = failures.get(request);
    if (failure) throw failure;
    ctx.status = response.status;
    response.headers.forEach((value, name) => ctx.set(name, value));
    const text = await response.text();
    if (text) ctx.body = text;
    else if (ctx.status !== 204) ctx.body = '';
  };
}
