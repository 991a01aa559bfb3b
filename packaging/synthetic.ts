import { mkdirSync, openSync, closeSync, ftruncateSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { mediaBinaries } from './binaries.ts';
import { runTool, stderrTail } from './run.ts';

export interface SyntheticClipOptions {
  /** Output file; the container follows the extension (.mp4 recommended). */
  path: string;
  durationS: number;
  width?: number;
  height?: number;
  frameRate?: number;
  /** Sine tone frequency in Hz. */
  toneHz?: number;
  /** Text drawn on screen (e.g. the lesson title); needs `fontFile`, ignored without one. */
  text?: string;
  fontFile?: string;
  /** Leave out the audio track (to make a source the pipeline must reject). */
  withoutAudio?: boolean;
}

/** drawtext option values are ':'-separated and quote with '; escape what would end the value. */
function escapeDrawtext(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, '\u2019').replace(/:/g, '\\:').replace(/%/g, '\\%');
}

/**
 * A test-pattern clip (testsrc — cheaper to generate than testsrc2 — + sine tone, optional on-screen text) made by
 * ffmpeg's lavfi sources.
 */
export async function makeSyntheticClip(options: SyntheticClipOptions): Promise<string> {
  const { ffmpeg } = mediaBinaries();
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const rate = options.frameRate ?? 25;
  const d = options.durationS;
  mkdirSync(dirname(options.path), { recursive: true });
  let video = `testsrc=size=${width}x${height}:rate=${rate}:duration=${d}`;
  if (options.text && options.fontFile) {
    const size = Math.max(16, Math.round(height / 12));
    video +=
      `,drawtext=fontfile='${escapeDrawtext(options.fontFile)}':text='${escapeDrawtext(options.text)}'` +
      `:fontsize=${size}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=${Math.round(size / 3)}:x=(w-text_w)/2:y=h-2*text_h`;
  }
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-f', 'lavfi', '-i', video];
  if (!options.withoutAudio) {
    args.push('-f', 'lavfi', '-i', `sine=frequency=${options.toneHz ?? 440}:sample_rate=48000:duration=${d}`);
  }
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (!options.withoutAudio) args.push('-c:a', 'aac', '-b:a', '96k');
  args.push('-movflags', '+faststart', options.path);
  const run = await runTool(ffmpeg, args);
  if (run.code !== 0) throw new Error(`making synthetic clip ${options.path} failed: ${stderrTail(run.stderr)}`);
  return options.path;
}

/** Cuts a file to a fraction of its size: a realistic "upload broke off" corrupt source. */
export function truncateFile(path: string, keepFraction: number): void {
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, Math.floor(size * keepFraction));
  } finally {
    closeSync(fd);
  }
}
