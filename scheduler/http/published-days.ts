import type { Db } from '../store/db.ts';
import type { DaySnapshot } from '../../playlists/model.ts';
import type { Channel } from '../schedule/channel-document.ts';

/**
 * What the origin reads from the schedule store (tables of migration 002), shaped for the hot path:
 * every playlist request asks which day versions are current around "now" (a keys-only index query,
 * microseconds), and only when that set changes — about twice a day per channel, or on a republish —
 * are the snapshot bodies parsed and the channel timeline rebuilt.
 */
export interface DayVersionKey {
  date: string;
  version: number;
  startMs: number;
  endMs: number;
}

export interface PublishedDays {
  /** Is the channel configured? (An indexed lookup; the hot path never parses the channel body.) */
  hasChannel(channelId: string): boolean;
  channel(channelId: string): Channel | undefined;
  channelIds(): string[];
  /** Latest published version of every broadcast day of the channel that overlaps [fromMs, toMs), by start. */
  dayVersionsOverlapping(channelId: string, fromMs: number, toMs: number): DayVersionKey[];
  snapshot(channelId: string, key: Pick<DayVersionKey, 'date' | 'version'>): DaySnapshot;
}

export function createPublishedDays(db: Db): PublishedDays {
  const channelStatement = db.prepare<[string], { body: string }>('SELECT body FROM channels WHERE id = ?');
  const hasChannelStatement = db.prepare<[string], { found: number }>('SELECT 1 AS found FROM channels WHERE id = ?');
  const channelIdsStatement = db.prepare<[], { id: string }>('SELECT id FROM channels ORDER BY number');
  // Versions that overlap and are the latest of their date (a republish may move a day's end). Both
  // lookups stay inside indexes that carry no body (migration 002): the time index finds the days
  // overlapping [from, to), and the (channel, date, version) key gives each date's latest version in
  // one seek. Reading a row would pull in its (large) JSON body; that once made this per-request
  // query ~0.5 ms with realistic days.
  const overlappingStatement = db.prepare<[string, number, number], DayVersionKey>(
    `SELECT d.date AS date, d.version AS version, d.start_ms AS startMs, d.end_ms AS endMs
       FROM day_snapshots d INDEXED BY day_snapshots_channel_time
      WHERE d.channel_id = ? AND d.start_ms < ? AND d.end_ms > ?
        AND d.version = (SELECT MAX(l.version) FROM day_snapshots l INDEXED BY day_snapshots_key
                          WHERE l.channel_id = d.channel_id AND l.date = d.date)
      ORDER BY d.start_ms`,
  );
  const bodyStatement = db.prepare<[string, string, number], { body: string }>(
    'SELECT body FROM day_snapshots WHERE channel_id = ? AND date = ? AND version = ?',
  );

  return {
    hasChannel(channelId) {
      return hasChannelStatement.get(channelId) !== undefined;
    },
    channel(channelId) {
      const row = channelStatement.get(channelId);
      return row ? (JSON.parse(row.body) as Channel) : undefined;
    },
    channelIds() {
      return channelIdsStatement.all().map((row) => row.id);
    },
    dayVersionsOverlapping(channelId, fromMs, toMs) {
      return overlappingStatement.all(channelId, toMs, fromMs);
    },
    snapshot(channelId, key) {
      const row = bodyStatement.get(channelId, key.date, key.version);
      if (!row) throw new Error(`day ${channelId} ${key.date} v${key.version} vanished`);
      return JSON.parse(row.body) as DaySnapshot;
    },
  };
}
