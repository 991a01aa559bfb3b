import { z } from 'zod';
import type { BuildWarning, Instant, WarningCode } from '../../playlists/model.ts';
import { listChannels } from '../schedule/channels-repository.ts';
import { lastPublishedAt, latestDaysWarnings, type PublishedDayWarnings } from '../schedule/snapshots-repository.ts';
import type { Db } from '../store/db.ts';
import { describePreparing, preparedAtMs, type Preparing, readPreparingFacts } from '../store/preparing.ts';
import { parseQuery } from './validation.ts';

/**
 * Warnings from the last build, per channel: for the days that have not ended yet (the one on air first), the
 * published version airing and the warnings its build gave (a lesson not packaged, a missing asset, an overrun…),
 * and when the channel was last published (the nightly build or a broadcaster's publish).
 *
 * While the service says media is still being prepared (the sample's staged start: channel-days go live before
 * every lesson video is packaged, and are republished as they land), the warnings that missing media causes are
 * not faults to act on: they are counted per day as `waiting` and left out of `warnings`, and `preparing` says
 * what is being prepared. So are they in day versions published before the preparation completed: the day the
 * sample started on keeps them (a republish that changes nothing airing writes no version, and its slots before
 * the start aired the slate). What truly failed (a missing filler or card, an overrun, a course that ended) is
 * listed as always.
 */

export const MAX_WARNING_DAYS = 14;

export const buildWarningsQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(MAX_WARNING_DAYS).default(3),
});

/**
 * What a lesson video still being packaged causes: its slot airs the slate (`lesson-not-packaged`), so the reruns
 * and carousels of that slot have nothing to air (`rerun-missing`), and a republish finds the slot already past
 * (`slot-skipped`).
 */
const WAITING_CODES: ReadonlySet<WarningCode> = new Set(['lesson-not-packaged', 'rerun-missing', 'slot-skipped']);

interface DayBuildWarnings extends PublishedDayWarnings {
  /** Warnings left out because media was being prepared when the day was published (0 otherwise). */
  waiting: number;
}

export interface ChannelBuildWarnings {
  channelId: string;
  timezone: string;
  lastPublishedAtMs: Instant | null;
  days: DayBuildWarnings[];
}

/** A day's warnings, less those that media being prepared explains (counted as `waiting`). */
function setAsideWaiting(day: PublishedDayWarnings, preparing: boolean): DayBuildWarnings {
  if (!preparing) return { ...day, waiting: 0 };
  const warnings: BuildWarning[] = day.warnings.filter((w) => !WAITING_CODES.has(w.code));
  return { ...day, warnings, waiting: day.warnings.length - warnings.length };
}

/**
 * What is still being prepared, as facts a console words in its own language (`preparing` is the English sentence
 * /healthz gives): who prepares it, what its items are, how many are left of how many.
 */
export interface PreparingFacts {
  source: string;
  items: 'lesson-videos' | 'media';
  remaining: number;
  total: number;
}

export function preparingFacts(p: Preparing): PreparingFacts {
  return { source: p.what, items: p.items ?? 'media', remaining: Math.max(0, p.total - p.done), total: p.total };
}

export function lastBuildWarnings(
  db: Db,
  nowMs: Instant,
  query: unknown,
): { preparing: string | null; preparingFacts: PreparingFacts | null; channels: ChannelBuildWarnings[] } {
  const { days } = parseQuery(buildWarningsQuerySchema, query);
  const stored = readPreparingFacts(db); // read once: the sentence and the facts say the same state
  const preparing = stored ? describePreparing(stored) : null;
  const preparedAt = preparedAtMs(db);
  const explained = (day: PublishedDayWarnings) =>
    preparing !== null || (preparedAt !== undefined && day.publishedAtMs <= preparedAt);
  return {
    preparing,
    preparingFacts: stored ? preparingFacts(stored) : null,
    channels: listChannels(db).map((channel) => ({
      channelId: channel.id,
      timezone: channel.timezone,
      lastPublishedAtMs: lastPublishedAt(db, channel.id),
      days: latestDaysWarnings(db, channel.id, nowMs, days).map((day) => setAsideWaiting(day, explained(day))),
    })),
  };
}
