import type { DaySnapshot } from '../../playlists/model.ts';

/**
 * A published day's JSON parsed in slices: a dense demo day is ~2 MB, and one `JSON.parse` of it holds the event
 * loop for tens of milliseconds. Its `items` array is cut at top-level commas into slices of about SLICE_CHARS
 * and each slice parsed as an array of its own, one slice per step; the rest of the day (everything but the items)
 * is parsed last. The result equals `JSON.parse(body)`. Pure.
 */

/** Characters of item JSON parsed in one step (about 70 items; well under 1 ms on an idle core). */
export const SLICE_CHARS = 32 * 1024;
const ITEMS_KEY = '"items":[';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * From `from` (just inside the array, or just after a top-level comma) to the first top-level comma at or after
 * `from + atLeast`, or to the array's closing bracket: the end index and whether the array closed there.
 */
function cut(text: string, from: number, atLeast: number): { end: number; closed: boolean } {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0) return { end: i, closed: true };
      depth--;
    } else if (c === COMMA && depth === 0 && i >= from + atLeast) return { end: i, closed: false };
  }
  throw new SyntaxError('day JSON: the items array does not close');
}

/** Parses a day's JSON one slice per `step` (e.g. a paced unit of work); resolves with the whole day. */
export async function parseDayInSlices(
  body: string,
  step: <T>(work: () => T) => Promise<T>,
  sliceChars = SLICE_CHARS,
): Promise<DaySnapshot> {
  const open = body.indexOf(ITEMS_KEY);
  if (open < 0 || body.length <= sliceChars) return step(() => JSON.parse(body) as DaySnapshot);
  const items: DaySnapshot['items'] = [];
  let from = open + ITEMS_KEY.length;
  for (;;) {
    const { end, closed } = await step(() => {
      const slice = cut(body, from, sliceChars);
      if (slice.end > from) for (const item of JSON.parse(`[${body.slice(from, slice.end)}]`)) items.push(item);
      return slice;
    });
    if (closed) {
      return step(() => {
        const day = JSON.parse(`${body.slice(0, open + ITEMS_KEY.length)}${body.slice(end)}`) as DaySnapshot;
        if (!Array.isArray(day.items) || day.items.length !== 0) throw new SyntaxError('day JSON: items out of place');
        day.items = items;
        return day;
      });
    }
    from = end + 1;
  }
}
