/**
 * Where the on-demand page draws its rails (pages/OnDemand.js). Text rails (grades, subjects, units, and
 * lessons without posters) are short; a rail holding poster tiles is taller (a 16:9 picture with the title
 * below). When the rails do not all fit above the lesson details, the column scrolls just enough to show the
 * focused rail whole; rails that would be cut at the top or bottom are not drawn.
 */

export const RAILS = {
  /** Top of the first rail (below the navigation bar). */
  top: 140,
  /** Rails end above the lesson details panel. */
  bottom: 878,
  /** The rail's title line. */
  titleH: 42,
  tileW: 262,
  tileGap: 20,
  /** A text tile, and the space below a text rail. */
  textTileH: 96,
  textGap: 12,
  /** A poster tile: the picture (16:9 at tile width) and the title lines under it. */
  posterH: 147,
  posterCaptionH: 62,
  posterGap: 15,
} as const;

/** Height a rail's content takes (title and tiles), without the space after it. */
export function railContentHeight(hasPosters: boolean): number {
  return RAILS.titleH + (hasPosters ? RAILS.posterH + RAILS.posterCaptionH : RAILS.textTileH);
}

function railSlot(hasPosters: boolean): number {
  return railContentHeight(hasPosters) + (hasPosters ? RAILS.posterGap : RAILS.textGap);
}

export interface RailPlacement {
  y: number;
  /** False when the rail would be cut by the top of the column or run into the details panel. */
  shown: boolean;
}

/**
 * Positions of rails (top to bottom, `posters[i]` whether rail i has poster tiles) with rail `focus` in view:
 * the column moves up by as much as the focused rail overflows the bottom, never more.
 */
export function placeRails(posters: readonly boolean[], focus: number): RailPlacement[] {
  const tops: number[] = [];
  let y = RAILS.top;
  for (const hasPosters of posters) {
    tops.push(y);
    y += railSlot(hasPosters);
  }
  const focused = Math.min(Math.max(focus, 0), posters.length - 1);
  const overflow = focused < 0 ? 0 : tops[focused]! + railContentHeight(posters[focused]!) - RAILS.bottom;
  const shift = Math.max(0, overflow);
  return posters.map((hasPosters, i) => {
    const top = tops[i]! - shift;
    return { y: top, shown: top >= RAILS.top && top + railContentHeight(hasPosters) <= RAILS.bottom };
  });
}
