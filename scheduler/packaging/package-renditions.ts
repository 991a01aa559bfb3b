import { resolve } from 'node:path';
import { readCaptionSidecars } from '../../packaging/captions.ts';
import { NonConformingRenditionError } from '../../packaging/conformance.ts';
import { getLadder, LESSON_SEGMENTING, SLATE_SEGMENTING } from '../../packaging/ladder.ts';
import { contentAssetId, readPackagingRecord } from '../../packaging/package-asset.ts';
import { packagePreEncoded, preEncodedFingerprint } from '../../packaging/pre-encoded.ts';
import { WebVttError } from '../../packaging/webvtt.ts';
import { MEDIA_ID_PATTERN } from '../../playlists/media-layout.ts';
import { InputError, NotFoundError } from '../errors.ts';
import * as repo from './assets-repository.ts';
import type { AssetTitle } from './assets-repository.ts';
import { mediaDirOf, type PackagingContext, type PackagingOutcome } from './package-lesson.ts';

/**
 * A lesson from renditions its broadcaster already encoded: one file per rendition of the ladder
 * (`{ '360p': FILE, '240p': FILE, audio: FILE }`), segmented by stream copy after the conformance
 * checks, verified as a transcode is, and recorded like any packaged lesson (same content id rules:
 * the same files again are linked, not repackaged). Caption sidecars are read next to the first
 * rendition's file (`360p.mp4` → `360p.zh.vtt`) for the languages the catalog lists.
 * A non-conforming file marks the lesson failed and throws InputError naming rendition, property,
 * expected and found; nothing is written to the media directory.
 */
export interface LessonRenditionsRequest {
  /** Rendition name → file path. */
  files: Readonly<Record<string, string>>;
}

export async function packageLessonRenditions(
  ctx: PackagingContext,
  lessonId: string,
  request: LessonRenditionsRequest,
): Promise<PackagingOutcome> {
  const lesson = repo.lessonToPackage(ctx.db, lessonId);
  if (!lesson) throw new NotFoundError(`unknown lesson '${lessonId}'`);
  const ladder = ctx.ladder ?? getLadder('default');
  const files = Object.fromEntries(Object.entries(request.files).map(([name, file]) => [name, resolve(file)]));
  const canonical = files[ladder.renditions[0]!.name] ?? Object.values(files)[0] ?? '';
  const title: AssetTitle = { zh: lesson.title_zh, ...(lesson.title_en ? { en: lesson.title_en } : {}) };
  try {
    const captions = readCaptionSidecars(canonical, lesson.captions);
    const sha = await preEncodedFingerprint(ladder, files, ctx.signal);
    ctx.signal?.throwIfAborted();
    const assetId = contentAssetId(lessonId, sha, ladder, LESSON_SEGMENTING, captions);
    if (repo.assetExists(ctx.db, assetId)) {
      ctx.db.transaction(() => repo.linkLesson(ctx.db, lessonId, canonical, assetId))();
      return { assetId, mediaSeconds: 0, reused: true };
    }
    const asset = await packagePreEncoded({
      assetId,
      files,
      mediaDir: mediaDirOf(ctx.dataDir),
      ladder,
      segmenting: LESSON_SEGMENTING,
      sourceSha256: sha,
      captions,
      ...(ctx.poster ? { poster: ctx.poster } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    repo.recordPackagedLesson(ctx.db, lessonId, canonical, asset, title, (ctx.now ?? Date.now)());
    return { assetId, mediaSeconds: asset.durationMs / 1000, reused: false, asset };
  } catch (error) {
    if (ctx.signal?.aborted) throw error; // cancelled: the lesson stays as it was
    if (error instanceof NonConformingRenditionError) {
      repo.recordLessonFailure(ctx.db, lessonId, canonical, error.message);
      throw new InputError(`lesson '${lessonId}': pre-encoded renditions refused`, [
        { where: files[error.rendition] ?? error.rendition, field: error.rendition, reason: error.message },
      ]);
    }
    if (error instanceof WebVttError) {
      repo.recordLessonFailure(ctx.db, lessonId, canonical, `captions: ${error.message}`);
      throw new InputError(`lesson '${lessonId}': captions rejected`, [{ where: error.where, reason: error.reason }]);
    }
    repo.recordLessonFailure(ctx.db, lessonId, canonical, `packaging failed: ${(error as Error).message}`);
    throw error;
  }
}

export interface FillerRenditionsRequest {
  /** The asset id timetables name (`slate`, `filler-eye-exercises`…). */
  id: string;
  kind: 'filler' | 'slate';
  title: AssetTitle;
  files: Readonly<Record<string, string>>;
}

/**
 * A filler or the slate (1 s segments) from pre-encoded renditions, under its fixed id. As for
 * transcoded fillers, an id already published is never given different content: the same files are a
 * no-op, different ones are refused.
 */
export async function packageFillerRenditions(
  ctx: PackagingContext,
  request: FillerRenditionsRequest,
): Promise<PackagingOutcome> {
  if (!MEDIA_ID_PATTERN.test(request.id)) throw new InputError(`filler id '${request.id}' is not path-safe`);
  const ladder = ctx.ladder ?? getLadder('default');
  const segmenting = request.kind === 'slate' ? SLATE_SEGMENTING : LESSON_SEGMENTING;
  const sha = await preEncodedFingerprint(ladder, request.files);
  const mediaDir = mediaDirOf(ctx.dataDir);
  if (repo.assetExists(ctx.db, request.id)) {
    const record = readPackagingRecord(mediaDir, request.id);
    if (
      record?.sourceSha256 === sha &&
      record.ladder === ladder.name &&
      repo.assetKind(ctx.db, request.id) === request.kind
    )
      return { assetId: request.id, mediaSeconds: 0, reused: true };
    throw new InputError(
      `asset '${request.id}' is already published from different content; give the new one a new id`,
    );
  }
  try {
    const asset = await packagePreEncoded({ assetId: request.id, files: request.files, mediaDir, ladder, segmenting });
    repo.recordFiller(ctx.db, asset, request.kind, request.title, (ctx.now ?? Date.now)());
    return { assetId: request.id, mediaSeconds: asset.durationMs / 1000, reused: false, asset };
  } catch (error) {
    if (error instanceof NonConformingRenditionError)
      throw new InputError(`${request.kind} '${request.id}': pre-encoded renditions refused`, [
        { where: request.files[error.rendition] ?? error.rendition, field: error.rendition, reason: error.message },
      ]);
    throw error;
  }
}
