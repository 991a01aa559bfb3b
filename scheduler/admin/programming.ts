import { ConflictError, InputError, NotFoundError, type Problem } from '../errors.ts';
import {
  WEEKDAYS,
  type Channel,
  type Override,
  type SchoolCalendar,
  type WeeklyTimetable,
} from '../schedule/channel-document.ts';
import {
  deleteDocumentEntry,
  findChannel,
  importChannelDocument,
  listCalendars,
  listOverrides,
  listSuspensions,
} from '../schedule/channels-repository.ts';
import { publishedVersionCount } from '../schedule/snapshots-repository.ts';
import type { Db } from '../store/db.ts';

/**
 * Programming through the admin API: channels (with their timetables as a sub-resource), calendars and
 * overrides. Every write goes through the channel-document validation and import (the same rules as
 * `aerial channels import`), so the API cannot store what the CLI would reject. Problems are reported
 * relative to the request body (`timezone`, not `channels[0].timezone`).
 */

export const BODY_LABEL = 'request body';

/** Runs a document import of one entry and rewrites problem fields from document paths to body paths. */
export function importOneEntry(
  db: Db,
  document: Record<string, unknown[]>,
  documentPrefix: string,
  bodyPrefix = '',
): void {
  try {
    importChannelDocument(db, document, BODY_LABEL);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const problems: Problem[] = error.problems.map((p) => {
      if (p.field === undefined) return p;
      let field = p.field;
      if (field === documentPrefix) field = bodyPrefix || '(body)';
      else if (field.startsWith(`${documentPrefix}.`)) field = bodyPrefix + field.slice(documentPrefix.length + 1);
      else if (field.startsWith(`${documentPrefix}[`)) field = bodyPrefix + field.slice(documentPrefix.length);
      return { ...p, field };
    });
    throw new InputError(error.message.split('\n')[0]!, problems);
  }
}

function asObject(body: unknown, what: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError(`${BODY_LABEL}: expected a JSON object (${what})`, [
      { field: '(body)', reason: `expected a JSON object (${what})` },
    ]);
  }
  return body as Record<string, unknown>;
}

/** The path names the resource; a body that names another one is a mistake, not a rename. */
function sameKey(body: Record<string, unknown>, key: string, expected: string): void {
  if (body[key] !== undefined && body[key] !== expected) {
    throw new InputError(`${BODY_LABEL}: ${key} does not match the URL`, [
      { field: key, reason: `'${String(body[key])}' differs from '${expected}' in the URL` },
    ]);
  }
}

export function putChannel(db: Db, id: string, body: unknown): { channel: Channel; created: boolean } {
  const input = asObject(body, 'a channel');
  sameKey(input, 'id', id);
  const created = !findChannel(db, id);
  importOneEntry(db, { channels: [{ ...input, id }] }, 'channels[0]');
  return { channel: findChannel(db, id)!, created };
}

/** Deletes a channel that has never been published (published days are immutable history). */
export function deleteChannel(db: Db, id: string): Channel {
  const channel = findChannel(db, id);
  if (!channel) throw new NotFoundError(`unknown channel '${id}'`);
  const published = publishedVersionCount(db, id);
  if (published > 0)
    throw new ConflictError(
      `channel '${id}' has ${published} published day version(s); published history is immutable, so it cannot be deleted`,
    );
  const orders = listSuspensions(db)
    .filter((s) => s.channels.includes(id))
    .map((s) => s.id);
  if (orders.length)
    throw new ConflictError(
      `channel '${id}' is named by suspension order(s) ${orders.join(', ')}; lift or edit them first`,
    );
  deleteDocumentEntry(db, 'channel', id);
  return channel;
}

export function getTimetable(db: Db, channelId: string, name: string): WeeklyTimetable {
  const channel = findChannel(db, channelId);
  if (!channel) throw new NotFoundError(`unknown channel '${channelId}'`);
  const timetable = channel.timetables[name];
  if (!timetable) throw new NotFoundError(`channel '${channelId}' has no timetable '${name}'`);
  return timetable;
}

const TIMETABLE_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

export function putTimetable(
  db: Db,
  channelId: string,
  name: string,
  body: unknown,
): { timetable: WeeklyTimetable; created: boolean } {
  const channel = findChannel(db, channelId);
  if (!channel) throw new NotFoundError(`unknown channel '${channelId}'`);
  if (!TIMETABLE_NAME.test(name))
    throw new InputError(`bad timetable name '${name}'`, [
      { field: 'name', reason: 'lowercase letters, digits and dashes, at most 32' },
    ]);
  const input = asObject(body, 'a weekly timetable: weekday → slots');
  const notWeekdays = Object.keys(input).filter((key) => !(WEEKDAYS as readonly string[]).includes(key));
  if (notWeekdays.length)
    throw new InputError(
      `${BODY_LABEL}: unknown weekday(s)`,
      notWeekdays.map((key) => ({ field: key, reason: `not a weekday (${WEEKDAYS.join(', ')})` })),
    );
  const created = !channel.timetables[name];
  importOneEntry(
    db,
    { channels: [{ ...channel, timetables: { ...channel.timetables, [name]: input } }] },
    `channels[0].timetables.${name}`,
  );
  return { timetable: getTimetable(db, channelId, name), created };
}

export function deleteTimetable(db: Db, channelId: string, name: string): void {
  const channel = findChannel(db, channelId);
  getTimetable(db, channelId, name);
  const { [name]: _removed, ...rest } = channel!.timetables;
  importOneEntry(db, { channels: [{ ...channel!, timetables: rest }] }, 'channels[0].timetables', 'name');
}

export function findCalendar(db: Db, region: string): SchoolCalendar | undefined {
  return listCalendars(db).find((c) => c.region === region);
}

export function putCalendar(db: Db, region: string, body: unknown): { calendar: SchoolCalendar; created: boolean } {
  const input = asObject(body, 'a school calendar');
  sameKey(input, 'region', region);
  const created = !findCalendar(db, region);
  importOneEntry(db, { calendars: [{ ...input, region }] }, 'calendars[0]');
  return { calendar: findCalendar(db, region)!, created };
}

export function deleteCalendar(db: Db, region: string): SchoolCalendar {
  const calendar = findCalendar(db, region);
  if (!calendar) throw new NotFoundError(`no calendar for region '${region}'`);
  deleteDocumentEntry(db, 'calendar', region);
  return calendar;
}

export function findOverride(db: Db, id: string): Override | undefined {
  return listOverrides(db).find((o) => o.id === id);
}

/** Creates (POST: the id must be new) or replaces (PUT) an override. */
export function saveOverride(
  db: Db,
  body: unknown,
  mode: { create: true } | { create: false; id: string },
): { override: Override; created: boolean } {
  const input = asObject(body, 'an override');
  if (!mode.create) sameKey(input, 'id', mode.id);
  const id = mode.create ? input.id : mode.id;
  if (mode.create && typeof id === 'string' && findOverride(db, id)) {
    throw new ConflictError(`override '${id}' already exists; PUT /api/admin/overrides/${id} replaces it`);
  }
  const created = typeof id === 'string' ? !findOverride(db, id) : true;
  importOneEntry(db, { overrides: [{ ...input, id }] }, 'overrides[0]');
  return { override: findOverride(db, id as string)!, created };
}

export function deleteOverride(db: Db, id: string): Override {
  const override = findOverride(db, id);
  if (!override) throw new NotFoundError(`unknown override '${id}'`);
  deleteDocumentEntry(db, 'override', id);
  return override;
}
