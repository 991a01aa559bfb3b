/**
 * The overrides screen's pure model: the slots an override may replace on a date (every timetable's slots of
 * that weekday, by time), the override a form describes (ids made from channel, date and time), and the
 * channel's overrides in airing order. Times are local `HH:MM` of the channel's zone, as the API takes them.
 */
import { weekdayOf, type Weekday } from './calendar-model.ts';

export interface SlotLike {
  id: string;
  start: string;
  kind: string;
}

export type Timetables = Record<string, Partial<Record<Weekday, SlotLike[]>>>;

export interface SlotChoice {
  id: string;
  start: string;
  kind: string;
  /** Names of the timetables that have this slot on that weekday. */
  timetables: string[];
}

/** Every slot of `date`'s weekday across the channel's timetables, once per id, by start time. */
export function slotChoices(timetables: Timetables, date: string): SlotChoice[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return [];
  const weekday = weekdayOf(date);
  const byId = new Map<string, SlotChoice>();
  for (const [name, week] of Object.entries(timetables)) {
    for (const slot of week[weekday] ?? []) {
      const known = byId.get(slot.id);
      if (known) known.timetables.push(name);
      else byId.set(slot.id, { id: slot.id, start: slot.start, kind: slot.kind, timetables: [name] });
    }
  }
  return [...byId.values()].sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
}

export type Content = { kind: 'lesson'; lesson: string } | { kind: 'filler'; asset: string };

export interface OverrideForm {
  channel: string;
  date: string;
  action: 'insert' | 'replace';
  /** The slot replaced (replace only). */
  slot?: string;
  start: string;
  content: Content;
  titleZh?: string;
  titleEn?: string;
}

const compact = (s: string) => s.replace(/[^0-9]/g, '');

/** The override id a form makes: `<channel>-<yyyymmdd>-<hhmm>` (one override per channel, date and time). */
export const overrideIdOf = (form: Pick<OverrideForm, 'channel' | 'date' | 'start'>) =>
  `${form.channel}-${compact(form.date)}-${compact(form.start)}`;

/** What is missing before the form can be sent (the API checks the rest and names its problems). */
export function formGaps(form: OverrideForm): Array<'date' | 'start' | 'slot' | 'content'> {
  const gaps: Array<'date' | 'start' | 'slot' | 'content'> = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date)) gaps.push('date');
  if (!/^\d{2}:\d{2}$/.test(form.start)) gaps.push('start');
  if (form.action === 'replace' && !form.slot) gaps.push('slot');
  if ((form.content.kind === 'lesson' ? form.content.lesson : form.content.asset) === '') gaps.push('content');
  return gaps;
}

/** The API body of the form: a fixed programme (a lesson, or a filler asset with an optional title). */
export function overrideBody(form: OverrideForm) {
  const id = overrideIdOf(form);
  const title = form.titleZh?.trim()
    ? { title: { zh: form.titleZh.trim(), ...(form.titleEn?.trim() ? { en: form.titleEn.trim() } : {}) } }
    : {};
  const source = form.content.kind === 'lesson' ? { lesson: form.content.lesson } : { asset: form.content.asset };
  const slot = { id: `${id}-p`, start: form.start, kind: 'programme' as const, ...source, ...title };
  return form.action === 'replace'
    ? { id, channel: form.channel, date: form.date, action: 'replace' as const, slot: form.slot!, with: slot }
    : { id, channel: form.channel, date: form.date, action: 'insert' as const, with: slot };
}

export interface OverrideLike {
  id: string;
  date: string;
  with: { start: string };
}

/** Overrides in airing order: by date, then start time. */
export function byAiring<O extends OverrideLike>(overrides: readonly O[]): O[] {
  return [...overrides].sort(
    (a, b) => a.date.localeCompare(b.date) || a.with.start.localeCompare(b.with.start) || a.id.localeCompare(b.id),
  );
}

/** The calendar date `days` after `date` (both `YYYY-MM-DD`; no time zone involved). */
export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}
