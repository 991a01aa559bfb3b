/**
 * Master (multivariant) playlist renderer. Pure.
 *
 *   renderMasterPlaylist(renditions, { uriFor: (r) => `${r.name}.m3u8` }) → string
 *
 * One EXT-X-STREAM-INF per video rendition, in the order given (the first is where clients start, so
 * list the ladder's preferred start first), with BANDWIDTH, AVERAGE-BANDWIDTH, CODECS, RESOLUTION and
 * FRAME-RATE (three decimals); then one audio-only variant per audio rendition with the audio CODECS
 * only and no RESOLUTION / FRAME-RATE (RFC 8216 §4.3.4.2: RESOLUTION only for variants that include
 * video), listed after the video variants so no client starts on it (Apple HLS authoring spec).
 * EXT-X-INDEPENDENT-SEGMENTS: every segment of our ladder starts with a keyframe of a closed GOP.
 * The playlist uses no feature that needs EXT-X-VERSION above 1, so it carries none.
 */
import type { RenditionInfo } from './model.ts';
import { quotedString } from './hls-format.ts';

export interface MasterPlaylistOptions {
  /** URI of a rendition's media playlist, relative to the master or absolute. */
  uriFor: (rendition: RenditionInfo) => string;
}

export class MasterPlaylistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterPlaylistError';
  }
}

function positiveInteger(value: number | undefined, field: string, name: string): number {
  if (value === undefined || !Number.isInteger(value) || value <= 0) {
    throw new MasterPlaylistError(`rendition ${name}: ${field} ${value} must be a positive integer`);
  }
  return value;
}

function streamInf(r: RenditionInfo): string {
  const bandwidth = positiveInteger(r.bandwidth, 'bandwidth', r.name);
  const average = positiveInteger(r.averageBandwidth, 'averageBandwidth', r.name);
  if (average > bandwidth) throw new MasterPlaylistError(`rendition ${r.name}: averageBandwidth ${average} exceeds the peak bandwidth ${bandwidth}`);
  if (!r.codecs.trim()) throw new MasterPlaylistError(`rendition ${r.name}: codecs is empty`);
  let attributes = `BANDWIDTH=${bandwidth},AVERAGE-BANDWIDTH=${average},CODECS=${quotedString(r.codecs)}`;
  if (r.type === 'video') {
    const width = positiveInteger(r.width, 'width', r.name);
    const height = positiveInteger(r.height, 'height', r.name);
    if (r.frameRate === undefined || !(r.frameRate > 0)) throw new MasterPlaylistError(`rendition ${r.name}: frameRate ${r.frameRate} must be positive`);
    attributes += `,RESOLUTION=${width}x${height},FRAME-RATE=${r.frameRate.toFixed(3)}`;
  }
  return `#EXT-X-STREAM-INF:${attributes}`;
}

export function renderMasterPlaylist(renditions: readonly RenditionInfo[], options: MasterPlaylistOptions): string {
  const video = renditions.filter((r) => r.type === 'video');
  const audio = renditions.filter((r) => r.type === 'audio');
  if (video.length === 0 && audio.length === 0) throw new MasterPlaylistError('no renditions to list');
  const lines = ['#EXTM3U', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const r of [...video, ...audio]) lines.push(streamInf(r), options.uriFor(r));
  lines.push('');
  return lines.join('\n');
}
