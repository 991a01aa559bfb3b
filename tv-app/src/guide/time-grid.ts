/**
 * The guide grid's geometry: time ↔ pixels, which programmes and rows are visible, and how focus moves
 * programme by programme. Pure (no DOM, no clock reads): the Guide page passes "now" in, and the unit
 * tests pin every rule down.
 */
import { partitionPoint } from '../../../playlists/binary-search.ts';

const MINUTE_MS = 60_000;
const HALF_HOUR_MS = 30 * MINUTE_MS;

/** What a cell needs from a programme; the guide JSON's GuideProgramme has these fields. */
export interface TimedProgramme {
  id: string;
  startMs: number;
  endMs: number;
}

export interface GridScale {
  /** Instant at the left edge of the programme area. */
  windowStartMs: number;
  /** Width of the programme area in pixels. */
  widthPx: number;
  pxPerMinute: number;
}

export function windowEndMs(scale: GridScale): number {
  return scale.windowStartMs + Math.round((scale.widthPx / scale.pxPerMinute) * MINUTE_MS);
}

/** Start of the half hour containing `ms` (UTC half hours coincide with local ones in whole- and half-hour zones). */
export function floorToHalfHour(ms: number): number {
  return Math.floor(ms / HALF_HOUR_MS) * HALF_HOUR_MS;
}

/** Instants of the 30-minute markers inside the window, including one on its left edge. */
export function halfHourMarkers(scale: GridScale): number[] {
  const end = windowEndMs(scale);
  const markers: number[] = [];
  for (let t = Math.ceil(scale.windowStartMs / HALF_HOUR_MS) * HALF_HOUR_MS; t < end; t += HALF_HOUR_MS)
    markers.push(t);
  return markers;
}

/**
 * The guide draws its programmes on a time strip that scrolls under a fixed, clipped viewport. A cell's x and
 * width are measured from a fixed origin and never clipped, so while a programme stays on screen its node is
 * untouched: scrolling moves one container, and no title is re-rasterised (text is the costly part of a frame
 * on a set-top box GPU).
 */
export interface TimeStrip {
  /** Instant at strip x = 0: the earliest the guide can show, fixed while the guide is open. */
  originMs: number;
  pxPerMinute: number;
}

/** Strip x of an instant, whole pixels (adjacent cells share their rounded edge, so they tile exactly). */
export function stripX(ms: number, strip: TimeStrip): number {
  return Math.round(((ms - strip.originMs) / MINUTE_MS) * strip.pxPerMinute);
}

export interface StripCell<P extends TimedProgramme> {
  programme: P;
  /** Index of the programme in its row's (sorted) list. */
  index: number;
  /** Strip x of the programme's start, and its full width (not clipped to the window). */
  x: number;
  w: number;
}

/** First index whose programme ends after `ms` (binary search over a row sorted by start, gap-free or not). */
export function firstEndingAfter(programmes: readonly TimedProgramme[], ms: number): number {
  return partitionPoint(0, programmes.length, (i) => programmes[i]!.endMs > ms);
}

/** The programmes of one row that overlap the window, placed on the strip. O(log n + visible). */
export function stripCells<P extends TimedProgramme>(
  programmes: readonly P[],
  scale: GridScale,
  strip: TimeStrip,
): StripCell<P>[] {
  const end = windowEndMs(scale);
  const cells: StripCell<P>[] = [];
  for (let i = firstEndingAfter(programmes, scale.windowStartMs); i < programmes.length; i++) {
    const programme = programmes[i]!;
    if (programme.startMs >= end) break;
    const x = stripX(programme.startMs, strip);
    const w = stripX(programme.endMs, strip) - x;
    if (w <= 0) continue;
    cells.push({ programme, index: i, x, w });
  }
  return cells;
}

export interface GroupedCell<P extends TimedProgramme> extends StripCell<P> {
  /** Programmes the cell stands for: 1, or a run of neighbours too narrow to draw apart (from `index` on). */
  count: number;
}

/**
 * Cells narrower than `minWidthPx` (a carousel of short clips is a few pixels a programme) drawn as one block
 * per run of back-to-back neighbours in the same airing state, so a row of hundreds of slivers costs a few
 * nodes; the cell at `keepIndex` (the focus) always stands alone, so the focus still moves programme by programme.
 */
export function groupNarrowCells<P extends TimedProgramme>(
  cells: readonly StripCell<P>[],
  minWidthPx: number,
  keepIndex: number,
  stateOf: (programme: P) => string,
): GroupedCell<P>[] {
  const grouped: GroupedCell<P>[] = [];
  let runState = '';
  for (const cell of cells) {
    const narrow = cell.w < minWidthPx && cell.index !== keepIndex;
    const state = narrow ? stateOf(cell.programme) : '';
    const last = grouped.at(-1);
    if (narrow && last && runState === state && last.index + last.count === cell.index && last.x + last.w === cell.x) {
      last.w += cell.w;
      last.count++;
      continue;
    }
    grouped.push({ ...cell, count: 1 });
    runState = narrow ? state : '';
  }
  return grouped;
}

/** Index of the programme airing at `ms`, else the next one after it, else the last one (−1 for an empty row). */
export function programmeIndexAt(programmes: readonly TimedProgramme[], ms: number): number {
  if (programmes.length === 0) return -1;
  return Math.min(firstEndingAfter(programmes, ms), programmes.length - 1);
}

/**
 * First visible row after moving focus to `focusRow`: the window of `visibleRows` rows scrolls only as far
 * as needed to keep the focused row inside it, and never past the ends.
 */
export function firstVisibleRow(focusRow: number, currentFirst: number, visibleRows: number, rowCount: number): number {
  const maxFirst = Math.max(0, rowCount - visibleRows);
  let first = currentFirst;
  if (focusRow < first) first = focusRow;
  if (focusRow >= first + visibleRows) first = focusRow - visibleRows + 1;
  return Math.min(Math.max(0, first), maxFirst);
}

/**
 * Window start after focusing a programme: unchanged while the programme's start is inside the window;
 * otherwise the half hour containing its start (clamped to `earliestMs`), so reading a long programme
 * does not make the grid jump further than needed.
 */
export function windowStartFor(
  programme: TimedProgramme,
  scale: GridScale,
  earliestMs: number,
  latestStartMs: number,
): number {
  const end = windowEndMs(scale);
  const visibleEnough = programme.startMs >= scale.windowStartMs && programme.startMs < end - HALF_HOUR_MS / 2;
  const overlapsLeftEdge = programme.startMs < scale.windowStartMs && programme.endMs > scale.windowStartMs;
  if (visibleEnough || overlapsLeftEdge) return scale.windowStartMs;
  const start = floorToHalfHour(programme.startMs);
  return Math.min(Math.max(start, floorToHalfHour(earliestMs)), latestStartMs);
}

/**
 * The programme in another row to focus when moving Up/Down: the one airing at the focus time
 * (the start of the previously focused programme, or the window start if that is later), as EPGs do.
 */
export function focusTimeFor(programme: TimedProgramme | undefined, scale: GridScale): number {
  if (!programme) return scale.windowStartMs;
  return Math.max(programme.startMs, scale.windowStartMs);
}

export type AiringState = 'past' | 'airing' | 'future';

export function airingState(programme: TimedProgramme, nowMs: number): AiringState {
  if (programme.endMs <= nowMs) return 'past';
  if (programme.startMs <= nowMs) return 'airing';
  return 'future';
}

/** 0..1 of a programme elapsed at `nowMs`. */
export function progressAt(programme: TimedProgramme, nowMs: number): number {
  const length = programme.endMs - programme.startMs;
  if (length <= 0) return 0;
  return Math.min(1, Math.max(0, (nowMs - programme.startMs) / length));
}

/** The slice of a list that a rail shows: `visible` items keeping `focus` inside, scrolled as little as possible. */
export function railWindow(
  focus: number,
  currentFirst: number,
  visible: number,
  count: number,
): { first: number; last: number } {
  const first = firstVisibleRow(focus, currentFirst, visible, count);
  return { first, last: Math.min(count, first + visible) };
}

/**
 * Consecutive slate items of one title (the build cuts gap fill into asset-length pieces) shown as one "break"
 * cell, as viewers expect; real programmes are never merged, nor off-air stretches the broadcaster titled apart
 * (今日节目已结束 until the day boundary, then 07:55 开播). Keeps the first piece's id (its catch-up link).
 */
export function mergeSlateRuns<
  P extends TimedProgramme & { kind: string; end?: string; title?: { zh: string; en?: string } },
>(programmes: readonly P[]): P[] {
  const merged: P[] = [];
  for (const programme of programmes) {
    const last = merged.at(-1);
    if (
      last &&
      last.kind === 'slate' &&
      programme.kind === 'slate' &&
      last.endMs === programme.startMs &&
      last.title?.zh === programme.title?.zh &&
      last.title?.en === programme.title?.en
    ) {
      merged[merged.length - 1] = {
        ...last,
        endMs: programme.endMs,
        ...(programme.end !== undefined ? { end: programme.end } : {}),
      };
    } else {
      merged.push(programme);
    }
  }
  return merged;
}
