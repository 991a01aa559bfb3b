import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { captionSidecarPath } from '../../packaging/captions.ts';
import { getLadder } from '../../packaging/ladder.ts';
import { probeSource, SourceRejectedError } from '../../packaging/probe.ts';
import { parseWebVtt, WebVttError } from '../../packaging/webvtt.ts';
import { MEDIA_ID_PATTERN } from '../../playlists/media-layout.ts';
import type { Clock } from '../clock.ts';
import {
  InputError,
  InsufficientStorageError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaError,
  type Problem,
} from '../errors.ts';
import { lessonToPackage } from '../packaging/assets-repository.ts';
import type { Db } from '../store/db.ts';
import type { FillerSpec, PackagingQueue } from './packaging-queue.ts';
import * as repo from './uploads-repository.ts';
import type { UploadRecord } from './uploads-repository.ts';

/**
 * Uploads of lesson media (the tus protocol is the HTTP layer's business; this is what an upload means).
 * An upload names its lesson (`lessonId`, or `assetId` for a filler or the slate), its `role` and its
 * `filename`; it is checked when it is created (size limit, free disk space, known lesson, role) and its
 * bytes land under `<data>/uploads/incoming/` until the last one arrives. Only then is it placed:
 * - `caption:<lang>`: checked as WebVTT, kept as the lesson's newest sidecar for that language;
 * - `source`: probed (container and streams, not the file name); a rejected file becomes a failed job with
 *   the CLI's reason and is removed; an accepted one becomes a packaging job, with the lesson's newest
 *   caption sidecars placed next to it (a language the catalog lists without one fails the job, named);
 * - `rendition:<name>` (pre-encoded): kept; when the last rendition of the ladder arrives, the newest file of each
 *   becomes a packaging job (stream copy after the conformance checks), with the lesson's caption sidecars.
 * Unfinished uploads idle for longer than the expiry (default 24 h, by the injected clock) are removed.
 */

export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 ** 3;
export const DEFAULT_UPLOAD_EXPIRY_MS = 24 * 3600_000;
const ROLE = /^(source|caption:[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*|rendition:[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;

export interface UploadsOptions {
  db: Db;
  dataDir: string;
  clock: Clock;
  packaging: PackagingQueue;
  maxUploadBytes?: number;
  expiryMs?: number;
  /** Packaging ladder of the jobs uploads make, and whose renditions `rendition:<name>` names (default 'default'). */
  ladder?: string;
  logger?: Logger;
}

/** A validated request to start an upload. */
export interface UploadRequest {
  lessonId: string | null;
  assetId: string | null;
  role: string;
  filename: string;
  sizeBytes: number;
}

/** What an upload became, and what the lesson still lacks. */
export interface UploadReport {
  id: string;
  lessonId: string | null;
  assetId: string | null;
  role: string;
  filename: string;
  sizeBytes: number;
  createdAt: number;
  completedAt: number | null;
  jobId: number | null;
  /** Caption languages the catalog lists without an uploaded sidecar, or rendition names not uploaded yet. */
  missing: string[];
  /** What happens next, in a sentence. */
  next: string;
}

export interface Uploads {
  readonly incomingDir: string;
  readonly maxUploadBytes: number;
  /** Checks a new upload's metadata and size (InputError, PayloadTooLargeError, InsufficientStorageError). */
  check(metadata: Record<string, string | null | undefined>, sizeBytes: number | undefined): UploadRequest;
  /** Records a checked upload under the id its bytes are stored by. */
  created(id: string, request: UploadRequest, actor: string): void;
  /** The unfinished upload `id` (NotFoundError when unknown, finished or expired — an expired one is removed). */
  open(id: string): UploadRecord;
  /** Marks activity on an upload (it does not expire while bytes arrive). */
  touch(id: string): void;
  /** Places a finished upload (see the module header). UnsupportedMediaError/InputError for a rejected file. */
  complete(id: string, actor: string): Promise<UploadReport>;
  /** Drops the record of an upload the client terminated. */
  forget(id: string): void;
  report(id: string): UploadReport;
  /** Removes unfinished uploads idle for longer than the expiry; returns their ids. */
  expire(): string[];
}

function freeBytesOf(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

function extensionOf(filename: string): string {
  return /\.[A-Za-z0-9]{1,8}$/.exec(filename)?.[0]?.toLowerCase() ?? '';
}

function metadataProblems(db: Db, ladder: string, m: Record<string, string | null | undefined>): Problem[] {
  const problems: Problem[] = [];
  const { lessonId, assetId, role, filename } = m;
  if (!lessonId && !assetId)
    problems.push({ field: 'lessonId', reason: 'missing: name the lesson (or assetId for a filler or the slate)' });
  if (lessonId && assetId) problems.push({ field: 'assetId', reason: 'give lessonId or assetId, not both' });
  if (lessonId && !lessonToPackage(db, lessonId))
    problems.push({ field: 'lessonId', reason: `unknown lesson '${lessonId}'` });
  if (assetId && !MEDIA_ID_PATTERN.test(assetId))
    problems.push({ field: 'assetId', reason: `'${assetId}' is not path-safe (letters, digits, . _ -; at most 128)` });
  if (!role) problems.push({ field: 'role', reason: 'missing: source, caption:<lang> or rendition:<name>' });
  else if (!ROLE.test(role))
    problems.push({ field: 'role', reason: `unknown role '${role}' (source, caption:<lang> or rendition:<name>)` });
  else if (assetId && role !== 'source')
    problems.push({ field: 'role', reason: `a filler or slate upload is its source only (got '${role}')` });
  else if (role.startsWith('rendition:')) {
    const names = getLadder(ladder).renditions.map((r) => r.name);
    if (!names.includes(role.slice('rendition:'.length)))
      problems.push({ field: 'role', reason: `unknown rendition '${role.slice(10)}' (known: ${names.join(', ')})` });
  }
  if (!filename) problems.push({ field: 'filename', reason: 'missing: the name of the file being uploaded' });
  else if (filename.length > 255) problems.push({ field: 'filename', reason: 'longer than 255 characters' });
  return problems;
}

/** What the lesson of an upload still lacks for its role family. */
function missingFor(db: Db, ladder: string, u: UploadRecord): string[] {
  if (!u.lessonId) return [];
  if (u.role.startsWith('rendition:')) {
    const have = new Set(repo.finishedUploadsOf(db, u.lessonId, 'rendition:').map((r) => r.role.slice(10)));
    return getLadder(ladder)
      .renditions.map((r) => r.name)
      .filter((n) => !have.has(n));
  }
  const lesson = lessonToPackage(db, u.lessonId);
  const have = new Set(repo.finishedUploadsOf(db, u.lessonId, 'caption:').map((r) => r.role.slice(8)));
  return (lesson?.captions ?? []).filter((language) => !have.has(language));
}

function nextStep(u: UploadRecord, missing: string[]): string {
  if (u.completedAt === null) return 'waiting for the rest of the bytes';
  if (u.role === 'source')
    return u.jobId === null ? 'rejected' : `packaging job ${u.jobId} (see /api/admin/packaging-jobs/${u.jobId})`;
  if (u.role.startsWith('caption:'))
    return missing.length
      ? `stored; caption languages still missing: ${missing.join(', ')}`
      : 'stored; used by the next source upload of this lesson';
  if (u.jobId !== null) return `every rendition is here: packaging job ${u.jobId}`;
  return `stored; renditions still missing: ${missing.join(', ')}`;
}

function checkUpload(
  db: Db,
  ladder: string,
  maxUploadBytes: number,
  incomingDir: string,
  metadata: Record<string, string | null | undefined>,
  sizeBytes: number | undefined,
): UploadRequest {
  const problems = metadataProblems(db, ladder, metadata);
  if (sizeBytes === undefined)
    problems.push({ field: 'Upload-Length', reason: 'required (deferred lengths are not accepted)' });
  if (problems.length || sizeBytes === undefined) throw new InputError('bad upload', problems);
  if (sizeBytes > maxUploadBytes)
    throw new PayloadTooLargeError(
      `upload of ${sizeBytes} bytes is over the limit of ${maxUploadBytes} bytes (AERIAL_MAX_UPLOAD_BYTES)`,
      maxUploadBytes,
    );
  const free = freeBytesOf(incomingDir);
  if (sizeBytes > free)
    throw new InsufficientStorageError(`upload of ${sizeBytes} bytes does not fit: ${free} bytes free`, free);
  return {
    lessonId: metadata.lessonId || null,
    assetId: metadata.assetId || null,
    role: metadata.role!,
    filename: metadata.filename!,
    sizeBytes,
  };
}

export function createUploads(options: UploadsOptions): Uploads {
  const { db, dataDir, clock } = options;
  const root = join(dataDir, 'uploads');
  const incomingDir = join(root, 'incoming');
  mkdirSync(incomingDir, { recursive: true });
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const expiryMs = options.expiryMs ?? DEFAULT_UPLOAD_EXPIRY_MS;
  const ladder = options.ladder ?? 'default';
  const removeIncoming = (id: string) => {
    rmSync(join(incomingDir, id), { force: true });
    rmSync(join(incomingDir, `${id}.json`), { force: true });
  };
  const place = { db, root, incomingDir, clock, ladder, packaging: options.packaging, removeIncoming };

  const uploads: Uploads = {
    incomingDir,
    maxUploadBytes,
    check: (metadata, sizeBytes) => checkUpload(db, ladder, maxUploadBytes, incomingDir, metadata, sizeBytes),
    created(id, request, actor) {
      repo.insertUpload(db, { id, ...request, createdBy: actor, createdAt: clock() });
    },
    open(id) {
      const upload = repo.findUpload(db, id);
      if (upload && upload.completedAt === null && upload.touchedAt + expiryMs <= clock()) {
        expireOne(db, upload, removeIncoming);
        throw new NotFoundError(`upload ${id} expired (idle for more than ${expiryMs / 3600_000} h) and was removed`);
      }
      if (!upload) throw new NotFoundError(`unknown upload '${id}'`);
      if (upload.completedAt !== null) throw new NotFoundError(`upload ${id} is finished; see its report`);
      return upload;
    },
    touch: (id) => repo.touchUpload(db, id, clock()),
    complete: (id, actor) => completeUpload(place, id, actor).then(() => uploads.report(id)),
    forget: (id) => repo.deleteUpload(db, id),
    report(id) {
      const u = repo.findUpload(db, id);
      if (!u) throw new NotFoundError(`unknown upload '${id}'`);
      const missing = missingFor(db, ladder, u);
      const { lessonId, assetId, role, filename, sizeBytes, createdAt, completedAt, jobId } = u;
      return {
        id,
        lessonId,
        assetId,
        role,
        filename,
        sizeBytes,
        createdAt,
        completedAt,
        jobId,
        missing,
        next: nextStep(u, missing),
      };
    },
    expire() {
      const stale = repo.staleUploads(db, clock() - expiryMs);
      for (const u of stale) expireOne(db, u, removeIncoming);
      if (stale.length) options.logger?.info({ uploads: stale.map((u) => u.id) }, 'expired abandoned uploads');
      return stale.map((u) => u.id);
    },
  };
  return uploads;
}

function expireOne(db: Db, upload: UploadRecord, removeIncoming: (id: string) => void): void {
  removeIncoming(upload.id);
  repo.deleteUpload(db, upload.id);
}

interface Placement {
  db: Db;
  ladder: string;
  root: string;
  incomingDir: string;
  clock: Clock;
  packaging: PackagingQueue;
  removeIncoming: (id: string) => void;
}

/** Moves a finished upload out of incoming/ to where its role needs it, and acts on it. */
async function completeUpload(p: Placement, id: string, actor: string): Promise<void> {
  const upload = repo.findUpload(p.db, id);
  if (!upload) throw new NotFoundError(`unknown upload '${id}'`);
  const owner = upload.lessonId ? join('lessons', upload.lessonId) : join('assets', upload.assetId!);
  const kind = upload.role.replace(':', '-');
  const dir = join(p.root, owner, `${kind}-${id}`);
  const name = upload.role.startsWith('caption:') ? 'captions.vtt' : `source${extensionOf(upload.filename)}`;
  const target = join(dir, name);
  mkdirSync(dir, { recursive: true });
  renameSync(join(p.incomingDir, id), target);
  p.removeIncoming(id);
  try {
    if (upload.role.startsWith('caption:')) checkCaption(target, upload);
    else if (upload.role === 'source') await probeUploadedSource(p, upload, target, actor);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    removeIfEmpty(join(p.root, owner));
    throw error;
  }
  if (upload.role === 'source' && upload.assetId) {
    p.db.transaction(() => {
      const job = p.packaging.enqueueUpload({
        lessonId: null,
        filler: fillerOf(upload),
        source: target,
        uploadId: id,
        requestedBy: actor,
        ladder: p.ladder,
      });
      repo.completeUpload(p.db, id, target, job.id, p.clock());
    })();
  } else if (upload.role === 'source' && upload.lessonId) {
    placeCaptions(p.db, upload.lessonId, target);
    p.db.transaction(() => {
      const job = p.packaging.enqueueUpload({
        lessonId: upload.lessonId!,
        source: target,
        uploadId: id,
        requestedBy: actor,
      });
      repo.completeUpload(p.db, id, target, job.id, p.clock());
    })();
  } else if (upload.role.startsWith('rendition:') && upload.lessonId) {
    p.db.transaction(() => {
      repo.completeUpload(p.db, id, target, null, p.clock());
      const job = renditionsJob(p, upload.lessonId!, id, actor);
      if (job !== undefined) repo.completeUpload(p.db, id, target, job, p.clock());
    })();
  } else {
    repo.completeUpload(p.db, id, target, null, p.clock());
  }
}

/** Once every rendition of the ladder is uploaded: a job packaging the newest file of each (and the captions). */
function renditionsJob(p: Placement, lessonId: string, uploadId: string, actor: string): number | undefined {
  const files: Record<string, string> = {};
  for (const u of repo.finishedUploadsOf(p.db, lessonId, 'rendition:')) files[u.role.slice(10)] ??= u.path!;
  const names = getLadder(p.ladder).renditions.map((r) => r.name);
  if (!names.every((name) => files[name])) return undefined;
  const canonical = files[names[0]!]!;
  placeCaptions(p.db, lessonId, canonical);
  const job = p.packaging.enqueueUpload({
    lessonId,
    source: canonical,
    uploadId,
    requestedBy: actor,
    ladder: p.ladder,
    renditions: Object.fromEntries(names.map((name) => [name, files[name]!])),
  });
  return job.id;
}

/** An upload with `assetId`: the slate when so named (1 s segments), else a filler titled by its file name. */
function fillerOf(upload: UploadRecord): FillerSpec {
  const id = upload.assetId!;
  return {
    id,
    kind: id === 'slate' ? 'slate' : 'filler',
    title: { zh: upload.filename.replace(/\.[^.]*$/, '') || id },
  };
}

function removeIfEmpty(dir: string): void {
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}

function checkCaption(path: string, upload: UploadRecord): void {
  try {
    parseWebVtt(readFileSync(path), upload.filename);
  } catch (error) {
    if (!(error instanceof WebVttError)) throw error;
    throw new InputError(`caption upload ${upload.id} rejected`, [{ where: error.file, reason: error.reason }]);
  }
}

/**
 * Probes by content; a rejected source (a lesson's, a filler's or the slate's) becomes a failed job with the
 * CLI's reason, and nothing stays.
 */
async function probeUploadedSource(p: Placement, upload: UploadRecord, target: string, actor: string): Promise<void> {
  try {
    await probeSource(target);
  } catch (error) {
    if (!(error instanceof SourceRejectedError)) throw error;
    const owner = upload.lessonId ? `lesson '${upload.lessonId}'` : `asset '${upload.assetId}'`;
    const reason = `${owner}: source rejected: ${upload.filename}: ${error.reason}`;
    p.db.transaction(() => {
      const job = p.packaging.enqueueUpload({
        lessonId: upload.lessonId,
        ...(upload.assetId ? { filler: fillerOf(upload) } : {}),
        source: target,
        uploadId: upload.id,
        requestedBy: actor,
        rejectedReason: reason,
      });
      repo.completeUpload(p.db, upload.id, null, job.id, p.clock());
    })();
    throw new UnsupportedMediaError(reason);
  }
}

/** Links the lesson's newest caption sidecar of each language next to the source, as packaging expects them. */
function placeCaptions(db: Db, lessonId: string, source: string): void {
  const newest = new Map<string, string>();
  for (const u of repo.finishedUploadsOf(db, lessonId, 'caption:'))
    if (!newest.has(u.role.slice(8))) newest.set(u.role.slice(8), u.path!);
  for (const [language, path] of newest) {
    const sidecar = captionSidecarPath(source, language);
    rmSync(sidecar, { force: true }); // a rendition kept from an earlier set may carry older captions
    linkSync(path, sidecar);
  }
}
