import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, parse } from 'node:path';
import { captionSegmentFileName, captionTrackName, MEDIA_ID_PATTERN } from '../playlists/media-layout.ts';
import type { CaptionTrack } from '../playlists/model.ts';
import { checkCuesWithin, parseWebVtt, segmentHeader, segmentWebVtt, WebVttError, type WebVttCue } from './webvtt.ts';

/**
 * Caption sidecars: for a source `…/lesson.mp4` and language `zh`, the captions are `…/lesson.zh.vtt`
 * (the source path without its extension, `.<language>.vtt`). Read and checked before any encoding;
 * written as one WebVTT segment per canonical segment under `<asset>/sub-<language>/`.
 */

export interface CaptionSidecar {
  /** BCP 47 tag as the catalog lists it. */
  language: string;
  path: string;
  sha256: string;
  cues: WebVttCue[];
}

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

export function captionSidecarPath(source: string, language: string): string {
  const { dir, name } = parse(source);
  return join(dir, `${name}.${language}.vtt`);
}

/** Reads and parses the sidecar of every language (catalog order); a missing or invalid one is a WebVttError. */
export function readCaptionSidecars(source: string, languages: readonly string[]): CaptionSidecar[] {
  return languages.map((language) => {
    const path = captionSidecarPath(source, language);
    if (!LANGUAGE_TAG.test(language) || !MEDIA_ID_PATTERN.test(captionTrackName(language))) {
      throw new WebVttError(path, undefined, `'${language}' is not a language tag usable as a caption track name`);
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new WebVttError(
        path,
        undefined,
        code === 'ENOENT'
          ? `missing caption sidecar: the catalog lists '${language}' captions, so the WebVTT file must sit next to the source video`
          : `unreadable caption sidecar (${code ?? (error as Error).message})`,
      );
    }
    const cues = parseWebVtt(bytes, path);
    return { language, path, sha256: createHash('sha256').update(bytes).digest('hex'), cues };
  });
}

/** Every cue must end within a frame of the video's end. */
export function checkSidecarsFit(sidecars: readonly CaptionSidecar[], videoEndMs: number, frameMs: number): void {
  for (const s of sidecars) checkCuesWithin(s.cues, s.path, videoEndMs, frameMs);
}

/** Writes `<dir>/sub-<language>/seg00000.vtt …`, one per canonical segment; returns the tracks in catalog order. */
export function writeCaptionTracks(
  dir: string,
  sidecars: readonly CaptionSidecar[],
  segmentMs: readonly number[],
  firstVideoPts90k: number,
): CaptionTrack[] {
  return sidecars.map((s) => {
    const name = captionTrackName(s.language);
    const trackDir = join(dir, name);
    mkdirSync(trackDir, { recursive: true });
    segmentWebVtt(s.cues, segmentMs, firstVideoPts90k).forEach((text, i) =>
      writeFileSync(join(trackDir, captionSegmentFileName(i)), text),
    );
    return { language: s.language, name };
  });
}

/**
 * Reads the written tracks back: exactly one segment file per canonical segment, each opening with the asset's
 * timestamp map.
 */
export function verifyCaptionTracks(
  dir: string,
  tracks: readonly CaptionTrack[],
  segmentCount: number,
  firstVideoPts90k: number,
): string[] {
  const problems: string[] = [];
  const header = segmentHeader(firstVideoPts90k);
  for (const track of tracks) {
    const trackDir = join(dir, track.name);
    const expected = Array.from({ length: segmentCount }, (_, i) => captionSegmentFileName(i));
    const files = readdirSync(trackDir).sort();
    if (files.join('\n') !== expected.join('\n')) {
      problems.push(`caption track ${track.name} has ${files.length} segment files, the video ${segmentCount}`);
      continue;
    }
    for (const file of files) {
      if (!readFileSync(join(trackDir, file), 'utf8').startsWith(header))
        problems.push(`${track.name}/${file} lacks the asset's X-TIMESTAMP-MAP`);
    }
  }
  return problems;
}
