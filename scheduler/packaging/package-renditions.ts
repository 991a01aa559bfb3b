import { resolve } from 'node:path';
import { NonConformingRenditionError } from '../../packaging/conformance.ts';
import { getLadder } from '../../packaging/ladder.ts';
import { packagePreEncoded, preEncodedFingerprint } from '../../packaging/pre-encoded.ts';
import type { AssetTitle } from './assets-repository.ts';
import {
  lessonPackagingTarget,
  mediaDirOf,
  packageFillerMedia,
  packageLessonMedia,
  type PackagingContext,
  type PackagingOutcome,
} from './package-lesson.ts';

/**
 * A lesson from renditions its broadcaster already encoded: one file per rendition of the ladder
 * (`{ '360p': FILE, '240p': FILE, audio: FILE }`), segmented by stream copy after the conformance
 * checks, verified as a transcode is, and recorded like any packaged lesson through the same sequence
 * (package-lesson.ts packageLessonMedia: the same files again are linked, not repackaged). Caption
 * sidecars are read next to the first rendition's file (`360p.mp4` → `360p.zh.vtt`) for the languages
 * the catalog lists.
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
  const ladder = ctx.ladder ?? getLadder('default');
  const files = Object.fromEntries(Object.entries(request.files).map(([name, file]) => [name, resolve(file)]));
  return packageLessonMedia(ctx, lessonId, {
    source: files[ladder.renditions[0]!.name] ?? Object.values(files)[0] ?? '',
    fingerprint: () => preEncodedFingerprint(ladder, files, ctx.signal),
    package: (assetId, sourceSha256, captions) =>
      packagePreEncoded({ ...lessonPackagingTarget(ctx, ladder, assetId, sourceSha256, captions), files }),
    refusal: (error) =>
      error instanceof NonConformingRenditionError
        ? {
            what: 'pre-encoded renditions refused',
            where: files[error.rendition] ?? error.rendition,
            field: error.rendition,
            reason: error.message,
          }
        : undefined,
  });
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
 * transcoded fillers (the same sequence, package-lesson.ts packageFillerMedia), an id already published is
 * never given different content: the same files are a no-op, different ones are refused.
 */
export function packageFillerRenditions(
  ctx: PackagingContext,
  request: FillerRenditionsRequest,
): Promise<PackagingOutcome> {
  const ladder = ctx.ladder ?? getLadder('default');
  const { files } = request;
  return packageFillerMedia(ctx, request, {
    fingerprint: () => preEncodedFingerprint(ladder, files, ctx.signal),
    package: (segmenting) =>
      packagePreEncoded({ assetId: request.id, files, mediaDir: mediaDirOf(ctx.dataDir), ladder, segmenting }),
    refusal: (error) =>
      error instanceof NonConformingRenditionError
        ? {
            what: 'pre-encoded renditions refused',
            details: [
              { where: files[error.rendition] ?? error.rendition, field: error.rendition, reason: error.message },
            ],
          }
        : undefined,
  });
}
