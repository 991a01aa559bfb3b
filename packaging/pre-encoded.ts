import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MEDIA_ID_PATTERN, VOD_PLAYLIST_NAME } from '../playlists/media-layout.ts';
import { mediaBinaries } from './binaries.ts';
import { checkSidecarsFit, type CaptionSidecar } from './captions.ts';
import { checkRenditionFiles, describeStreams, type RenditionFileFacts } from './conformance.ts';
import type { Ladder, SegmentingParams } from './ladder.ts';
import {
  completePackaging,
  removeStaleTempDirs,
  sha256File,
  TEMP_PREFIX,
  type PackagedAsset,
} from './package-asset.ts';
import type { PosterOptions } from './poster.ts';
import type { SourceInfo } from './probe.ts';
import { runTool, stderrTail } from './run.ts';
import { TranscodeError } from './transcode.ts';
import { verifyLadder } from './verify.ts';

/**
 * Ingest of pre-encoded renditions: one file per rendition of the ladder, each already conforming
 * (checked by conformance.ts), is segmented by stream copy — no decode, no encode, so it costs I/O only —
 * and then goes through the same verification as a transcode (equal segment counts, a keyframe at every
 * segment start, canonical durations from frames, measured bandwidth, RFC 6381 codecs) before the
 * atomic rename that makes it visible.
 */

export interface PreEncodedRequest {
  assetId: string;
  /** Rendition name → file (every rendition of the ladder, no other). */
  files: Readonly<Record<string, string>>;
  mediaDir: string;
  ladder: Ladder;
  segmenting: SegmentingParams;
  /** Known fingerprint of the files (see preEncodedFingerprint). */
  sourceSha256?: string;
  captions?: readonly CaptionSidecar[];
  /** Where the poster frame is taken (default 10 % in). */
  poster?: PosterOptions;
  /** Aborting terminates the running ffmpeg and removes the temp dir; rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** One hash for a set of rendition files: the sha256 of `name=sha256` lines in ladder order. */
export async function preEncodedFingerprint(
  ladder: Ladder,
  files: Readonly<Record<string, string>>,
  signal?: AbortSignal,
): Promise<string> {
  const hashes: Record<string, string> = {};
  for (const r of ladder.renditions) if (files[r.name]) hashes[r.name] = await sha256File(files[r.name]!, signal);
  return fingerprintOfHashes(ladder, hashes);
}

/** preEncodedFingerprint from the files' sha256s (rendition name → hex), for callers that hashed them already. */
export function fingerprintOfHashes(ladder: Ladder, hashes: Readonly<Record<string, string>>): string {
  const lines = ladder.renditions.map((r) => `${r.name}=${hashes[r.name] ?? ''}`);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/**
 * The audio-only rendition stops this much before the video's end (as transcoding does): AAC frames do not
 * line up with video frames, and a packet at or past the video's last segment boundary would open an extra
 * segment. Conformance has already checked that the lengths agree to within 0.1 s.
 */
const AUDIO_END_MARGIN_S = 0.05;

async function segmentByCopy(
  file: string,
  videoLengthS: number | undefined,
  segmenting: SegmentingParams,
  dir: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { ffmpeg } = mediaBinaries();
  mkdirSync(dir, { recursive: true });
  const maps =
    videoLengthS === undefined
      ? ['-map', '0:v:0', '-map', '0:a:0']
      : ['-map', '0:a:0', '-t', (videoLengthS - AUDIO_END_MARGIN_S).toFixed(3)];
  const run = await runTool(
    ffmpeg,
    [
      ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-i', file, ...maps, '-c', 'copy'],
      ...['-f', 'hls', '-hls_time', String(segmenting.segmentSeconds), '-hls_playlist_type', 'vod'],
      ...['-hls_list_size', '0', '-hls_segment_filename', join(dir, 'seg%05d.ts'), join(dir, VOD_PLAYLIST_NAME)],
    ],
    undefined,
    signal,
  );
  const complaints = stderrTail(run.stderr.replace(/^.*Cannot use rename on non file protocol.*$/gm, ''));
  if (run.code !== 0 || complaints) throw new TranscodeError(`segmenting ${file} failed: ${complaints || run.code}`);
}

async function sourceInfo(facts: RenditionFileFacts): Promise<SourceInfo> {
  const d = await describeStreams(facts.file);
  return {
    path: facts.file,
    sizeBytes: statSync(facts.file).size,
    durationS: facts.durationS,
    mediaDurationS: facts.durationS,
    formatName: 'pre-encoded',
    video: {
      codec: d.video?.codec ?? 'none',
      width: d.video?.width ?? 0,
      height: d.video?.height ?? 0,
      frameRate: d.video?.fps ?? 0,
    },
    audio: { codec: d.audio?.codec ?? 'none', sampleRate: d.audio?.sampleRate ?? 0, channels: d.audio?.channels ?? 0 },
  };
}

/**
 * Packages pre-encoded rendition files into media/<assetId>/: conformance (throws
 * NonConformingRenditionError naming rendition, property, expected and found), stream-copy segmenting
 * into a temp dir, verification, caption segments, then the rename. Nothing is left behind on failure.
 */
export async function packagePreEncoded(req: PreEncodedRequest): Promise<PackagedAsset> {
  if (!MEDIA_ID_PATTERN.test(req.assetId)) throw new Error(`asset id '${req.assetId}' is not path-safe`);
  const started = performance.now();
  removeStaleTempDirs(req.mediaDir);
  const facts = await checkRenditionFiles(req.ladder, req.files, req.segmenting);
  const sidecars = req.captions ?? [];
  checkSidecarsFit(sidecars, facts[0]!.durationS * 1000, 1000 / req.ladder.frameRate);
  const sourceSha256 = req.sourceSha256 ?? (await preEncodedFingerprint(req.ladder, req.files, req.signal));
  const temp = join(req.mediaDir, `${TEMP_PREFIX}${req.assetId}-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  try {
    for (const r of req.ladder.renditions) {
      const audioOnlyLength = r.type === 'audio' ? facts[0]!.durationS : undefined;
      await segmentByCopy(req.files[r.name]!, audioOnlyLength, req.segmenting, join(temp, r.name), req.signal);
    }
    req.signal?.throwIfAborted();
    const verified = await verifyLadder(temp, req.ladder);
    // The poster comes from the first (largest) video rendition's file, as the canonical timeline does.
    const timing = { durationS: facts[0]!.durationS, frameRate: req.ladder.frameRate };
    const source = await sourceInfo(facts[0]!);
    const done = { temp, verified, sidecars, posterSource: facts[0]!.file, timing, source, sourceSha256, started };
    return await completePackaging(req, done);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
