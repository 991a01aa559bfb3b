import { z } from 'zod';
import type { DaySnapshot, Instant, ScheduledItem } from '../../playlists/model.ts';
import { NotFoundError } from '../errors.ts';
import { addDays, broadcastDateAt } from '../schedule/broadcast-date.ts';
import type { Override, Weekday } from '../schedule/channel-document.ts';
import { findChannel, listCalendars, listOverrides, listSuspensions } from '../schedule/channels-repository.ts';
import { latestSnapshot } from '../schedule/snapshots-repository.ts';
import { chooseTimetable } from '../schedule/timetable-selection.ts';
import type { Db } from '../store/db.ts';
import { parseQuery } from './validation.ts';

/**
 * "Why is this airing": for the programme a channel airs at an instant (its latest published version), what
 * produced it. A published item keeps the id of the slot that produced it; an override's slot is the override's
 * `with` slot, so the slot id names the override when one of the day's overrides carries it, else the slot of the
 * day's weekly template (the template the build used is in the published day). Items without a slot filled a gap.
 * Editors only (`/api/admin/guide/why`): the public guide JSON stays free of timetable internals.
 */

export const airingWhyQuerySchema = z.strictObject({
  channel: z.string().min(1),
  at: z.coerce.number().int().min(0),
});

export type WhySource = 'slot' | 'override' | 'gap';

export interface AiringWhy {
  channelId: string;
  /** Broadcast day of the published version, and that version. */
  date: string;
  version: number;
  itemId: string;
  kind: ScheduledItem['kind'];
  startMs: Instant;
  endMs: Instant;
  source: WhySource;
  /** Template the build used (term, holiday, suspension…). */
  template: string;
  /** Weekday whose slots the day took (a make-up workday follows another weekday). */
  weekday: Weekday;
  slotId?: string;
  overrideId?: string;
  overrideAction?: Override['action'];
  /** For a replace override: the template slot it replaced. */
  replacedSlotId?: string;
  /** Set when a class-suspension order chose the template. */
  suspensionOrderId?: string;
}

/** The item airing at `atMs` in a published day, or undefined. */
export function itemAt(snapshot: DaySnapshot, atMs: Instant): ScheduledItem | undefined {
  return snapshot.items.find((item) => item.startMs <= atMs && atMs < item.startMs + item.durationMs);
}

/** What produced an item: the override carrying its slot id, else the template slot, else a gap fill. */
export function whySource(
  item: Pick<ScheduledItem, 'slotId'>,
  dayOverrides: readonly Override[],
): Pick<AiringWhy, 'source' | 'slotId' | 'overrideId' | 'overrideAction' | 'replacedSlotId'> {
  if (item.slotId === undefined) return { source: 'gap' };
  const override = dayOverrides.find((o) => o.with.id === item.slotId);
  if (!override) return { source: 'slot', slotId: item.slotId };
  return {
    source: 'override',
    slotId: item.slotId,
    overrideId: override.id,
    overrideAction: override.action,
    ...(override.action === 'replace' && { replacedSlotId: override.slot }),
  };
}

export function airingWhy(db: Db, query: unknown): AiringWhy {
  const q = parseQuery(airingWhyQuerySchema, query);
  const channel = findChannel(db, q.channel);
  if (!channel) throw new NotFoundError(`unknown channel '${q.channel}'`);
  const date = broadcastDateAt(q.at, channel.timezone, channel.dayStart);
  // An overrun can push the previous day's last item past the nominal day start.
  for (const day of [date, addDays(date, -1)]) {
    const snapshot = latestSnapshot(db, channel.id, day);
    const item = snapshot && itemAt(snapshot, q.at);
    if (!snapshot || !item) continue;
    const choice = chooseTimetable(
      { channel, calendars: listCalendars(db), suspensions: listSuspensions(db) },
      snapshot.date,
    );
    const dayOverrides = listOverrides(db, channel.id).filter((o) => o.date === snapshot.date);
    return {
      channelId: channel.id,
      date: snapshot.date,
      version: snapshot.version,
      itemId: item.id,
      kind: item.kind,
      startMs: item.startMs,
      endMs: item.startMs + item.durationMs,
      ...whySource(item, dayOverrides),
      template: snapshot.timetable,
      weekday: choice.weekday,
      ...(snapshot.notice && { suspensionOrderId: snapshot.notice.orderId }),
    };
  }
  throw new NotFoundError(`channel '${channel.id}' has no published programme at ${new Date(q.at).toISOString()}`);
}
