import type { BuildWarning, Instant, Notice } from '../../playlists/model.ts';
import type { BuildRules } from './build-types.ts';
import type { Channel, SchoolCalendar, Slot, SuspensionOrder, Weekday } from './channel-document.ts';
import { dateInRange, weekdayOf } from './broadcast-date.ts';
import type { BroadcastDay } from './broadcast-day.ts';

/**
 * Which weekly timetable and which weekday's slots a channel airs on a date, with the day's overrides
 * applied. Order of precedence: a class-suspension order → `suspension`; else the region's school
 * calendar (holiday range → `holiday`, inside a term → `term`, outside every term → `holiday`);
 * no calendar for the channel's regions → `term`. A make-up workday (调休) takes the named weekday's slots.
 */

export interface TimetableChoice {
  name: string;
  weekday: Weekday;
  notice?: Notice;
}

/** A slot of the day with the instant the timetable wants it to start. */
export interface DaySlot {
  slot: Slot;
  targetMs: Instant;
}

export interface DayPlan extends TimetableChoice {
  /** Ordered by target instant (stable for equal instants: timetable order, then inserts). */
  slots: DaySlot[];
  warnings: BuildWarning[];
}

function orderApplies(order: SuspensionOrder, channel: Channel, date: string): boolean {
  if (!dateInRange(date, order.from, order.to)) return false;
  return order.channels.includes(channel.id) || order.regions.some((r) => channel.regions.includes(r));
}

/** The calendar of the channel's first region that has one. */
function calendarFor(channel: Channel, calendars: readonly SchoolCalendar[]): SchoolCalendar | undefined {
  for (const region of channel.regions) {
    const found = calendars.find((c) => c.region === region);
    if (found) return found;
  }
  return undefined;
}

export function chooseTimetable(
  rules: Pick<BuildRules, 'channel' | 'calendars' | 'suspensions'>,
  date: string,
): TimetableChoice {
  const { channel } = rules;
  const calendar = calendarFor(channel, rules.calendars);
  const makeUp = calendar?.makeUpDays.find((d) => d.date === date);
  const weekday = makeUp ? makeUp.follows : weekdayOf(date);

  // Several orders may cover the day; the first in the document wins, so the choice is deterministic.
  const order = rules.suspensions.find((o) => orderApplies(o, channel, date));
  if (order) return { name: 'suspension', weekday, notice: { orderId: order.id, text: order.notice } };

  if (!calendar) return { name: 'term', weekday };
  if (calendar.holidays.some((h) => dateInRange(date, h.start, h.end))) return { name: 'holiday', weekday };
  if (calendar.terms.some((t) => dateInRange(date, t.start, t.end))) return { name: 'term', weekday };
  return { name: 'holiday', weekday };
}

/** The day's slots: the chosen timetable's weekday, with the channel's overrides for the date applied. */
export function planDay(rules: BuildRules, day: BroadcastDay): DayPlan {
  const choice = chooseTimetable(rules, day.date);
  const warnings: BuildWarning[] = [];
  // A timetable or weekday the channel does not define is off-air (slate) all day.
  const slots: Slot[] = [...(rules.channel.timetables[choice.name]?.[choice.weekday] ?? [])];

  for (const override of rules.overrides) {
    if (override.channel !== rules.channel.id || override.date !== day.date) continue;
    if (override.action === 'insert') {
      slots.push(override.with);
      continue;
    }
    const index = slots.findIndex((s) => s.id === override.slot);
    if (index < 0) {
      warnings.push({
        code: 'slot-skipped',
        slotId: override.slot,
        message: `override ${override.id}: the ${choice.name} timetable has no slot ${override.slot} on ${choice.weekday}; nothing replaced`,
      });
      continue;
    }
    slots[index] = override.with;
  }

  const placed = slots.map((slot, order) => ({ slot, targetMs: day.slotInstant(slot.start), order }));
  placed.sort((a, b) => a.targetMs - b.targetMs || a.order - b.order);
  return { ...choice, slots: placed.map(({ slot, targetMs }) => ({ slot, targetMs })), warnings };
}
