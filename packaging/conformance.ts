import { mediaBinaries } from './binaries.ts';
import type { Ladder, Rendition, SegmentingParams } from './ladder.ts';
import { runTool, stderrTail } from './run.ts';

/**
 * Conformance of pre-encoded renditions: a broadcaster's own encodes can be segmented by stream copy
 * (no re-encode) only when each file already is what the channel's ladder would have produced —
 * H.264 Main at the rendition's size and the ladder's frame rate, closed GOPs with a keyframe at every
 * segment start, AAC-LC at the ladder's sample rate — and all renditions are the same length.
 * Files are read with ffmpeg (stream description and packet list), never trusted from metadata alone.
 */

export class NonConformingRenditionError extends Error {
  constructor(
    readonly rendition: string,
    readonly property: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`rendition ${rendition}: ${property} must be ${expected}, found ${found}`);
    this.name = 'NonConformingRenditionError';
  }
}

interface StreamDescription {
  video?: { codec: string; profile: string; width: number; height: number; fps: number };
  audio?: { codec: string; profile: string; sampleRate: number; channels: number };
}

export interface RenditionFileFacts {
  rendition: string;
  file: string;
  /** Length of the file's main stream (video, or audio for an audio-only rendition), seconds. */
  durationS: number;
}

interface Packet {
  dts: number;
  pts: number;
  duration: number;
  isKey: boolean;
}

/** What `ffmpeg -i` says about the first video and audio streams (the npm ffprobe cannot read MPEG-TS). */
export async function describeStreams(file: string): Promise<StreamDescription> {
  const { ffmpeg } = mediaBinaries();
  const run = await runTool(ffmpeg, ['-hide_banner', '-nostdin', '-i', file]);
  if (!/Input #0/.test(run.stderr)) throw new Error(`${file}: not a media file (${stderrTail(run.stderr)})`);
  const described: StreamDescription = {};
  const video = /Stream #0:\d+[^:]*: Video: (\w+)(?: \(([^)]*)\))?[^\n]*?, (\d+)x(\d+)[^\n]*?, ([\d.]+)(k?) fps/.exec(
    run.stderr,
  );
  if (video) {
    const fps = Number(video[5]) * (video[6] ? 1000 : 1);
    described.video = { codec: video[1]!, profile: video[2] ?? '', width: +video[3]!, height: +video[4]!, fps };
  }
  const audio = /Stream #0:\d+[^:]*: Audio: (\w+)(?: \(([^)]*)\))?[^\n]*?, (\d+) Hz, ([^,\n]+)/.exec(run.stderr);
  if (audio) {
    const layout = audio[4]!.trim();
    const channels = layout === 'mono' ? 1 : layout === 'stereo' ? 2 : Number(/^(\d+)/.exec(layout)?.[1] ?? 0);
    described.audio = { codec: audio[1]!, profile: audio[2] ?? '', sampleRate: +audio[3]!, channels };
  }
  return described;
}

/** Packets of stream `selector` (`v:0`, `a:0`) in decode order, in seconds, read with the framecrc muxer. */
async function readPackets(file: string, selector: string): Promise<Packet[]> {
  const { ffmpeg } = mediaBinaries();
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-copyts', '-i', file, '-map', `0:${selector}`];
  const run = await runTool(ffmpeg, [...args, '-c', 'copy', '-f', 'framecrc', '-']);
  if (run.code !== 0) throw new Error(`${file}: cannot read packets (${stderrTail(run.stderr)})`);
  let timebase = 1 / 90_000;
  const packets: Packet[] = [];
  for (const line of run.stdout.toString('utf8').split('\n')) {
    const tb = /^#tb 0: (\d+)\/(\d+)/.exec(line);
    if (tb) timebase = Number(tb[1]) / Number(tb[2]);
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(',').map((f) => f.trim());
    const flags = fields.find((f) => f.startsWith('F='));
    packets.push({
      dts: Number(fields[1]) * timebase,
      pts: Number(fields[2]) * timebase,
      duration: Number(fields[3]) * timebase,
      isKey: flags === undefined || (Number.parseInt(flags.slice(2), 16) & 1) === 1,
    });
  }
  return packets;
}

function checkVideoStream(name: string, ladder: Ladder, r: Rendition, d: StreamDescription): void {
  if (r.type !== 'video') return;
  const v = d.video;
  if (!v) throw new NonConformingRenditionError(name, 'video stream', 'present (H.264)', 'none');
  if (v.codec !== 'h264') throw new NonConformingRenditionError(name, 'video codec', 'H.264', v.codec);
  if (v.profile !== 'Main') throw new NonConformingRenditionError(name, 'H.264 profile', 'Main', v.profile || '?');
  if (v.width !== r.width || v.height !== r.height) {
    throw new NonConformingRenditionError(name, 'size', `${r.width}x${r.height}`, `${v.width}x${v.height}`);
  }
  if (Math.abs(v.fps - ladder.frameRate) > 0.01)
    throw new NonConformingRenditionError(name, 'frame rate', `${ladder.frameRate} fps`, `${v.fps} fps`);
}

function checkAudioStream(name: string, ladder: Ladder, d: StreamDescription): void {
  const a = d.audio;
  if (!a) throw new NonConformingRenditionError(name, 'audio stream', 'present (AAC-LC)', 'none');
  if (a.codec !== 'aac' || a.profile !== 'LC')
    throw new NonConformingRenditionError(name, 'audio codec', 'AAC-LC', `${a.codec} ${a.profile}`.trim());
  if (a.sampleRate !== ladder.audioSampleRate) {
    const expected = `${ladder.audioSampleRate} Hz`;
    throw new NonConformingRenditionError(name, 'audio sample rate', expected, `${a.sampleRate} Hz`);
  }
  if (a.channels !== ladder.audioChannels)
    throw new NonConformingRenditionError(name, 'audio channels', String(ladder.audioChannels), String(a.channels));
}

/**
 * Closed GOPs at the segment cadence: a keyframe exactly at every segment start (from the first frame),
 * and no frame after a keyframe in decode order shown before it (leading pictures = an open GOP).
 * Returns the video's length from its frames, seconds.
 */
function checkKeyframes(name: string, ladder: Ladder, segmenting: SegmentingParams, packets: Packet[]): number {
  if (packets.length === 0) throw new NonConformingRenditionError(name, 'video frames', 'at least one', 'none');
  const frameS = 1 / ladder.frameRate;
  const startPts = Math.min(...packets.map((p) => p.pts));
  const keyframeAt = new Set<number>();
  let lastKeyPts: number | undefined;
  for (const p of packets) {
    if (p.isKey) {
      keyframeAt.add(Math.round((p.pts - startPts) / frameS));
      lastKeyPts = p.pts;
    } else if (lastKeyPts !== undefined && p.pts < lastKeyPts - frameS / 2) {
      const at = `${(lastKeyPts - startPts).toFixed(2)} s`;
      throw new NonConformingRenditionError(name, 'GOP structure', 'closed GOPs', `an open GOP at ${at}`);
    }
  }
  const frames = packets.length;
  const framesPerSegment = Math.round(segmenting.segmentSeconds * ladder.frameRate);
  for (let frame = 0; frame < frames; frame += framesPerSegment) {
    if (!keyframeAt.has(frame)) {
      const expected = `one at every ${segmenting.segmentSeconds} s segment start (closed GOPs)`;
      throw new NonConformingRenditionError(name, 'keyframes', expected, `none at ${(frame * frameS).toFixed(2)} s`);
    }
  }
  return frames * frameS;
}

function audioLength(packets: Packet[]): number {
  if (packets.length === 0) return 0;
  const start = Math.min(...packets.map((p) => p.pts));
  const end = Math.max(...packets.map((p) => p.pts + p.duration));
  return end - start;
}

/** Checks one rendition's file; returns its length. Throws NonConformingRenditionError naming the property. */
export async function checkRenditionFile(
  ladder: Ladder,
  rendition: Rendition,
  file: string,
  segmenting: SegmentingParams,
): Promise<RenditionFileFacts> {
  const name = rendition.name;
  let described: StreamDescription;
  try {
    described = await describeStreams(file);
  } catch (error) {
    throw new NonConformingRenditionError(name, 'file', 'a readable media file', (error as Error).message);
  }
  checkVideoStream(name, ladder, rendition, described);
  checkAudioStream(name, ladder, described);
  const durationS =
    rendition.type === 'video'
      ? checkKeyframes(name, ladder, segmenting, await readPackets(file, 'v:0'))
      : audioLength(await readPackets(file, 'a:0'));
  return { rendition: name, file, durationS };
}

/** Longest allowed difference between renditions' lengths: about a video frame plus an AAC frame. */
const LENGTH_TOLERANCE_S = 0.1;

/**
 * Checks every rendition of the ladder (one file each, no more, no fewer), then that they are the same
 * length as the first (canonical) one.
 */
export async function checkRenditionFiles(
  ladder: Ladder,
  files: Readonly<Record<string, string>>,
  segmenting: SegmentingParams,
): Promise<RenditionFileFacts[]> {
  const names = ladder.renditions.map((r) => r.name);
  for (const given of Object.keys(files)) {
    if (!names.includes(given))
      throw new NonConformingRenditionError(given, 'name', `one of the ladder's (${names.join(', ')})`, given);
  }
  const facts: RenditionFileFacts[] = [];
  for (const r of ladder.renditions) {
    const file = files[r.name];
    if (!file) throw new NonConformingRenditionError(r.name, 'file', `given (ladder ${ladder.name})`, 'none');
    facts.push(await checkRenditionFile(ladder, r, file, segmenting));
  }
  const canonical = facts[0]!;
  for (const f of facts.slice(1)) {
    if (Math.abs(f.durationS - canonical.durationS) > LENGTH_TOLERANCE_S) {
      const expected = `${canonical.durationS.toFixed(2)} s (as ${canonical.rendition})`;
      throw new NonConformingRenditionError(f.rendition, 'length', expected, `${f.durationS.toFixed(2)} s`);
    }
  }
  return facts;
}
