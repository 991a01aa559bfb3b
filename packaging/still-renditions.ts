import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { mediaBinaries } from './binaries.ts';
import type { Ladder, Rendition, SegmentingParams } from './ladder.ts';
import { runTool, stderrTail } from './run.ts';

/**
 * Still-image renditions made the cheap way: one short chunk per rendition of a ladder is encoded once
 * (a slide — background, lines of text — with a soft chime), already conforming to the ladder (H.264
 * Main, closed GOPs at the GOP cadence, AAC-LC), then any length is made by looping the chunk with
 * stream copy (`-stream_loop -1 -c copy -t`), which costs I/O only. The chunk's audio is cut one AAC
 * frame short of the video, so with the encoder's priming frame both streams last exactly the chunk
 * and loops join without a gap or drift. The sample's lessons are made this way, and the pre-encoded
 * ingest tests make their (non-)conforming clips with the overrides.
 */

/** Chunk length: a whole number of 2 s GOPs, 25 fps frames and 1024-sample AAC frames at 48 kHz. */
export const STILL_CHUNK_SECONDS = 8;
const AAC_FRAME_SAMPLES = 1024;

/** Deliberate departures from the ladder, for clips that must be refused. */
export interface StillOverrides {
  width?: number;
  height?: number;
  sampleRate?: number;
  gopSeconds?: number;
  openGop?: boolean;
  seconds?: number;
}

export interface StillChunkRequest {
  ladder: Ladder;
  segmenting: SegmentingParams;
  outDir: string;
  /** Lines drawn centred on the slide (needs fontFile). */
  lines: readonly string[];
  fontFile: string;
  /** Background colour, `0xRRGGBB`. */
  background?: string;
  chimeHz?: number;
  seconds?: number;
  overrides?: Readonly<Record<string, StillOverrides>>;
}

function escapeDrawtext(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, '\u2019').replace(/:/g, '\\:').replace(/%/g, '\\%');
}

function slideFilter(req: StillChunkRequest, r: Rendition, o: StillOverrides, seconds: number, fps: number): string {
  const width = o.width ?? (r.type === 'video' ? r.width : 0);
  const height = o.height ?? (r.type === 'video' ? r.height : 0);
  const size = Math.max(12, Math.round(height / 10));
  const font = escapeDrawtext(req.fontFile);
  const text = req.lines.map((line, i) => {
    const y = `(h-${req.lines.length}*${Math.round(size * 1.6)})/2+${i * Math.round(size * 1.6)}`;
    const fontsize = i === 0 ? Math.round(size * 1.2) : size;
    return `drawtext=fontfile='${font}':text='${escapeDrawtext(line)}':fontsize=${fontsize}:fontcolor=white:x=(w-text_w)/2:y=${y}`;
  });
  const bg = `color=c=${req.background ?? '0x1e5a8c'}:size=${width}x${height}:rate=${fps}:duration=${seconds}`;
  return [bg, ...text].join(',');
}

function chimeFilter(hz: number, sampleRate: number, seconds: number): string {
  // One frame short: the AAC encoder's priming frame brings the packets back to exactly `seconds`.
  const samples = Math.max(AAC_FRAME_SAMPLES, Math.round(seconds * sampleRate) - AAC_FRAME_SAMPLES);
  const d = (samples / sampleRate).toFixed(6);
  return `aevalsrc=0.15*sin(2*PI*${hz}*t)*exp(-3*mod(t\\,4)):s=${sampleRate}:d=${d},aformat=channel_layouts=stereo`;
}

/** x264 constant-quality factor of the slides: text stays sharp, a 360p slide with audio is about 110 kbps. */
const STILL_CRF = 28;

function videoArgs(ladder: Ladder, r: Rendition, o: StillOverrides, gopSeconds: number): string[] {
  if (r.type !== 'video') return ['-vn'];
  const gop = String(Math.round((o.gopSeconds ?? gopSeconds) * ladder.frameRate));
  return [
    ...['-c:v', 'libx264', '-profile:v', ladder.videoProfile, '-preset', ladder.x264Preset, '-pix_fmt', 'yuv420p'],
    ...['-g', gop, '-keyint_min', gop, '-sc_threshold', '0', '-flags', o.openGop ? '-cgop' : '+cgop'],
    ...(o.openGop ? ['-x264opts', 'open-gop=1:bframes=3'] : []),
    // A still slide needs a fraction of the ladder's budget for motion: constant quality, with the ladder's rate as
    // a ceiling (half the bytes of an average-bitrate encode at the same legibility: the sample stays under 1.5 GB).
    ...['-crf', String(STILL_CRF), '-maxrate', `${Math.round(r.videoKbps * 1.1)}k`, '-bufsize', `${r.videoKbps * 2}k`],
  ];
}

/** Encodes one chunk per rendition (`<outDir>/<rendition>.ts`); returns rendition name → file. */
export async function encodeStillChunks(req: StillChunkRequest): Promise<Record<string, string>> {
  const { ffmpeg } = mediaBinaries();
  mkdirSync(req.outDir, { recursive: true });
  const files: Record<string, string> = {};
  for (const r of req.ladder.renditions) {
    const o = req.overrides?.[r.name] ?? {};
    const seconds = o.seconds ?? req.seconds ?? STILL_CHUNK_SECONDS;
    const sampleRate = o.sampleRate ?? req.ladder.audioSampleRate;
    const file = join(req.outDir, `${r.name}.mp4`);
    const inputs =
      r.type === 'video' ? ['-f', 'lavfi', '-i', slideFilter(req, r, o, seconds, req.ladder.frameRate)] : [];
    const args = [
      ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...inputs],
      ...['-f', 'lavfi', '-i', chimeFilter(req.chimeHz ?? 523, sampleRate, seconds)],
      ...videoArgs(req.ladder, r, o, req.segmenting.gopSeconds),
      ...['-c:a', 'aac', '-profile:a', 'aac_low', '-b:a', `${r.audioKbps}k`, '-ar', String(sampleRate), '-ac', '2'],
      ...['-f', 'mp4', file],
    ];
    const run = await runTool(ffmpeg, args);
    if (run.code !== 0) throw new Error(`encoding the ${r.name} chunk failed: ${stderrTail(run.stderr)}`);
    files[r.name] = file;
  }
  return files;
}

/** Writes `seconds` of `chunk` looped, by stream copy (no encode). */
export async function loopByCopy(chunk: string, seconds: number, out: string, frameRate: number): Promise<string> {
  const { ffmpeg } = mediaBinaries();
  // Exactly the frames of `seconds` (the chunk's leading B-frame delay would otherwise add two).
  const frames = String(Math.round(seconds * frameRate));
  const run = await runTool(ffmpeg, [
    ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-stream_loop', '-1', '-i', chunk],
    ...['-map', '0', '-c', 'copy', '-frames:v', frames, '-t', seconds.toFixed(3), '-f', 'mpegts', out],
  ]);
  if (run.code !== 0) throw new Error(`looping ${chunk} to ${seconds} s failed: ${stderrTail(run.stderr)}`);
  return out;
}
