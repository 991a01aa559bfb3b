import { resolve } from 'node:path';
import { readCaptionSidecars } from '../../packaging/captions.ts';
import { NonConformingRenditionError } from '../../packaging/conformance.ts';
import { getLadder, LESSON_SEGMENTING } from '../../packaging/ladder.ts';
import { contentAssetId } from '../../packaging/package-asset.ts';
import { packagePreEncoded, preEncodedFingerprint } from '../../packaging/pre-encoded.ts';
import { WebVttError } from '../../packaging/webvtt.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { AssetsRepository, type AssetTitle } from './assets-repository.ts';
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
  const repo = new AssetsRepository(ctx.db);
  const lesson = repo.lesson(lessonId);
  if (!lesson) throw new NotFoundError(`unknown lesson '${lessonId}'`);
  const ladder = ctx.ladder ?? getLadder('default');
  const files = Object.fromEntries(Object.entries(request.files).map(([name, file]) => [name, resolve(file)]));
  const canonical = files[ladder.renditions[0]!.name] ?? Object.values(files)[0] ?? '';
  const title: AssetTitle = { zh: lesson.title_zh, ...(lesson.title_en ? { en: lesson.title_en } : {}) };
  try {
    const captions = readCaptionSidecars(canonical, lesson.captions);
    const sha = await preEncodedFingerprint(ladder, files);
    const assetId = contentAssetId(lessonId, sha, ladder, LESSON_SEGMENTING, captions);
    if (repo.assetExists(assetId)) {
      ctx.db.transaction(() => repo.linkLesson(lessonId, canonical, assetId))();
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
    });
    repo.recordPackagedLesson(lessonId, canonical, asset, title, (ctx.now ?? Date.now)());
    return { assetId, mediaSeconds: asset.durationMs / 1000, reused: false, asset };
  } catch (error) {
    if (error instanceof NonConformingRenditionError) {
      repo.recordLessonFailure(lessonId, canonical, error.message);
      throw new InputError(`lesson '${lessonId}': pre-encoded renditions refused`, [
        { where: files[error.rendition] ?? error.rendition, field: error.rendition, reason: error.message },
      ]);
    }
    if (error instanceof WebVttError) {
      repo.recordLessonFailure(lessonId, canonical, `captions: ${error.message}`);
      throw new InputError(`lesson '${lessonId}': captions rejected`, [{ where: error.where, reason: error.reason }]);
    }
    repo.recordLessonFailure(lessonId, canonical, `packaging failed: ${(error as Error).message}`);
    throw error;
  }
}
