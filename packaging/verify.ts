import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseHls } from 'hls-parser';
import { segmentFileName, VOD_PLAYLIST_NAME } from '../playlists/media-layout.ts';
import type { RenditionInfo } from '../playlists/model.ts';
import { mediaBinaries } from './binaries.ts';
import type { Ladder } from './ladder.ts';
import { runTool, stderrTail } from './run.ts';

/** A rendition as verified: what a master playlist announces (measured, not configured) plus its EXTINFs. */
export interface VerifiedRendition extends RenditionInfo {
  /** EXTINF seconds as this rendition's playlist states them. */
  segmentDurations: number[];
}

export interface VerifiedLadder {
  renditions: VerifiedRendition[];
  canonicalRendition: string;
  /** Canonical per-segment durations in integer ms, from the first video rendition's frames. */
  segmentMs: number[];
  durationMs: number;
  /**
   * Presentation timestamp of the asset's first video frame in the MPEG-TS segments (90 kHz ticks, as
   * ffmpeg's muxer wrote it; the same in every video rendition). Caption segments map cue time 0 to it.
   */
  firstVideoPts90k: number;
}

export class VerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerificationError';
  }
}

interface SegmentPackets {
  /** Sum of the segment's video packet durations, in ms (exact at 25 fps: 40 ms each). */
  videoMs: number;
  firstVideoPacketIsKey: boolean;
  videoPackets: number;
}

/**
 * ffprobe's mpegts demuxer is unreliable in some static builds, so packets are read with ffmpeg's framecrc muxer (one
 * line per packet, `F=0x..` flags unless exactly key).
 */
async function readVideoPackets(files: string[]): Promise<SegmentPackets[]> {
  const results: SegmentPackets[] = [];
  // Many inputs per process (one output stream per segment) keeps process start-up off the hot path.
  const batch = 64;
  for (let start = 0; start < files.length; start += batch) {
    const chunk = files.slice(start, start + batch);
    const { timebase, packets } = await readFirstVideoStreams(chunk, [], 'cannot read segments');
    const perStream: SegmentPackets[] = chunk.map(() => ({
      videoMs: 0,
      firstVideoPacketIsKey: false,
      videoPackets: 0,
    }));
    const durationTicks = chunk.map(() => 0);
    for (const packet of packets) {
      const segment = perStream[packet.stream];
      if (!segment) continue;
      if (segment.videoPackets === 0) segment.firstVideoPacketIsKey = packet.isKey;
      segment.videoPackets++;
      durationTicks[packet.stream]! += packet.duration;
    }
    perStream.forEach((p, i) => {
      p.videoMs = Math.round(durationTicks[i]! * (timebase.get(i) ?? 1 / 90_000) * 1000);
    });
    results.push(...perStream);
  }
  return results;
}

interface FramecrcPacket {
  stream: number;
  pts: number;
  duration: number;
  /** Keyframe flag (framecrc writes `F=0x..` only when the flags are not exactly "key"). */
  isKey: boolean;
}

/**
 * Packets of the first video stream of each file (stream i = file i), read with ffmpeg's framecrc muxer: the
 * npm ffprobe crashes on MPEG-TS, ffmpeg does not. Timebases per stream, in seconds per tick.
 */
async function readFirstVideoStreams(
  files: string[],
  inputOptions: string[],
  failure: string,
): Promise<{ timebase: Map<number, number>; packets: FramecrcPacket[] }> {
  const { ffmpeg } = mediaBinaries();
  const args = ['-hide_banner', '-nostdin', '-v', 'error', ...inputOptions];
  for (const f of files) args.push('-i', f);
  files.forEach((_, i) => args.push('-map', `${i}:v:0`));
  args.push('-c', 'copy', '-f', 'framecrc', '-');
  const run = await runTool(ffmpeg, args);
  if (run.code !== 0) throw new VerificationError(`${failure} ${files[0]}…: ${stderrTail(run.stderr)}`);
  const timebase = new Map<number, number>();
  const packets: FramecrcPacket[] = [];
  for (const line of run.stdout.toString('utf8').split('\n')) {
    const tb = /^#tb (\d+): (\d+)\/(\d+)/.exec(line);
    if (tb) {
      timebase.set(Number(tb[1]), Number(tb[2]) / Number(tb[3]));
      continue;
    }
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(',').map((f) => f.trim());
    const flagField = fields.find((f) => f.startsWith('F='));
    packets.push({
      stream: Number(fields[0]),
      pts: Number(fields[2]),
      duration: Number(fields[3]),
      isKey: flagField === undefined || (Number.parseInt(flagField.slice(2), 16) & 1) === 1,
    });
  }
  return { timebase, packets };
}

/**
 * The smallest video PTS of each given segment as written (`-copyts`: no shift to zero), in 90 kHz ticks.
 * One ffmpeg run reads the first segment of every video rendition together.
 */
async function firstVideoPts(files: string[]): Promise<number[]> {
  const { timebase, packets } = await readFirstVideoStreams(files, ['-copyts'], 'cannot read the timestamps of');
  const minPts = files.map(() => Number.POSITIVE_INFINITY);
  for (const packet of packets) {
    if (packet.stream in minPts && Number.isFinite(packet.pts))
      minPts[packet.stream] = Math.min(minPts[packet.stream]!, packet.pts);
  }
  return minPts.map((pts, i) => {
    if (!Number.isFinite(pts)) throw new VerificationError(`${files[i]}: no video timestamps`);
    return Math.round(pts * (timebase.get(i) ?? 1 / 90_000) * 90_000);
  });
}

/** The first SPS of the stream gives profile_idc, constraint flags and level_idc: RFC 6381 avc1.PPCCLL. */
async function avcCodecString(segment: string): Promise<string> {
  const { ffmpeg } = mediaBinaries();
  const run = await runTool(ffmpeg, [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-i',
    segment,
    '-map',
    '0:v:0',
    '-c',
    'copy',
    '-frames:v',
    '1',
    '-f',
    'h264',
    '-',
  ]);
  const bytes = run.stdout;
  for (let i = 0; i + 7 < bytes.length; i++) {
    if (bytes[i] === 0 && bytes[i + 1] === 0 && bytes[i + 2] === 1 && (bytes[i + 3]! & 0x1f) === 7) {
      return `avc1.${[bytes[i + 4]!, bytes[i + 5]!, bytes[i + 6]!].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
    }
  }
  throw new VerificationError(`${segment}: no H.264 sequence parameter set found`);
}

/** AAC-LC is what the ladder encodes; confirm the stream says so rather than assume. */
async function audioCodecString(segment: string): Promise<string> {
  const { ffmpeg } = mediaBinaries();
  const run = await runTool(ffmpeg, ['-hide_banner', '-nostdin', '-i', segment]);
  if (/Audio: aac \(LC\)/.test(run.stderr)) return 'mp4a.40.2';
  if (/Audio: aac \(HE-AAC\)/.test(run.stderr)) return 'mp4a.40.5';
  throw new VerificationError(
    `${segment}: audio is not AAC-LC (${/Audio: [^\n]*/.exec(run.stderr)?.[0] ?? 'no audio stream'})`,
  );
}

function readPlaylist(dir: string, rendition: string): string[] {
  const path = join(dir, rendition, VOD_PLAYLIST_NAME);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new VerificationError(`rendition ${rendition}: no playlist at ${path}`);
  }
  const playlist = parseHls(text);
  if (playlist.isMasterPlaylist) throw new VerificationError(`${path}: expected a media playlist`);
  if (!playlist.endlist || playlist.playlistType !== 'VOD')
    throw new VerificationError(`${path}: not a finished VOD playlist`);
  return playlist.segments.map((s, i) => {
    if (s.uri !== segmentFileName(i))
      throw new VerificationError(`${path}: segment ${i} is '${s.uri}', expected '${segmentFileName(i)}'`);
    return String(s.duration);
  });
}

/**
 * Checks a freshly written ladder before it becomes visible: same segment count everywhere, every
 * video segment opens with a keyframe, the canonical timeline (from frames, not rounded EXTINF),
 * and the figures a master playlist needs (BANDWIDTH, AVERAGE-BANDWIDTH, CODECS).
 */
export async function verifyLadder(dir: string, ladder: Ladder): Promise<VerifiedLadder> {
  const renditions: VerifiedRendition[] = [];
  let canonical: SegmentPackets[] | undefined;
  let expectedCount: number | undefined;
  for (const r of ladder.renditions) {
    const durations = readPlaylist(dir, r.name).map(Number);
    if (durations.length === 0) throw new VerificationError(`rendition ${r.name}: no segments`);
    if (expectedCount === undefined) expectedCount = durations.length;
    if (durations.length !== expectedCount) {
      throw new VerificationError(
        `rendition ${r.name} has ${durations.length} segments but ${ladder.renditions[0]!.name} has ${expectedCount}`,
      );
    }
    const files = durations.map((_, i) => join(dir, r.name, segmentFileName(i)));
    const sizes = files.map((f) => statSync(f).size);
    let timeline = durations.map((s) => s * 1000);
    let codecs: string;
    if (r.type === 'video') {
      const packets = await readVideoPackets(files);
      packets.forEach((p, i) => {
        if (p.videoPackets === 0) throw new VerificationError(`${files[i]}: no video frames`);
        if (!p.firstVideoPacketIsKey) throw new VerificationError(`${files[i]}: does not start with a keyframe`);
      });
      canonical ??= packets;
      timeline = packets.map((p) => p.videoMs);
      codecs = `${await avcCodecString(files[0]!)},${await audioCodecString(files[0]!)}`;
    } else {
      codecs = await audioCodecString(files[0]!);
    }
    const totalMs = timeline.reduce((a, b) => a + b, 0);
    const peak = Math.max(...sizes.map((size, i) => (size * 8 * 1000) / Math.max(timeline[i]!, 1)));
    renditions.push({
      name: r.name,
      type: r.type,
      ...(r.type === 'video' ? { width: r.width, height: r.height, frameRate: ladder.frameRate } : {}),
      bandwidth: Math.ceil(peak),
      averageBandwidth: Math.ceil((sizes.reduce((a, b) => a + b, 0) * 8 * 1000) / totalMs),
      codecs,
      segmentDurations: durations,
    });
  }
  const canonicalRendition = ladder.renditions[0]!.name;
  const segmentMs = canonical!.map((p) => p.videoMs);
  // One caption track serves every rendition, so every video rendition must start at the same PTS.
  const videos = ladder.renditions.filter((r) => r.type === 'video');
  const firstPts = await firstVideoPts(videos.map((r) => join(dir, r.name, segmentFileName(0))));
  firstPts.forEach((pts, i) => {
    if (pts !== firstPts[0]) {
      throw new VerificationError(
        `rendition ${videos[i]!.name} starts at PTS ${pts}, ${canonicalRendition} at ${firstPts[0]}: renditions are not aligned`,
      );
    }
  });
  return {
    renditions,
    canonicalRendition,
    segmentMs,
    durationMs: segmentMs.reduce((a, b) => a + b, 0),
    firstVideoPts90k: firstPts[0]!,
  };
}
