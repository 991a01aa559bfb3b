import { MEDIA_ID_PATTERN } from '../playlists/media-layout.ts';

/**
 * Ladders are configuration: one per channel, shared by every asset on it (lessons, fillers, slate),
 * so all assets agree on rendition names, codecs, resolutions and frame rate. Segment and GOP
 * durations are not part of the ladder: they are parameters of a packaging run (the slate uses 1 s).
 */
export interface VideoRendition {
  type: 'video';
  /** Path-safe name, used as the directory under media/<assetId>/. */
  name: string;
  width: number;
  height: number;
  videoKbps: number;
  audioKbps: number;
}

export interface AudioRendition {
  type: 'audio';
  name: string;
  audioKbps: number;
}

export type Rendition = VideoRendition | AudioRendition;

export interface Ladder {
  name: string;
  frameRate: number;
  /** H.264 profile for every video rendition. */
  videoProfile: 'main';
  /** x264 speed/quality trade-off. */
  x264Preset: string;
  audioSampleRate: number;
  audioChannels: number;
  /** Ladder order: the first video rendition is the canonical timeline. */
  renditions: Rendition[];
}

export interface SegmentingParams {
  segmentSeconds: number;
  gopSeconds: number;
}

export const LESSON_SEGMENTING: SegmentingParams = { segmentSeconds: 6, gopSeconds: 2 };
/** The slate fills gaps to within one of its segments. */
export const SLATE_SEGMENTING: SegmentingParams = { segmentSeconds: 1, gopSeconds: 1 };

export const LADDERS: Record<string, Ladder> = {
  default: {
    name: 'default',
    frameRate: 25,
    videoProfile: 'main',
    x264Preset: 'veryfast',
    audioSampleRate: 48_000,
    audioChannels: 2,
    renditions: [
      { type: 'video', name: '720p', width: 1280, height: 720, videoKbps: 2000, audioKbps: 96 },
      { type: 'video', name: '480p', width: 854, height: 480, videoKbps: 900, audioKbps: 96 },
      { type: 'video', name: '360p', width: 640, height: 360, videoKbps: 500, audioKbps: 96 },
      { type: 'audio', name: 'audio', audioKbps: 64 },
    ],
  },
  /**
   * Light enough for the sample data and tests (superfast x264 keeps CABAC, so still Main profile): two video
   * renditions plus audio-only.
   */
  sample: {
    name: 'sample',
    frameRate: 25,
    videoProfile: 'main',
    x264Preset: 'superfast',
    audioSampleRate: 48_000,
    audioChannels: 2,
    renditions: [
      { type: 'video', name: '360p', width: 640, height: 360, videoKbps: 500, audioKbps: 96 },
      { type: 'video', name: '240p', width: 426, height: 240, videoKbps: 250, audioKbps: 96 },
      { type: 'audio', name: 'audio', audioKbps: 64 },
    ],
  },
};

/** Checks the invariants every ladder must hold; returns the reasons it fails (empty when fine). */
export function ladderProblems(ladder: Ladder): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const r of ladder.renditions) {
    if (!MEDIA_ID_PATTERN.test(r.name)) problems.push(`rendition name '${r.name}' is not path-safe`);
    if (names.has(r.name)) problems.push(`rendition name '${r.name}' appears twice`);
    names.add(r.name);
    if (r.type === 'video' && (r.width % 2 !== 0 || r.height % 2 !== 0)) {
      problems.push(`rendition '${r.name}' has odd dimensions ${r.width}x${r.height} (H.264 4:2:0 needs even)`);
    }
  }
  if (ladder.renditions[0]?.type !== 'video')
    problems.push('the first rendition must be video (it is the canonical timeline)');
  if (ladder.renditions.filter((r) => r.type === 'video').length < 2)
    problems.push('a ladder needs at least two video renditions');
  if (!ladder.renditions.some((r) => r.type === 'audio')) problems.push('a ladder needs an audio-only rendition');
  return problems;
}

export function getLadder(name: string): Ladder {
  const ladder = LADDERS[name];
  if (!ladder) throw new Error(`unknown ladder '${name}' (known: ${Object.keys(LADDERS).join(', ')})`);
  return ladder;
}
