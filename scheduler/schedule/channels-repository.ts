import type { Db } from '../store/db.ts';
import { NotFoundError } from '../errors.ts';
import type { CatalogView, BuildRules } from './build-types.ts';
import type { Channel, ChannelDocument, Override, SchoolCalendar, SuspensionOrder } from './channel-document.ts';
import { validateChannelDocument } from './document-validation.ts';
import { assetExists } from '../packaging/assets-repository.ts';

/**
 * Storage of the channel document: channels (with their timetables), calendars, suspension orders
 * and overrides, one row per entry, upserted by id. Bodies are the validated JSON with defaults applied.
 */

export interface ImportSummary {
  channels: { added: number; updated: number };
  calendars: { added: number; updated: number };
  suspensions: { added: number; updated: number };
  overrides: { added: number; updated: number };
}

export function listChannels(db: Db): Channel[] {
  const rows = db.prepare('SELECT body FROM channels ORDER BY number').all() as { body: string }[];
  return rows.map((r) => JSON.parse(r.body) as Channel);
}

export function findChannel(db: Db, id: string): Channel | undefined {
  const row = db.prepare('SELECT body FROM channels WHERE id = ?').get(id) as { body: string } | undefined;
  return row ? (JSON.parse(row.body) as Channel) : undefined;
}

export function getChannel(db: Db, id: string): Channel {
  const channel = findChannel(db, id);
  if (!channel) throw new NotFoundError(`unknown channel '${id}'`);
  return channel;
}

export function listCalendars(db: Db): SchoolCalendar[] {
  return (db.prepare('SELECT body FROM calendars ORDER BY region').all() as { body: string }[]).map(
    (r) => JSON.parse(r.body) as SchoolCalendar,
  );
}

export function listSuspensions(db: Db): SuspensionOrder[] {
  return (db.prepare('SELECT body FROM suspensions ORDER BY from_date, id').all() as { body: string }[]).map(
    (r) => JSON.parse(r.body) as SuspensionOrder,
  );
}

export function listOverrides(db: Db, channelId?: string): Override[] {
  const rows = (
    channelId === undefined
      ? db.prepare('SELECT body FROM overrides ORDER BY channel, date, id').all()
      : db.prepare('SELECT body FROM overrides WHERE channel = ? ORDER BY date, id').all(channelId)
  ) as { body: string }[];
  return rows.map((r) => JSON.parse(r.body) as Override);
}

/** The rules the build needs for one channel: the channel and the calendars/orders/overrides that may apply to it. */
/** Removes one stored entry of the channel document by its key (the caller checks it may go). */
export function deleteDocumentEntry(
  db: Db,
  kind: 'channel' | 'calendar' | 'suspension' | 'override',
  key: string,
): void {
  const statement = {
    channel: 'DELETE FROM channels WHERE id = ?',
    calendar: 'DELETE FROM calendars WHERE region = ?',
    suspension: 'DELETE FROM suspensions WHERE id = ?',
    override: 'DELETE FROM overrides WHERE id = ?',
  }[kind];
  db.prepare(statement).run(key);
}

export function loadBuildRules(db: Db, channelId: string, catalog: CatalogView): BuildRules {
  const channel = getChannel(db, channelId);
  const regions = new Set(channel.regions);
  return {
    channel,
    calendars: listCalendars(db).filter((c) => regions.has(c.region)),
    suspensions: listSuspensions(db).filter(
      (s) => s.channels.includes(channel.id) || s.regions.some((r) => regions.has(r)),
    ),
    overrides: listOverrides(db, channel.id),
    catalog,
  };
}

/** Writes an already validated document in the caller's transaction. */
function upsertDocument(db: Db, doc: ChannelDocument): ImportSummary {
  const count = () => ({ added: 0, updated: 0 });
  const summary: ImportSummary = { channels: count(), calendars: count(), suspensions: count(), overrides: count() };
  const tally = (bucket: { added: number; updated: number }, existed: boolean) =>
    existed ? bucket.updated++ : bucket.added++;

  const channelExists = db.prepare('SELECT 1 FROM channels WHERE id = ?').pluck();
  // Numbers may move between channels in one document (swap 3 and 4): park the updated ones first.
  const parkNumber = db.prepare('UPDATE channels SET number = -number - 1000000 WHERE id = ?');
  const upsertChannel = db.prepare(
    'INSERT INTO channels (id, number, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET number = excluded.number, body = excluded.body',
  );
  for (const channel of doc.channels) if (channelExists.get(channel.id)) parkNumber.run(channel.id);
  for (const channel of doc.channels) {
    tally(summary.channels, Boolean(channelExists.get(channel.id)));
    upsertChannel.run(channel.id, channel.number, JSON.stringify(channel));
  }

  const calendarExists = db.prepare('SELECT 1 FROM calendars WHERE region = ?').pluck();
  const upsertCalendar = db.prepare(
    'INSERT INTO calendars (region, body) VALUES (?, ?) ON CONFLICT (region) DO UPDATE SET body = excluded.body',
  );
  for (const calendar of doc.calendars) {
    tally(summary.calendars, Boolean(calendarExists.get(calendar.region)));
    upsertCalendar.run(calendar.region, JSON.stringify(calendar));
  }

  const suspensionExists = db.prepare('SELECT 1 FROM suspensions WHERE id = ?').pluck();
  const upsertSuspension = db.prepare(
    `INSERT INTO suspensions (id, from_date, to_date, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET from_date = excluded.from_date, to_date = excluded.to_date, body = excluded.body`,
  );
  for (const order of doc.suspensions) {
    tally(summary.suspensions, Boolean(suspensionExists.get(order.id)));
    upsertSuspension.run(order.id, order.from, order.to, JSON.stringify(order));
  }

  const overrideExists = db.prepare('SELECT 1 FROM overrides WHERE id = ?').pluck();
  const upsertOverride = db.prepare(
    `INSERT INTO overrides (id, channel, date, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET channel = excluded.channel, date = excluded.date, body = excluded.body`,
  );
  for (const override of doc.overrides) {
    tally(summary.overrides, Boolean(overrideExists.get(override.id)));
    upsertOverride.run(override.id, override.channel, override.date, JSON.stringify(override));
  }
  return summary;
}

/**
 * Validates `input` (parsed JSON) against the schema, the stored channels and itself, then upserts
 * every entry in one transaction. A bad document throws InputError and changes nothing.
 * Entries not named by the document are kept.
 */
export function importChannelDocument(
  db: Db,
  input: unknown,
  source?: string,
): { document: ChannelDocument; summary: ImportSummary } {
  return db
    .transaction(() => {
      const existing = { channels: listChannels(db), assetExists: (id: string) => assetExists(db, id) };
      const document = validateChannelDocument(input, existing, source);
      return { document, summary: upsertDocument(db, document) };
    })
    .immediate();
}
