/**
 * Where packaged media lives under the media directory. Shared by packaging (which writes it) and the
 * renderers (which point at it): media/<assetId>/<rendition>/<segment>.
 */
export const VOD_PLAYLIST_NAME = 'index.m3u8';

export function segmentFileName(index: number): string {
  return `seg${String(index).padStart(5, '0')}.ts`;
}

/** Path relative to the media directory, with forward slashes (also the URL path under /media/). */
export function segmentPath(assetId: string, rendition: string, index: number): string {
  return `${assetId}/${rendition}/${segmentFileName(index)}`;
}

export function captionSegmentFileName(index: number): string {
  return `seg${String(index).padStart(5, '0')}.vtt`;
}

/** Caption track directory of a language (see CaptionTrack). */
export function captionTrackName(language: string): string {
  return `sub-${language}`;
}

/** Path of a WebVTT caption segment relative to the media directory (also the URL path under /media/). */
export function captionSegmentPath(assetId: string, trackName: string, index: number): string {
  return `${assetId}/${trackName}/${captionSegmentFileName(index)}`;
}

/** Asset and rendition ids are used as path components: keep them to a safe alphabet. */
export const MEDIA_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Poster frames of an asset: media/<assetId>/poster/<width>.jpg, 16:9, JPEG (what every set-top browser decodes). */
export const POSTER_DIR = 'poster';

export interface PosterSize {
  width: number;
  height: number;
}

/** The two poster sizes packaging writes: a rail tile and a details page / XMLTV icon. */
export const POSTER_SIZES = {
  small: { width: 480, height: 270 },
  large: { width: 1280, height: 720 },
} as const satisfies Record<string, PosterSize>;

export function posterFileName(size: PosterSize): string {
  return `${size.width}.jpg`;
}

/** Path of a poster relative to the media directory (also the URL path under /media/). */
export function posterPath(assetId: string, size: PosterSize): string {
  return `${assetId}/${POSTER_DIR}/${posterFileName(size)}`;
}
