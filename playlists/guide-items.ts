import type { DaySnapshot, ScheduledItem } from './model.ts';

/**
 * Is the published day still being prepared: does it hold slots that air the slate until their lesson's media
 * is packaged (a `lesson-not-packaged` build warning)? Guides list such days under `preparing`.
 */
export function awaitsMedia(day: Pick<DaySnapshot, 'warnings'>): boolean {
  return day.warnings.some((w) => w.code === 'lesson-not-packaged');
}

/**
 * What a guide lists: the build cuts off-air time into slate items no longer than the slate asset (so
 * the stream never rewinds inside an item), but a viewer reading a guide wants one "off air" entry.
 * Consecutive slate items of one broadcast day and one off-air slot (or of the gap fill between slots) merge
 * into one, keeping the first one's id (day boundaries stay visible, as every guide shows them).
 */
export function mergeSlateRuns(items: readonly ScheduledItem[]): ScheduledItem[] {
  const merged: ScheduledItem[] = [];
  // A run is copied once, when its second item arrives, then grown in place (a night is hundreds of slate items).
  let copied: ScheduledItem | undefined;
  for (const item of items) {
    const last = merged[merged.length - 1];
    if (
      last?.kind === 'slate' &&
      item.kind === 'slate' &&
      last.slotId === item.slotId &&
      last.startMs + last.durationMs === item.startMs
    ) {
      if (copied !== last) merged[merged.length - 1] = copied = { ...last };
      copied.durationMs += item.durationMs;
      copied.segmentCount += item.segmentCount;
    } else {
      merged.push(item);
    }
  }
  return merged;
}
