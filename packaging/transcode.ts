import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { VOD_PLAYLIST_NAME } from '../playlists/media-layout.ts';
import { mediaBinaries } from './binaries.ts';
import type { Ladder, Rendition, SegmentingParams } from './ladder.ts';
import { runTool, stderrTail } from './run.ts';

export interface TranscodeProgress {
  /** Seconds of output written so far. */
  outTimeS: number;
  totalS: number;
  /** 0..1 */
  fraction: number;
  /** Multiple of real time ffmpeg reports (e.g. 3.5 = 3.5×). */
  speed: number;
  /** Estimated seconds left, from speed; undefined until ffmpeg reports a speed. */
  etaS: number | undefined;
  done: boolean;
}

export interface TranscodeRequest {
  source: string;
  /** Seconds to keep: a whole number of frames, covered by both audio and video. */
  durationS: number;
  ladder: Ladder;
  segmenting: SegmentingParams;
  /** Directory that receives <rendition>/index.m3u8 and <rendition>/seg00000.ts… */
  outDir: string;
  onProgress?: (progress: TranscodeProgress) => void;
  /** Aborting terminates ffmpeg; the promise rejects with the signal's reason after ffmpeg has exited. */
  signal?: AbortSignal;
}

/** Lines this ffmpeg prints at error level on perfectly good runs. */
const BENIGN_FFMPEG_MESSAGES = [/Cannot use rename on non file protocol/];

export class TranscodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TranscodeError';
  }
}

/**
 * The kept duration: whole frames only, and no sliver of a last segment (under half a segment,
 * at most 0.5 s, is dropped): a sliver is where the audio-only rendition, whose AAC frames do not
 * line up with video frames, would gain or lose a segment against the video.
 */
export function keptDuration(mediaDurationS: number, frameRate: number, segmentSeconds: number): number {
  const frames = Math.floor(mediaDurationS * frameRate + 1e-6);
  const framesPerSegment = Math.round(segmentSeconds * frameRate);
  const tail = frames % framesPerSegment;
  const sliver = Math.min(Math.round(0.5 * frameRate), framesPerSegment / 2);
  const kept = frames > framesPerSegment && tail > 0 && tail < sliver ? frames - tail : frames;
  return kept / frameRate;
}

/**
 * The audio stops this much before the video: the AAC encoder flushes a padded last frame, and a
 * packet that starts at or past the video's last segment boundary would open an extra audio segment.
 */
const AUDIO_END_MARGIN_S = 0.05;

function audioFilter(ladder: Ladder, durationS: number): string {
  const end = Math.max(durationS - AUDIO_END_MARGIN_S, 1 / ladder.frameRate).toFixed(6);
  return `aresample=${ladder.audioSampleRate},apad,atrim=end=${end},asetpts=PTS-STARTPTS`;
}

function videoEncoderArgs(ladder: Ladder, segmenting: SegmentingParams): string[] {
  const gopFrames = Math.round(segmenting.gopSeconds * ladder.frameRate);
  return [
    '-c:v',
    'libx264',
    '-profile:v',
    ladder.videoProfile,
    '-preset',
    ladder.x264Preset,
    '-pix_fmt',
    'yuv420p',
    // Closed GOPs of exactly gopSeconds, keyframes only at GOP boundaries: every segment can start one.
    '-g',
    String(gopFrames),
    '-keyint_min',
    String(gopFrames),
    '-sc_threshold',
    '0',
    '-flags',
    '+cgop',
    '-force_key_frames',
    `expr:gte(t,n_forced*${segmenting.gopSeconds})`,
  ];
}

function hlsArgs(segmenting: SegmentingParams, segmentPattern: string, playlist: string): string[] {
  return [
    '-f',
    'hls',
    '-hls_time',
    String(segmenting.segmentSeconds),
    '-hls_playlist_type',
    'vod',
    '-hls_list_size',
    '0',
    '-hls_segment_filename',
    segmentPattern,
    playlist,
  ];
}

/**
 * One ffmpeg process, one decode: the source video is split and scaled once per video rendition,
 * the audio trimmed/padded once and split per variant; `-var_stream_map` writes every rendition.
 * (This ffmpeg has no `name:` key in var_stream_map, so variants land in 0/, 1/… and are renamed.)
 */
export function ladderArgs(req: Omit<TranscodeRequest, 'onProgress' | 'signal'>): string[] {
  const { ladder, segmenting } = req;
  const videos = ladder.renditions.filter((r) => r.type === 'video');
  const d = req.durationS.toFixed(6);
  const filters = [
    `[0:v:0]fps=${ladder.frameRate},trim=end=${d},setpts=PTS-STARTPTS,split=${videos.length}${videos.map((_, i) => `[vs${i}]`).join('')}`,
    ...videos.map((r, i) => `[vs${i}]scale=${r.width}:${r.height},setsar=1[v${i}]`),
    // Pad then cut the audio to (just under) the video's length: every rendition ends together.
    `[0:a:0]${audioFilter(ladder, req.durationS)},asplit=${ladder.renditions.length}${ladder.renditions.map((_, i) => `[as${i}]`).join('')}`,
  ];
  const args = [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-i',
    req.source,
    '-filter_complex',
    filters.join(';'),
  ];
  const streamMap: string[] = [];
  let videoIndex = 0;
  ladder.renditions.forEach((r) => {
    if (r.type === 'video') {
      args.push('-map', `[v${videoIndex}]`);
      videoIndex++;
    }
  });
  ladder.renditions.forEach((_, i) => args.push('-map', `[as${i}]`));
  args.push(...videoEncoderArgs(ladder, segmenting));
  videoIndex = 0;
  ladder.renditions.forEach((r, i) => {
    if (r.type === 'video') {
      args.push(
        `-b:v:${videoIndex}`,
        `${r.videoKbps}k`,
        `-maxrate:v:${videoIndex}`,
        `${Math.round(r.videoKbps * 1.1)}k`,
        `-bufsize:v:${videoIndex}`,
        `${r.videoKbps * 2}k`,
      );
      streamMap.push(`v:${videoIndex},a:${i}`);
      videoIndex++;
    } else {
      streamMap.push(`a:${i}`);
    }
    args.push(`-b:a:${i}`, `${r.audioKbps}k`);
  });
  args.push(
    '-c:a',
    'aac',
    '-profile:a',
    'aac_low',
    '-ar',
    String(ladder.audioSampleRate),
    '-ac',
    String(ladder.audioChannels),
  );
  args.push('-var_stream_map', streamMap.join(' '));
  args.push('-progress', 'pipe:1', '-nostats');
  args.push(...hlsArgs(segmenting, join(req.outDir, '%v', 'seg%05d.ts'), join(req.outDir, '%v', VOD_PLAYLIST_NAME)));
  return args;
}

/** Arguments for one rendition on its own (decode + encode per rendition): the benchmark's baseline. */
export function singleRenditionArgs(
  req: Omit<TranscodeRequest, 'onProgress' | 'signal'>,
  rendition: Rendition,
): string[] {
  const { ladder, segmenting } = req;
  const d = req.durationS.toFixed(6);
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-i', req.source];
  if (rendition.type === 'video') {
    args.push(
      '-filter_complex',
      `[0:v:0]fps=${ladder.frameRate},trim=end=${d},setpts=PTS-STARTPTS,scale=${rendition.width}:${rendition.height},setsar=1[v];[0:a:0]${audioFilter(ladder, req.durationS)}[a]`,
      '-map',
      '[v]',
      '-map',
      '[a]',
      ...videoEncoderArgs(ladder, segmenting),
      '-b:v',
      `${rendition.videoKbps}k`,
      '-maxrate',
      `${Math.round(rendition.videoKbps * 1.1)}k`,
      '-bufsize',
      `${rendition.videoKbps * 2}k`,
    );
  } else {
    args.push('-filter_complex', `[0:a:0]${audioFilter(ladder, req.durationS)}[a]`, '-map', '[a]');
  }
  args.push(
    '-c:a',
    'aac',
    '-profile:a',
    'aac_low',
    '-b:a',
    `${rendition.audioKbps}k`,
    '-ar',
    String(ladder.audioSampleRate),
    '-ac',
    String(ladder.audioChannels),
  );
  const dir = join(req.outDir, rendition.name);
  mkdirSync(dir, { recursive: true });
  args.push(...hlsArgs(segmenting, join(dir, 'seg%05d.ts'), join(dir, VOD_PLAYLIST_NAME)));
  return args;
}

/** Parses ffmpeg `-progress` key=value blocks; calls back once per complete block. */
export function progressParser(totalS: number, onProgress: (p: TranscodeProgress) => void): (chunk: string) => void {
  let buffer = '';
  let block: Record<string, string> = {};
  return (chunk) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1);
      block[key] = value;
      if (key !== 'progress') continue;
      // out_time_ms is microseconds in ffmpeg (a historical misnomer); prefer out_time_us when present.
      const micros = Number(block.out_time_us ?? block.out_time_ms);
      const outTimeS = Number.isFinite(micros) && micros > 0 ? micros / 1e6 : 0;
      const speed = Number.parseFloat(block.speed ?? '');
      const done = value === 'end';
      const fraction = done ? 1 : Math.min(1, totalS > 0 ? outTimeS / totalS : 0);
      onProgress({
        outTimeS,
        totalS,
        fraction,
        speed: Number.isFinite(speed) ? speed : 0,
        etaS: done ? 0 : Number.isFinite(speed) && speed > 0 ? Math.max(0, totalS - outTimeS) / speed : undefined,
        done,
      });
      block = {};
    }
  };
}

/** Writes the whole ladder in one ffmpeg run into req.outDir/<rendition name>/. */
export async function transcodeLadder(req: TranscodeRequest): Promise<void> {
  const { ffmpeg } = mediaBinaries();
  mkdirSync(req.outDir, { recursive: true });
  const args = ladderArgs(req);
  const onStdout = req.onProgress ? progressParser(req.durationS, req.onProgress) : undefined;
  const result = await runTool(ffmpeg, args, onStdout, req.signal);
  if (result.code !== 0) {
    const why = result.signal ? `killed by ${result.signal}` : `exit ${result.code}`;
    throw new TranscodeError(`ffmpeg failed (${why}): ${stderrTail(result.stderr) || 'no message'}`);
  }
  const complaints = result.stderr
    .split('\n')
    .filter((line) => line.trim() && !BENIGN_FFMPEG_MESSAGES.some((benign) => benign.test(line)))
    .join('\n');
  if (complaints) {
    // At -loglevel error a clean decode prints nothing else; anything more means damaged source data.
    throw new TranscodeError(`corrupt data while decoding: ${stderrTail(complaints)}`);
  }
  req.ladder.renditions.forEach((r, i) => renameSync(join(req.outDir, String(i)), join(req.outDir, r.name)));
}
