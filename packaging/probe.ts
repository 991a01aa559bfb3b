import { accessSync, constants, statSync } from 'node:fs';
import { mediaBinaries } from './binaries.ts';
import { runTool, stderrTail } from './run.ts';

/** A source the pipeline refuses to package, with the reason a person can act on. */
export class SourceRejectedError extends Error {
  readonly source: string;
  readonly reason: string;
  constructor(source: string, reason: string) {
    super(`${source}: ${reason}`);
    this.name = 'SourceRejectedError';
    this.source = source;
    this.reason = reason;
  }
}

export interface SourceInfo {
  path: string;
  sizeBytes: number;
  durationS: number;
  /** Length covered by both audio and video (the shorter stream), what packaging keeps. */
  mediaDurationS: number;
  formatName: string;
  video: { codec: string; width: number; height: number; frameRate: number };
  audio: { codec: string; sampleRate: number; channels: number };
}

/** Longer than any lesson or programme we air; a longer "duration" is a broken header, not a lesson. */
export const MAX_SOURCE_DURATION_S = 4 * 3600;

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { duration?: string; format_name?: string };
}

function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [num, den] = rate.split('/').map(Number);
  if (!num || !den) return 0;
  return num / den;
}

export async function probeSource(path: string): Promise<SourceInfo> {
  let sizeBytes: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new SourceRejectedError(path, 'unreadable file: not a regular file');
    accessSync(path, constants.R_OK);
    sizeBytes = stat.size;
  } catch (error) {
    if (error instanceof SourceRejectedError) throw error;
    throw new SourceRejectedError(
      path,
      `unreadable file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (sizeBytes === 0) throw new SourceRejectedError(path, 'unreadable file: it is empty');

  const { ffprobe } = mediaBinaries();
  const result = await runTool(ffprobe, [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    path,
  ]);
  if (result.signal) {
    throw new SourceRejectedError(path, `corrupt data: ffprobe crashed (${result.signal}) reading it`);
  }
  if (result.code !== 0) {
    throw new SourceRejectedError(
      path,
      `corrupt data: ffprobe cannot read it (${stderrTail(result.stderr) || `exit ${result.code}`})`,
    );
  }
  let parsed: FfprobeOutput;
  try {
    parsed = JSON.parse(result.stdout.toString('utf8')) as FfprobeOutput;
  } catch {
    throw new SourceRejectedError(path, 'corrupt data: ffprobe output is not JSON');
  }
  const streams = parsed.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && (s.width ?? 0) > 0);
  const audio = streams.find((s) => s.codec_type === 'audio');
  if (!video) throw new SourceRejectedError(path, 'no video stream');
  if (!audio) throw new SourceRejectedError(path, 'no audio stream');
  const durationS = Number(parsed.format?.duration ?? video.duration ?? NaN);
  if (!Number.isFinite(durationS) || durationS <= 0) throw new SourceRejectedError(path, 'zero or unknown duration');
  if (durationS > MAX_SOURCE_DURATION_S) {
    throw new SourceRejectedError(
      path,
      `absurd duration ${Math.round(durationS)} s (limit ${MAX_SOURCE_DURATION_S} s)`,
    );
  }
  if ((result.stderr ?? '').trim()) {
    // ffprobe at -v error prints nothing for a healthy file; anything here is damage it worked around.
    throw new SourceRejectedError(path, `corrupt data: ${stderrTail(result.stderr)}`);
  }
  const streamDurations = [video.duration, audio.duration].map(Number).filter((d) => Number.isFinite(d) && d > 0);
  const mediaDurationS = Math.min(durationS, ...streamDurations);
  return {
    path,
    sizeBytes,
    durationS,
    mediaDurationS,
    formatName: parsed.format?.format_name ?? 'unknown',
    video: {
      codec: video.codec_name ?? 'unknown',
      width: video.width ?? 0,
      height: video.height ?? 0,
      frameRate: parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate),
    },
    audio: {
      codec: audio.codec_name ?? 'unknown',
      sampleRate: Number(audio.sample_rate ?? 0),
      channels: audio.channels ?? 0,
    },
  };
}
