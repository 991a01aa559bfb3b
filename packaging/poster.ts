import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { POSTER_DIR, POSTER_SIZES, posterFileName, type PosterSize } from '../playlists/media-layout.ts';
import { mediaBinaries } from './binaries.ts';
import { runTool, stderrTail } from './run.ts';

/**
 * A poster per asset: one frame of the source at an offset, scaled into 16:9 (letterboxed, never
 * stretched) in the sizes of POSTER_SIZES, written as JPEG into `<assetDir>/poster/<width>.jpg` by one
 * ffmpeg run (one seek, one decode, `split` into the sizes). JPEG rather than WebP: every set-top
 * browser decodes it, and the npm ffmpeg's libwebp is not guaranteed on a system ffmpeg.
 *
 * The offset is a fraction of the kept duration (default 10 %: past a title card, inside the lesson),
 * or absolute seconds; either is clamped to the last frame so a short clip still has a poster.
 */
export interface PosterOptions {
  /** Fraction of the duration, 0–1 (default DEFAULT_POSTER_FRACTION). */
  offsetFraction?: number;
  /** Absolute offset in seconds; wins over offsetFraction. */
  offsetS?: number;
}

export const DEFAULT_POSTER_FRACTION = 0.1;

/** What was written: the offset used and the sizes (files are posterFileName(size) in POSTER_DIR). */
export interface PosterSet {
  offsetMs: number;
  sizes: PosterSize[];
}

export class PosterError extends Error {}

/** The text of a poster offset: seconds (`30s`, `1.5s`) or a percentage of the duration (`25%`). */
export const POSTER_OFFSET_PATTERN = /^(\d+(?:\.\d+)?)(s|%)$/;

/** `30s`, `1.5s` (seconds) or `25%` (of the duration): the `--poster-at` option. Throws RangeError naming it. */
export function parsePosterOffset(text: string): PosterOptions {
  const match = POSTER_OFFSET_PATTERN.exec(text.trim());
  const value = match ? Number(match[1]) : Number.NaN;
  if (!match || (match[2] === '%' && value > 100)) {
    throw new RangeError(`poster offset '${text}' is not seconds (e.g. 30s) or a percentage 0–100 (e.g. 25%)`);
  }
  return match[2] === 's' ? { offsetS: value } : { offsetFraction: value / 100 };
}

/** The inverse of parsePosterOffset: `30s` or `25%` as `--poster-at` writes it; null when neither is set. */
export function formatPosterOffset(poster: PosterOptions): string | null {
  if (poster.offsetS !== undefined) return `${poster.offsetS}s`;
  if (poster.offsetFraction !== undefined) return `${Number((poster.offsetFraction * 100).toFixed(4))}%`;
  return null;
}

/** Seconds into a clip of `durationS` (frames of 1/frameRate) where the poster frame is taken. */
export function posterOffsetS(durationS: number, frameRate: number, options: PosterOptions = {}): number {
  const { offsetS, offsetFraction = DEFAULT_POSTER_FRACTION } = options;
  if (offsetS !== undefined && !(Number.isFinite(offsetS) && offsetS >= 0)) {
    throw new RangeError(`poster offset must be seconds ≥ 0, got ${offsetS}`);
  }
  if (!(offsetFraction >= 0 && offsetFraction <= 1)) {
    throw new RangeError(`poster offset fraction must be 0–1, got ${offsetFraction}`);
  }
  const lastFrameS = Math.max(0, durationS - 1 / frameRate);
  const wanted = offsetS ?? durationS * offsetFraction;
  // Whole milliseconds: the arguments (and the record) stay readable and deterministic.
  return Math.round(Math.min(wanted, lastFrameS) * 1000) / 1000;
}

/** The ffmpeg arguments writing one frame at `offsetS` of `source` into `outDir` in each size. */
export function posterArgs(source: string, offsetS: number, outDir: string, sizes: readonly PosterSize[]): string[] {
  const fit = (s: PosterSize) =>
    `scale=${s.width}:${s.height}:force_original_aspect_ratio=decrease,` +
    `pad=${s.width}:${s.height}:(ow-iw)/2:(oh-ih)/2,setsar=1`;
  const graph =
    `[0:v:0]split=${sizes.length}${sizes.map((_, i) => `[in${i}]`).join('')};` +
    sizes.map((s, i) => `[in${i}]${fit(s)}[out${i}]`).join(';');
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
  // Input seeking: fast (from the keyframe before) and frame-accurate, since the frame is decoded.
  args.push('-ss', offsetS.toFixed(3), '-i', source, '-filter_complex', graph);
  sizes.forEach((s, i) => {
    args.push('-map', `[out${i}]`, '-frames:v', '1', '-q:v', '3', '-f', 'image2', join(outDir, posterFileName(s)));
  });
  return args;
}

/**
 * Writes the posters of a source into `<assetDir>/poster/`. Throws PosterError with ffmpeg's reason when no
 * frame could be written (packaging then fails like any other verification: nothing is renamed into place).
 */
export async function writePosters(
  source: string,
  assetDir: string,
  timing: { durationS: number; frameRate: number },
  options: PosterOptions = {},
): Promise<PosterSet> {
  const offsetS = posterOffsetS(timing.durationS, timing.frameRate, options);
  const sizes = Object.values(POSTER_SIZES);
  const outDir = join(assetDir, POSTER_DIR);
  mkdirSync(outDir, { recursive: true });
  const run = await runTool(mediaBinaries().ffmpeg, posterArgs(source, offsetS, outDir, sizes));
  if (run.code !== 0) throw new PosterError(`poster frame at ${offsetS} s failed: ${stderrTail(run.stderr)}`);
  return { offsetMs: Math.round(offsetS * 1000), sizes };
}
