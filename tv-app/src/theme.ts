/**
 * The TV app's colours and sizes, at the 1920×1080 design size (scaled by Blits' pixelRatio on 720p boxes).
 *
 * Everything the app computes in code (cell and tab colours, the guide's geometry, the page backdrop) comes from
 * here. Blits templates cannot read module constants: a static attribute (`color="#13283f"`, `x="96"`) is a literal
 * the precompiler bakes in, and turning each into a reactive binding would cost a binding per node. So the
 * literals in the component templates stay; they use the values below (see docs/tv-app.md when changing one).
 */

export const SCREEN_W = 1920;
export const SCREEN_H = 1080;

export const COLORS = {
  /** Behind every page but Live and the player (painted by the browser under the canvas, see backdrop.ts). */
  background: '#0b1a2b',
  panel: '#13283f',
  cell: '#1d3a5a',
  cellPast: '#14253a',
  cellAiring: '#23507a',
  focus: '#f5b301',
  text: '#ffffff',
  textDim: '#a9bdd3',
  textOnFocus: '#1a1a1a',
  nowLine: '#ff4d4d',
  notice: '#b3261e',
  offline: '#8a5a00',
} as const;

/** The programme guide's grid (pages/Guide.js draws it at x 96, y 380; guide/guide-view.ts lays it out). */
export const GUIDE = {
  /** Width of the channel column, left of the programme area. */
  channelColumnW: 312,
  /** The programme area shows 90 minutes. */
  programmeAreaW: 1416,
  minutesShown: 90,
  /** Height of the time markers above the first row. */
  markersH: 48,
  rowH: 92,
  visibleRows: 6,
  /** Gap between neighbouring cells (a cell is drawn this much narrower than its programme). */
  cellGap: 4,
  /** A cell's title starts and ends this far inside it. */
  cellTextInset: 24,
  /** Cells narrower than this (about two characters) show no title; their details show when focused. */
  minTitledCellW: 76,
  /** Programmes narrower than this on the strip (under about a minute) are drawn as one block per run. */
  minDrawnCellW: 16,
} as const;
