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
 *
 * Captions (`subtitles`): one `EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs"` per language (RFC 8216 §4.3.4.1:
 * LANGUAGE, a NAME unique in the group — 中文, English, else the tag —, AUTOSELECT=YES so a device's own
 * caption preference may pick it, URI of the WebVTT media playlist), and `SUBTITLES="subs"` on every
 * EXT-X-STREAM-INF, audio-only included (§4.3.4.2). DEFAULT=NO on every track: captions are opt-in (the TV app
 * turns them on from its setting; a native player from the device's accessibility setting via AUTOSELECT),
 * and a DEFAULT=YES subtitle track would be shown to everyone by players that honour it.
 * EXT-X-VERSION: nothing here needs more than version 1 — EXT-X-MEDIA and SUBTITLES are compatible with
 * version 1 (§7; a server MAY but need not announce 4) — so the playlist carries none.
 */
import type { RenditionInfo } from './model.ts';
import { quotedString } from './hls-format.ts';
import { captionDisplayName, SUBTITLES_GROUP_ID } from './captions.ts';

export interface SubtitleMedia {
  /** BCP 47 tag. */
  language: string;
  /** URI of the caption media playlist, relative to the master or absolute. */
  uri: string;
}

export interface MasterPlaylistOptions {
  /** URI of a rendition's media playlist, relative to the master or absolute. */
  uriFor: (rendition: RenditionInfo) => string;
  /** Caption tracks, in the order players should list them (none: no EXT-X-MEDIA, no SUBTITLES attribute). */
  subtitles?: readonly SubtitleMedia[];
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
  if (average > bandwidth)
    throw new MasterPlaylistError(
      `rendition ${r.name}: averageBandwidth ${average} exceeds the peak bandwidth ${bandwidth}`,
    );
  if (!r.codecs.trim()) throw new MasterPlaylistError(`rendition ${r.name}: codecs is empty`);
  let attributes = `BANDWIDTH=${bandwidth},AVERAGE-BANDWIDTH=${average},CODECS=${quotedString(r.codecs)}`;
  if (r.type === 'video') {
    const width = positiveInteger(r.width, 'width', r.name);
    const height = positiveInteger(r.height, 'height', r.name);
    if (r.frameRate === undefined || !(r.frameRate > 0))
      throw new MasterPlaylistError(`rendition ${r.name}: frameRate ${r.frameRate} must be positive`);
    attributes += `,RESOLUTION=${width}x${height},FRAME-RATE=${r.frameRate.toFixed(3)}`;
  }
  return `#EXT-X-STREAM-INF:${attributes}`;
}

/** BCP 47 as far as a quoted attribute and a path component need it. */
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

function subtitleMedia(subtitles: readonly SubtitleMedia[]): string[] {
  const seen = new Set<string>();
  return subtitles.map(({ language, uri }) => {
    if (!LANGUAGE_TAG.test(language))
      throw new MasterPlaylistError(`subtitles: '${language}' is not a BCP 47 language tag`);
    if (seen.has(language)) throw new MasterPlaylistError(`subtitles: language ${language} is listed twice`);
    seen.add(language);
    if (!uri.trim()) throw new MasterPlaylistError(`subtitles ${language}: uri is empty`);
    return (
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="${SUBTITLES_GROUP_ID}",LANGUAGE="${language}",` +
      `NAME=${quotedString(captionDisplayName(language))},AUTOSELECT=YES,DEFAULT=NO,URI=${quotedString(uri)}`
    );
  });
}

export function renderMasterPlaylist(renditions: readonly RenditionInfo[], options: MasterPlaylistOptions): string {
  const video = renditions.filter((r) => r.type === 'video');
  const audio = renditions.filter((r) => r.type === 'audio');
  if (video.length === 0 && audio.length === 0) throw new MasterPlaylistError('no renditions to list');
  const lines = ['#EXTM3U', '#EXT-X-INDEPENDENT-SEGMENTS'];
  const media = subtitleMedia(options.subtitles ?? []);
  lines.push(...media);
  const groups = media.length > 0 ? `,SUBTITLES="${SUBTITLES_GROUP_ID}"` : '';
  for (const r of [...video, ...audio]) lines.push(streamInf(r) + groups, options.uriFor(r));
  lines.push('');
  return lines.join('\n');
}
