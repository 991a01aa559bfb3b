import { z } from 'zod';
import type { Instant } from '../../playlists/model.ts';
import { listChannels } from '../schedule/channels-repository.ts';
import { lastPublishedAt, latestDaysWarnings, type PublishedDayWarnings } from '../schedule/snapshots-repository.ts';
import type { Db } from '../store/db.ts';
import { parseQuery } from './validation.ts';

/**
 * Warnings from the last build, per channel: for the days that have not ended yet (the one on air first), the
 * published version airing and the warnings its build gave (a lesson not packaged, a missing asset, an overrun…),
 * and when the channel was last published (the nightly build or a broadcaster's publish).
 */

export const MAX_WARNING_DAYS = 14;

export const buildWarningsQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(MAX_WARNING_DAYS).default(3),
});

export interface ChannelBuildWarnings {
  channelId: string;
  timezone: string;
  lastPublishedAtMs: Instant | null;
  days: PublishedDayWarnings[];
}

export function lastBuildWarnings(db: Db, nowMs: Instant, query: unknown): { channels: ChannelBuildWarnings[] } {
  const { days } = parseQuery(buildWarningsQuerySchema, query);
  return {
    channels: listChannels(db).map((channel) => ({
      channelId: channel.id,
      timezone: channel.timezone,
      lastPublishedAtMs: lastPublishedAt(db, channel.id),
      days: latestDaysWarnings(db, channel.id, nowMs, days),
    })),
  };
}
