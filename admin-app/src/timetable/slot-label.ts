/**
 * What a slot of the week grid airs, in words, as a broadcaster reads a timetable: "首播：数学",
 * "填充：眼保健操", "重播：数学（前一天上午第2节）", "停播 · 午间休息". Names come from the catalog (subjects, fillers,
 * off-air cards); an id the catalog does not know (yet) is shown as it is. A rerun is named by the first run it
 * repeats (its subject and period: the n-th first run of the morning, afternoon or evening of its day), found in
 * the grid on the weekday `daysAgo` days earlier, as the build finds it. Pure: the strings come through `t`.
 */
import { sortDay, toMinutes, WEEKDAYS, type Slot, type WeekGrid, type Weekday } from './week-grid-model.ts';

export type Title = { zh: string; en?: string };

/** Titles by id, from the catalog. */
export interface SlotNames {
  subjects: ReadonlyMap<string, Title>;
  fillers: ReadonlyMap<string, Title>;
  cards: ReadonlyMap<string, Title>;
}

export const NO_NAMES: SlotNames = { subjects: new Map(), fillers: new Map(), cards: new Map() };

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Where a slot is: the grid it is in (its rerun's first run is looked up there), its day and the day's start. */
export interface SlotPlace {
  grid: WeekGrid;
  day: Weekday;
  dayStart: string;
}

export function slotLabel(slot: Slot, names: SlotNames, t: Translate, language: string, place?: SlotPlace): string {
  const text = (title: Title | undefined) => title && (language === 'en' && title.en ? title.en : title.zh);
  const named = (map: ReadonlyMap<string, Title>, id: string | undefined) => (id && text(map.get(id))) || id;
  switch (slot.kind) {
    case 'lesson':
      return t('timetable.label.lesson', { subject: named(names.subjects, slot.subject) || '?' });
    case 'rerun': {
      const days = Math.max(0, slot.daysAgo ?? 0);
      const source = place && slot.of ? firstRun(place, slot.of, days) : undefined;
      const subject = source && named(names.subjects, source.slot.subject);
      if (!source || !subject)
        return t(`timetable.label.rerunSlot${dayKey(days)}`, { of: slot.of || '?', count: days });
      const period = t(`timetable.label.period.${source.part}`, { n: source.n });
      if (days === 0) return t('timetable.label.rerun', { subject, when: period });
      const when = t('timetable.label.dayAndPeriod', {
        day: t(`timetable.label.day${dayKey(days)}`, { count: days }),
        period,
      });
      return t('timetable.label.rerun', { subject, when });
    }
    case 'rerun-loop': {
      const days = Math.max(0, slot.daysAgo ?? 0);
      return t(`timetable.label.rerunLoop${dayKey(days)}`, { count: days });
    }
    case 'filler':
      return t('timetable.label.filler', { asset: named(names.fillers, slot.asset) || '?' });
    case 'programme':
      return t('timetable.label.programme', { what: text(slot.title) || slot.lesson || slot.asset || '?' });
    default: {
      // As viewers see it: the guide lists the slot's title, else its card's; the picture is the card.
      const card = named(names.cards, slot.card);
      const title = text(slot.title) || card;
      if (!title) return t('timetable.label.offAir');
      if (card && card !== title) return t('timetable.label.offAirCard', { title, card });
      return t('timetable.label.offAirTitled', { title });
    }
  }
}

/** Locale key suffix for "that many days earlier": the same day, the day before, or n days before. */
const dayKey = (days: number) => (days === 0 ? 'Same' : days === 1 ? 'Before' : 'Earlier');

type DayPart = 'morning' | 'afternoon' | 'evening';

/** Morning until 12:00, afternoon until 18:00, then evening (the small hours before `dayStart` are the night's). */
function dayPart(start: string, dayStart: string): DayPart {
  const minutes = toMinutes(start);
  if (minutes < toMinutes(dayStart)) return 'evening';
  return minutes < 12 * 60 ? 'morning' : minutes < 18 * 60 ? 'afternoon' : 'evening';
}

/**
 * The first-run slot `of` that a rerun repeats, on the weekday `days` earlier (the build takes that date's first
 * runs; the grid is the same template), with its period: the n-th first run of its part of the day.
 */
function firstRun(place: SlotPlace, of: string, days: number): { slot: Slot; part: DayPart; n: number } | undefined {
  const index = (WEEKDAYS.indexOf(place.day) - (days % 7) + 7) % 7;
  const slots = sortedDay(place.grid[WEEKDAYS[index]!], place.dayStart);
  const source = slots.find((s) => s.id === of);
  if (!source || source.kind !== 'lesson') return undefined;
  const part = dayPart(source.start, place.dayStart);
  const sameRuns = slots.filter((s) => s.kind === 'lesson' && dayPart(s.start, place.dayStart) === part);
  return { slot: source, part, n: sameRuns.indexOf(source) + 1 };
}

/**
 * A day's slots in broadcast-day order (sortDay), sorted once per day and `dayStart`: every rerun of the grid looks
 * its first run up in them. The grid is immutable state (an edit makes a new day array), so a day array is its key.
 */
const sortedDays = new WeakMap<readonly Slot[], { dayStart: string; slots: readonly Slot[] }>();
function sortedDay(slots: readonly Slot[], dayStart: string): readonly Slot[] {
  const kept = sortedDays.get(slots);
  if (kept?.dayStart === dayStart) return kept.slots;
  const sorted = sortDay(slots, dayStart);
  sortedDays.set(slots, { dayStart, slots: sorted });
  return sorted;
}
