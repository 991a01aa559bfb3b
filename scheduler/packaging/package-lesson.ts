import { join, resolve } from 'node:path';
import { readCaptionSidecars } from '../../packaging/captions.ts';
import {
  getLadder,
  LESSON_SEGMENTING,
  SLATE_SEGMENTING,
  type Ladder,
  type SegmentingParams,
} from '../../packaging/ladder.ts';
import {
  contentAssetId,
  packageAsset,
  readPackagingRecord,
  sha256File,
  type PackagedAsset,
} from '../../packaging/package-asset.ts';
import type { PosterOptions } from '../../packaging/poster.ts';
import { probeSource, SourceRejectedError } from '../../packaging/probe.ts';
import type { TranscodeProgress } from '../../packaging/transcode.ts';
import { WebVttError } from '../../packaging/webvtt.ts';
import { MEDIA_ID_PATTERN } from '../../playlists/media-layout.ts';
import { InputError, NotFoundError, type Problem } from '../errors.ts';
import type { Db } from '../store/db.ts';
import * as repo from './assets-repository.ts';
import type { AssetTitle } from './assets-repository.ts';

export function mediaDirOf(dataDir: string): string {
  return join(dataDir, 'media');
}

export interface PackagingContext {
  db: Db;
  dataDir: string;
  ladder?: Ladder;
  /** Progress of the ffmpeg run for `assetId`. */
  onProgress?: (assetId: string, progress: TranscodeProgress) => void;
  /** Clock for `packaged_at` (UTC epoch ms). */
  now?: () => number;
  /** Where poster frames are taken (default 10 % in; `aerial package --poster-at`). */
  poster?: PosterOptions;
  /** Cancels the run: ffmpeg is terminated, its temp dir removed, the lesson left as it was; rejects with why. */
  signal?: AbortSignal;
}

export interface PackagingOutcome {
  assetId: string;
  /** Seconds of media in the asset. */
  mediaSeconds: number;
  /** True when an identical packaging was already recorded and only linked. */
  reused: boolean;
  asset?: PackagedAsset;
}

async function fingerprint(source: string): Promise<string> {
  await probeSource(source); // reject bad sources before spending time hashing them
  return sha256File(source);
}

/** How one lesson's media is fingerprinted and packaged: from a source (transcode) or pre-encoded renditions. */
export interface LessonMediaInput {
  /** The file recorded as the lesson's source (the canonical rendition's file for pre-encoded ones). */
  source: string;
  /** Checks the media before its sidecars are read (e.g. probing a source); a refusal is a domain error. */
  check?: () => Promise<void>;
  /** Content hash of the media (cancellable). */
  fingerprint: () => Promise<string>;
  package: (assetId: string, sha256: string, captions: PackagedCaptions) => Promise<PackagedAsset>;
  /** The refusal an error stands for (bad source, non-conforming rendition…), or undefined. */
  refusal: (error: unknown) => { what: string; reason: string; where?: string; field?: string } | undefined;
}

type PackagedCaptions = ReturnType<typeof readCaptionSidecars>;

/**
 * Where and how a lesson's media is packaged, whatever the input (a transcoded source or pre-encoded renditions):
 * the media dir, the ladder, lesson segments, the known hash, its captions, the poster position and the abort signal.
 */
export function lessonPackagingTarget(
  ctx: PackagingContext,
  ladder: Ladder,
  assetId: string,
  sourceSha256: string,
  captions: PackagedCaptions,
) {
  return {
    assetId,
    mediaDir: mediaDirOf(ctx.dataDir),
    ladder,
    segmenting: LESSON_SEGMENTING,
    sourceSha256,
    captions,
    ...(ctx.poster ? { poster: ctx.poster } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
}

/**
 * Packages one lesson's media and records it; one sequence for every kind of input. Order makes a kill at any
 * point safe: media is renamed into place first, then ONE transaction records the asset, its renditions and the
 * lesson status. A media dir with no asset row is an orphan that the next run replaces.
 * The lesson's catalog `captions` languages are read from sidecars next to the source (`lesson.mp4` →
 * `lesson.zh.vtt`) and packaged as caption tracks; they are part of the asset's content id, so the same media
 * and captions again are linked, not repackaged. A refused input or a missing/invalid sidecar marks the lesson
 * failed with the reason and throws InputError; a cancelled run leaves the lesson as it was.
 */
export async function packageLessonMedia(
  ctx: PackagingContext,
  lessonId: string,
  input: LessonMediaInput,
): Promise<PackagingOutcome> {
  const lesson = repo.lessonToPackage(ctx.db, lessonId);
  if (!lesson) throw new NotFoundError(`unknown lesson '${lessonId}'`);
  const ladder = ctx.ladder ?? getLadder('default');
  const { source } = input;
  const title: AssetTitle = { zh: lesson.title_zh, ...(lesson.title_en ? { en: lesson.title_en } : {}) };
  try {
    await input.check?.();
    const captions = readCaptionSidecars(source, lesson.captions); // before hashing: a bad sidecar fails fast
    const sha = await input.fingerprint();
    ctx.signal?.throwIfAborted();
    const assetId = contentAssetId(lessonId, sha, ladder, LESSON_SEGMENTING, captions);
    if (repo.assetExists(ctx.db, assetId)) {
      ctx.db.transaction(() => repo.linkLesson(ctx.db, lessonId, source, assetId))();
      return { assetId, mediaSeconds: 0, reused: true };
    }
    const asset = await input.package(assetId, sha, captions);
    repo.recordPackagedLesson(ctx.db, lessonId, source, asset, title, (ctx.now ?? Date.now)());
    return { assetId, mediaSeconds: asset.durationMs / 1000, reused: false, asset };
  } catch (error) {
    if (ctx.signal?.aborted) throw error; // cancelled: the lesson stays as it was
    const refused = input.refusal(error);
    if (refused) {
      repo.recordLessonFailure(ctx.db, lessonId, source, refused.reason);
      const { where = source, field, reason } = refused;
      throw new InputError(`lesson '${lessonId}': ${refused.what}`, [{ where, ...(field && { field }), reason }]);
    }
    if (error instanceof WebVttError) {
      repo.recordLessonFailure(ctx.db, lessonId, source, `captions: ${error.message}`);
      throw new InputError(`lesson '${lessonId}': captions rejected`, [{ where: error.where, reason: error.reason }]);
    }
    repo.recordLessonFailure(ctx.db, lessonId, source, `packaging failed: ${(error as Error).message}`);
    throw error;
  }
}

/** Packages one lesson's source (transcoded through the ladder) and records it (see packageLessonMedia). */
export async function packageLesson(
  ctx: PackagingContext,
  lessonId: string,
  sourceArg?: string,
): Promise<PackagingOutcome> {
  const lesson = repo.lessonToPackage(ctx.db, lessonId);
  if (!lesson) throw new NotFoundError(`unknown lesson '${lessonId}'`);
  const sourceText = sourceArg ?? lesson.source;
  if (!sourceText) throw new InputError(`lesson '${lessonId}' has no source video; pass --source FILE`);
  const source = resolve(sourceText);
  const ladder = ctx.ladder ?? getLadder('default');
  return packageLessonMedia(ctx, lessonId, {
    source,
    check: async () => void (await probeSource(source)), // reject a bad source before reading sidecars or hashing
    fingerprint: () => sha256File(source, ctx.signal),
    package: (assetId, sourceSha256, captions) =>
      packageAsset({
        ...lessonPackagingTarget(ctx, ladder, assetId, sourceSha256, captions),
        source,
        onProgress: ctx.onProgress && ((p) => ctx.onProgress!(assetId, p)),
      }),
    refusal: (error) =>
      error instanceof SourceRejectedError
        ? { what: `source rejected: ${error.message}`, reason: error.reason }
        : undefined,
  });
}

export interface FillerRequest {
  /** The asset id schedules refer to (e.g. `slate`, `eye-exercises`). */
  id: string;
  kind: 'filler' | 'slate';
  title: AssetTitle;
  source: string;
}

/** How a filler's media is fingerprinted and packaged: from a source (transcode) or pre-encoded renditions. */
export interface FillerMediaInput {
  fingerprint: () => Promise<string>;
  package: (segmenting: SegmentingParams, sha256: string) => Promise<PackagedAsset>;
  /** The refusal an error stands for (bad source, non-conforming rendition…), or undefined. */
  refusal: (error: unknown) => { what: string; details?: Problem[] } | undefined;
}

/**
 * Packages a filler or the slate under a fixed id (the slate with 1 s segments); one sequence for every kind of
 * input. Ids of published assets are never reused for different content: same content is a no-op, different
 * content (or settings) is refused.
 */
export async function packageFillerMedia(
  ctx: PackagingContext,
  request: Omit<FillerRequest, 'source'>,
  input: FillerMediaInput,
): Promise<PackagingOutcome> {
  if (!MEDIA_ID_PATTERN.test(request.id)) {
    throw new InputError(`filler id '${request.id}' is not path-safe (letters, digits, . _ -; at most 128)`);
  }
  const ladder = ctx.ladder ?? getLadder('default');
  const segmenting = request.kind === 'slate' ? SLATE_SEGMENTING : LESSON_SEGMENTING;
  const refused = (error: unknown): unknown => {
    const refusal = input.refusal(error);
    return refusal ? new InputError(`${request.kind} '${request.id}': ${refusal.what}`, refusal.details) : error;
  };
  try {
    const sha = await input.fingerprint();
    if (repo.assetExists(ctx.db, request.id)) {
      const record = readPackagingRecord(mediaDirOf(ctx.dataDir), request.id);
      const same =
        record?.sourceSha256 === sha &&
        record.ladder === ladder.name &&
        JSON.stringify(record.segmenting) === JSON.stringify(segmenting);
      if (same && repo.assetKind(ctx.db, request.id) === request.kind)
        return { assetId: request.id, mediaSeconds: 0, reused: true };
      throw new InputError(
        `asset '${request.id}' is already published from different content or settings; its segments may be cached, so give the new one a new id`,
      );
    }
    const asset = await input.package(segmenting, sha);
    repo.recordFiller(ctx.db, asset, request.kind, request.title, (ctx.now ?? Date.now)());
    return { assetId: request.id, mediaSeconds: asset.durationMs / 1000, reused: false, asset };
  } catch (error) {
    throw refused(error);
  }
}

/** Packages a filler or the slate from a source, transcoded through the ladder (see packageFillerMedia). */
export function packageFiller(ctx: PackagingContext, request: FillerRequest): Promise<PackagingOutcome> {
  const source = resolve(request.source);
  return packageFillerMedia(ctx, request, {
    fingerprint: () => fingerprint(source),
    package: (segmenting, sourceSha256) =>
      packageAsset({
        assetId: request.id,
        source,
        mediaDir: mediaDirOf(ctx.dataDir),
        ladder: ctx.ladder ?? getLadder('default'),
        segmenting,
        sourceSha256,
        ...(ctx.poster ? { poster: ctx.poster } : {}),
        onProgress: ctx.onProgress && ((p) => ctx.onProgress!(request.id, p)),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      }),
    refusal: (error) =>
      error instanceof SourceRejectedError ? { what: `source rejected: ${error.message}` } : undefined,
  });
}
