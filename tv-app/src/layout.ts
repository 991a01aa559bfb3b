/** Screen geometry at the 1920×1080 design size (scaled by Blits' pixelRatio on 720p boxes). */
export const SCREEN_W = 1920;
export const SCREEN_H = 1080;
/** 5% title-safe margins: text and focus stay inside. */
export const SAFE_X = 96;
export const SAFE_Y = 54;
export const SAFE_W = SCREEN_W - 2 * SAFE_X;
export const SAFE_H = SCREEN_H - 2 * SAFE_Y;

export const COLORS = {
  background: '#0b1a2b',
  panel: '#13283f',
  cell: '#1d3a5a',
  cellPast: '#17293d',
  cellAiring: '#23507a',
  focus: '#f5b301',
  text: '#ffffff',
  textDim: '#a9bdd3',
  textOnFocus: '#1a1a1a',
  nowLine: '#ff4d4d',
  notice: '#b3261e',
  offline: '#8a5a00',
};
