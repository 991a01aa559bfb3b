import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MEDIA_ID_PATTERN } from '../playlists/media-layout.ts';
import type { CaptionTrack } from '../playlists/model.ts';
import { checkSidecarsFit, verifyCaptionTracks, writeCaptionTracks, type CaptionSidecar } from './captions.ts';
import type { Ladder, SegmentingParams } from './ladder.ts';
import { probeSource, SourceRejectedError, type SourceInfo } from './probe.ts';
import { writePosters, type PosterOptions, type PosterSet } from './poster.ts';
import { keptDuration, transcodeLadder, type TranscodeProgress } from './transcode.ts';
import { VerificationError, verifyLadder, type VerifiedLadder, type VerifiedRendition } from './verify.ts';

/** Written next to the renditions: what produced this asset, so a later run can tell same content from different. */
export const PACKAGING_RECORD = 'packaging.json';
/** Packaging writes into `<media>/.tmp-<assetId>-<pid>` and renames it into place once verified. */
export const TEMP_PREFIX = '.tmp-';

export interface PackagingRecord {
  assetId: string;
  sourceSha256: string;
  ladder: string;
  segmenting: SegmentingParams;
  /** Caption sidecars packaged with it, in catalog order (absent: none). */
  captions?: CaptionFingerprint[];
  /** The poster frames written under poster/ (absent: packaged before posters existed). */
  poster?: PosterSet;
}

/** What identifies a caption track's content: its language and the sidecar's bytes. */
export interface CaptionFingerprint {
  language: string;
  sha256: string;
}

export interface PackagedAsset {
  assetId: string;
  ladder: string;
  segmenting: SegmentingParams;
  source: SourceInfo;
  sourceSha256: string;
  renditions: VerifiedRendition[];
  canonicalRendition: string;
  /** Canonical per-segment durations, integer ms (first video rendition, from frames). */
  segmentMs: number[];
  durationMs: number;
  /** PTS of the first video frame in the segments (90 kHz), measured; the caption segments' X-TIMESTAMP-MAP. */
  firstVideoPts90k: number;
  /** Caption tracks written (media/<assetId>/sub-<language>/), in catalog order; empty when none. */
  captions: CaptionTrack[];
  /** Poster frames written under media/<assetId>/poster/ (see packaging/poster.ts). */
  poster: PosterSet;
  /** Wall time spent in ffmpeg + verification, ms. */
  elapsedMs: number;
}

export interface PackageAssetRequest {
  assetId: string;
  source: string;
  mediaDir: string;
  ladder: Ladder;
  segmenting: SegmentingParams;
  /** Known hash of the source (skips hashing it again). */
  sourceSha256?: string;
  /** Caption sidecars (read with readCaptionSidecars): checked against the source before encoding, segmented after. */
  captions?: readonly CaptionSidecar[];
  onProgress?: (progress: TranscodeProgress) => void;
  /** Where the poster frame is taken (default 10 % into the asset). */
  poster?: PosterOptions;
  /** Aborting stops ffmpeg and removes the temp dir; nothing is renamed into place. Rejects with the reason. */
  signal?: AbortSignal;
}

export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    signal?.throwIfAborted();
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/**
 * Asset id for a packaging of some content: segments are cached for a long time downstream, so a
 * different source, ladder or segmenting must never reuse an id. `<base>.<10 hex of the fingerprint>`.
 */
export function contentAssetId(
  base: string,
  sourceSha256: string,
  ladder: Ladder,
  segmenting: SegmentingParams,
  captions: readonly CaptionFingerprint[] = [],
): string {
  const safeBase =
    base
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^[._-]+/, '')
      .slice(0, 100) || 'asset';
  // Captions are part of the content (new or changed captions → a new id); without captions the id is what it always
  // was.
  const content = captions.length
    ? { sourceSha256, ladder, segmenting, captions: captions.map((c) => ({ language: c.language, sha256: c.sha256 })) }
    : { sourceSha256, ladder, segmenting };
  const fingerprint = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 10);
  return `${safeBase}.${fingerprint}`;
}

export function readPackagingRecord(mediaDir: string, assetId: string): PackagingRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(mediaDir, assetId, PACKAGING_RECORD), 'utf8')) as PackagingRecord;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temp dirs of runs that were killed: `.tmp-<assetId>-<pid>` whose process is gone. Returns what it removed. */
export function removeStaleTempDirs(mediaDir: string): string[] {
  if (!existsSync(mediaDir)) return [];
  const removed: string[] = [];
  for (const entry of readdirSync(mediaDir)) {
    if (!entry.startsWith(TEMP_PREFIX)) continue;
    const pid = Number(/-(\d+)$/.exec(entry)?.[1]);
    if (pid && pid !== process.pid && processAlive(pid)) continue;
    if (pid === process.pid) continue;
    rmSync(join(mediaDir, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

/** What packaging wrote and measured in its temp dir, for `completePackaging`. */
export interface PackagedInTemp {
  temp: string;
  verified: VerifiedLadder;
  sidecars: readonly CaptionSidecar[];
  /** The file poster frames are taken from, and its timing. */
  posterSource: string;
  timing: { durationS: number; frameRate: number };
  source: SourceInfo;
  sourceSha256: string;
  /** performance.now() when packaging started. */
  started: number;
}

/**
 * The common end of packaging (transcoded or pre-encoded) once the renditions in `temp` are verified: caption
 * segments (one WebVTT file per canonical segment, stamped with the measured first video PTS) checked, poster
 * frames, the packaging record, then the atomic rename into media/<assetId>/ and the asset's description.
 */
export async function completePackaging(
  req: Pick<PackageAssetRequest, 'assetId' | 'mediaDir' | 'ladder' | 'segmenting' | 'poster' | 'signal'>,
  done: PackagedInTemp,
): Promise<PackagedAsset> {
  const { temp, verified, sidecars, sourceSha256 } = done;
  const captions = writeCaptionTracks(temp, sidecars, verified.segmentMs, verified.firstVideoPts90k);
  const captionProblems = verifyCaptionTracks(temp, captions, verified.segmentMs.length, verified.firstVideoPts90k);
  if (captionProblems.length) throw new VerificationError(captionProblems.join('; '));
  const poster = await writePosters(done.posterSource, temp, done.timing, req.poster);
  const record: PackagingRecord = {
    assetId: req.assetId,
    sourceSha256,
    ladder: req.ladder.name,
    segmenting: req.segmenting,
    poster,
  };
  if (sidecars.length) record.captions = sidecars.map((c) => ({ language: c.language, sha256: c.sha256 }));
  writeFileSync(join(temp, PACKAGING_RECORD), `${JSON.stringify(record, null, 2)}\n`);
  req.signal?.throwIfAborted(); // the last point where a cancel leaves nothing behind
  const final = join(req.mediaDir, req.assetId);
  rmSync(final, { recursive: true, force: true });
  renameSync(temp, final);
  return {
    assetId: req.assetId,
    ladder: req.ladder.name,
    segmenting: req.segmenting,
    source: done.source,
    sourceSha256,
    renditions: verified.renditions,
    canonicalRendition: verified.canonicalRendition,
    segmentMs: verified.segmentMs,
    durationMs: verified.durationMs,
    firstVideoPts90k: verified.firstVideoPts90k,
    captions,
    poster,
    elapsedMs: performance.now() - done.started,
  };
}

/**
 * Packages one source into media/<assetId>/: probe, one-decode transcode of the whole ladder into a
 * temp dir inside the media dir, verification, the caption segments (if any: one WebVTT file per
 * canonical segment, stamped with the measured first video PTS), then an atomic rename. Whatever sits at
 * media/<assetId>/ already is replaced — the caller only lets that happen for unrecorded orphans.
 */
export async function packageAsset(req: PackageAssetRequest): Promise<PackagedAsset> {
  if (!MEDIA_ID_PATTERN.test(req.assetId)) throw new Error(`asset id '${req.assetId}' is not path-safe`);
  const started = performance.now();
  removeStaleTempDirs(req.mediaDir);
  const source = await probeSource(req.source);
  const sourceSha256 = req.sourceSha256 ?? (await sha256File(req.source, req.signal));
  const durationS = keptDuration(source.mediaDurationS, req.ladder.frameRate, req.segmenting.segmentSeconds);
  if (durationS <= 0) throw new SourceRejectedError(req.source, 'zero duration (shorter than one frame)');
  const sidecars = req.captions ?? [];
  // Before any encoding: a cue past the video's end means the sidecar belongs to another video.
  checkSidecarsFit(sidecars, source.mediaDurationS * 1000, 1000 / req.ladder.frameRate);

  const temp = join(req.mediaDir, `${TEMP_PREFIX}${req.assetId}-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  try {
    try {
      await transcodeLadder({
        source: req.source,
        durationS,
        ladder: req.ladder,
        segmenting: req.segmenting,
        outDir: temp,
        onProgress: req.onProgress,
        signal: req.signal,
      });
    } catch (error) {
      if (req.signal?.aborted) throw error;
      const message = (error as Error).message;
      if (/corrupt data|Invalid data|error while decoding|moov atom|partial file/i.test(message)) {
        throw new SourceRejectedError(
          req.source,
          message.startsWith('corrupt data') ? message : `corrupt data: ${message}`,
        );
      }
      throw error;
    }
    req.signal?.throwIfAborted();
    const verified = await verifyLadder(temp, req.ladder);
    // A source whose index promises more than its data holds decodes short: that is corrupt input.
    const missingMs = Math.round(durationS * 1000) - verified.durationMs;
    if (missingMs > req.segmenting.gopSeconds * 1000) {
      throw new SourceRejectedError(
        req.source,
        `corrupt data: only ${(verified.durationMs / 1000).toFixed(2)} s of ${durationS.toFixed(2)} s could be decoded`,
      );
    }
    const timing = { durationS, frameRate: req.ladder.frameRate };
    return await completePackaging(req, {
      temp,
      verified,
      sidecars,
      posterSource: req.source,
      timing,
      source,
      sourceSha256,
      started,
    });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
