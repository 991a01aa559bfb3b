import { join, resolve } from 'node:path';
import { readCaptionSidecars } from '../../packaging/captions.ts';
import { getLadder, LESSON_SEGMENTING, SLATE_SEGMENTING, type Ladder } from '../../packaging/ladder.ts';
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
import { InputError, NotFoundError } from '../errors.ts';
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
  /** Where lessons' poster frames are taken (default 10 % in; `aerial package --poster-at`). */
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

/**
 * Packages one lesson's source and records it. Order makes a kill at any point safe: media is
 * renamed into place first, then ONE transaction records the asset, its renditions and the lesson
 * status. A media dir with no asset row is an orphan that the next run replaces.
 * The lesson's catalog `captions` languages are read from sidecars next to the source
 * (`lesson.mp4` → `lesson.zh.vtt`) and packaged as caption tracks; they are part of the asset's content id.
 * A bad source or a missing/invalid sidecar marks the lesson failed with the reason and throws InputError.
 */
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
  const now = ctx.now ?? Date.now;
  const title: AssetTitle = { zh: lesson.title_zh, ...(lesson.title_en ? { en: lesson.title_en } : {}) };
  try {
    await probeSource(source); // reject a bad source before reading its sidecars or spending time hashing it
    const captions = readCaptionSidecars(source, lesson.captions); // before hashing: a bad sidecar fails fast
    const sha = await sha256File(source, ctx.signal);
    ctx.signal?.throwIfAborted();
    const assetId = contentAssetId(lessonId, sha, ladder, LESSON_SEGMENTING, captions);
    if (repo.assetExists(ctx.db, assetId)) {
      ctx.db.transaction(() => repo.linkLesson(ctx.db, lessonId, source, assetId))();
      return { assetId, mediaSeconds: 0, reused: true };
    }
    const asset = await packageAsset({
      assetId,
      source,
      mediaDir: mediaDirOf(ctx.dataDir),
      ladder,
      segmenting: LESSON_SEGMENTING,
      sourceSha256: sha,
      captions,
      ...(ctx.poster ? { poster: ctx.poster } : {}),
      onProgress: ctx.onProgress && ((p) => ctx.onProgress!(assetId, p)),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    repo.recordPackagedLesson(ctx.db, lessonId, source, asset, title, now());
    return { assetId, mediaSeconds: asset.durationMs / 1000, reused: false, asset };
  } catch (error) {
    if (ctx.signal?.aborted) throw error; // cancelled: the lesson stays as it was
    if (error instanceof SourceRejectedError) {
      repo.recordLessonFailure(ctx.db, lessonId, source, error.reason);
      throw new InputError(`lesson '${lessonId}': source rejected: ${error.message}`, [
        { where: source, reason: error.reason },
      ]);
    }
    if (error instanceof WebVttError) {
      repo.recordLessonFailure(ctx.db, lessonId, source, `captions: ${error.message}`);
      throw new InputError(`lesson '${lessonId}': captions rejected`, [{ where: error.where, reason: error.reason }]);
    }
    repo.recordLessonFailure(ctx.db, lessonId, source, `packaging failed: ${(error as Error).message}`);
    throw error;
  }
}

export interface FillerRequest {
  /** The asset id schedules refer to (e.g. `slate`, `eye-exercises`). */
  id: string;
  kind: 'filler' | 'slate';
  title: AssetTitle;
  source: string;
}

/**
 * Packages a filler or the slate under a fixed id (the slate with 1 s segments). Ids of published
 * assets are never reused for different content: same content is a no-op, different content is refused.
 */
export async function packageFiller(ctx: PackagingContext, request: FillerRequest): Promise<PackagingOutcome> {
  if (!MEDIA_ID_PATTERN.test(request.id)) {
    throw new InputError(`filler id '${request.id}' is not path-safe (letters, digits, . _ -; at most 128)`);
  }
  const ladder = ctx.ladder ?? getLadder('default');
  const segmenting = request.kind === 'slate' ? SLATE_SEGMENTING : LESSON_SEGMENTING;
  const source = resolve(request.source);
  const mediaDir = mediaDirOf(ctx.dataDir);
  let sha: string;
  try {
    sha = await fingerprint(source);
  } catch (error) {
    if (error instanceof SourceRejectedError)
      throw new InputError(`${request.kind} '${request.id}': source rejected: ${error.message}`);
    throw error;
  }
  if (repo.assetExists(ctx.db, request.id)) {
    const record = readPackagingRecord(mediaDir, request.id);
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
  try {
    const asset = await packageAsset({
      assetId: request.id,
      source,
      mediaDir,
      ladder,
      segmenting,
      sourceSha256: sha,
      onProgress: ctx.onProgress && ((p) => ctx.onProgress!(request.id, p)),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    repo.recordFiller(ctx.db, asset, request.kind, request.title, (ctx.now ?? Date.now)());
    return { assetId: request.id, mediaSeconds: asset.durationMs / 1000, reused: false, asset };
  } catch (error) {
    if (error instanceof SourceRejectedError)
      throw new InputError(`${request.kind} '${request.id}': source rejected: ${error.message}`);
    throw error;
  }
}
