import { accessSync, constants, readdirSync } from 'node:fs';
import { preparingFacts } from '../admin/build-warnings.ts';
import type { Clock } from '../clock.ts';
import { addDays, broadcastDateAt } from '../schedule/broadcast-date.ts';
import { listChannels } from '../schedule/channels-repository.ts';
import { publishedDateRange } from '../schedule/snapshots-repository.ts';
import type { Db } from '../store/db.ts';
import { describePreparing, readPreparingFacts } from '../store/preparing.ts';
import { probeWritable } from '../store/settings.ts';

/**
 * /healthz: the checks an operator (or a load balancer) needs. 200 when every check passes, else 503;
 * the body lists each check with its detail either way: `detail` an English sentence for monitoring tools and
 * people reading logs, `facts` the same as data (a code and its figures) for a console to word in its language.
 */

export interface CronStatus {
  /** Time zones that have a nightly task scheduled. */
  scheduledTimezones: string[];
  /** When a scheduled run last finished (epoch ms), if one has since start-up. */
  lastRunMs?: number;
  /** When the jobs were started (epoch ms). */
  startedMs: number;
}

export interface HealthOptions {
  db: Db;
  mediaDir: string;
  clock: Clock;
  /** Days every channel must be published ahead (today .. today + N - 1). */
  horizonDays: number;
  /** The schedule jobs' state; absent when this process runs no jobs (then the check is skipped). */
  cronStatus?: () => CronStatus;
}

export const HEALTH_FACT_CODES = [
  'database-writable',
  'database-not-writable',
  'media-readable',
  'media-unreadable',
  'horizon-published',
  'horizon-short',
  'cron-skipped',
  'cron-zones-unscheduled',
  'cron-silent',
  'cron-started',
  'cron-last-run',
  'preparing',
  'store-read',
  'store-not-read',
  'store-failing',
  'on-air',
  'off-air',
] as const;

/** What a check found, as data: `code` says which finding; the fields it uses are set (see the OpenAPI). */
export interface HealthFacts {
  code: (typeof HEALTH_FACT_CODES)[number];
  /** media: the directory; its number of entries when readable. */
  path?: string;
  entries?: number;
  /** database, media: the system's error (code or message), as it said it. */
  error?: string;
  /** horizon-published: how many channels are published `days` ahead; on-air: how many are on air. */
  channels?: number;
  days?: number;
  /** horizon-short: each channel short of the horizon, what it has published (null: nothing) and needs. */
  short?: { channelId: string; first: string | null; last: string | null; from: string; to: string }[];
  /** cron-zones-unscheduled: zones without a nightly task; cron-started: the zones scheduled. */
  zones?: string[];
  /** off-air: channels with no published day on air now. */
  channelIds?: string[];
  /** cron-last-run: the last run; cron-started: the start; cron-silent: the last run or start; on-air: until. */
  atMs?: number;
  /** preparing: as build-warnings' preparingFacts (who prepares, what, how many left of how many). */
  source?: string;
  items?: 'lesson-videos' | 'media';
  remaining?: number;
  total?: number;
}

export interface HealthCheck {
  name: 'database' | 'media' | 'published-horizon' | 'cron' | 'preparing' | 'store';
  ok: boolean;
  detail: string;
  facts: HealthFacts;
}

export interface HealthReport {
  status: 'ok' | 'failing';
  checkedAt: string;
  checks: HealthCheck[];
}

/** A scheduled run must have happened within this long (nightly + an hour of slack). */
const CRON_MAX_SILENCE_MS = 25 * 3_600_000;

function checkDatabase(db: Db): HealthCheck {
  try {
    probeWritable(db);
  } catch (error) {
    const message = (error as Error).message;
    return {
      name: 'database',
      ok: false,
      detail: `not writable: ${message}`,
      facts: { code: 'database-not-writable', error: message },
    };
  }
  return { name: 'database', ok: true, detail: 'writable', facts: { code: 'database-writable' } };
}

function checkMedia(mediaDir: string): HealthCheck {
  try {
    accessSync(mediaDir, constants.R_OK | constants.X_OK);
    const entries = readdirSync(mediaDir).length;
    return {
      name: 'media',
      ok: true,
      detail: `${mediaDir} readable (${entries} entries)`,
      facts: { code: 'media-readable', path: mediaDir, entries },
    };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return {
      name: 'media',
      ok: false,
      detail: `${mediaDir} not readable: ${reason}`,
      facts: { code: 'media-unreadable', path: mediaDir, error: reason },
    };
  }
}

function checkHorizon(db: Db, nowMs: number, horizonDays: number): HealthCheck {
  const short: NonNullable<HealthFacts['short']> = [];
  const channels = listChannels(db);
  for (const channel of channels) {
    const today = broadcastDateAt(nowMs, channel.timezone, channel.dayStart);
    const needed = addDays(today, horizonDays - 1);
    const chain = publishedDateRange(db, channel.id);
    if (!chain || chain.first > today || chain.last < needed)
      short.push({
        channelId: channel.id,
        first: chain?.first ?? null,
        last: chain?.last ?? null,
        from: today,
        to: needed,
      });
  }
  if (short.length) {
    const said = short.map(
      (c) => `${c.channelId} (${c.first ? `${c.first}..${c.last}` : 'nothing published'}, needs ${c.from}..${c.to})`,
    );
    return {
      name: 'published-horizon',
      ok: false,
      detail: `not published through the horizon: ${said.join('; ')}`,
      facts: { code: 'horizon-short', short, days: horizonDays },
    };
  }
  return {
    name: 'published-horizon',
    ok: true,
    detail: `${channels.length} channel(s) published ${horizonDays} day(s) ahead`,
    facts: { code: 'horizon-published', channels: channels.length, days: horizonDays },
  };
}

function checkCron(db: Db, nowMs: number, status: CronStatus | undefined): HealthCheck {
  if (!status)
    return {
      name: 'cron',
      ok: true,
      detail: 'no schedule jobs in this process (skipped)',
      facts: { code: 'cron-skipped' },
    };
  const zones = [...new Set(listChannels(db).map((c) => c.timezone))];
  const missing = zones.filter((z) => !status.scheduledTimezones.includes(z));
  if (missing.length)
    return {
      name: 'cron',
      ok: false,
      detail: `no nightly task for time zone(s) ${missing.join(', ')}`,
      facts: { code: 'cron-zones-unscheduled', zones: missing },
    };
  const since = status.lastRunMs ?? status.startedMs;
  if (nowMs - since > CRON_MAX_SILENCE_MS) {
    const detail = `no scheduled run since ${new Date(since).toISOString()} (over 25 h)`;
    return { name: 'cron', ok: false, detail, facts: { code: 'cron-silent', atMs: since } };
  }
  if (status.lastRunMs === undefined) {
    const detail = `scheduled for ${zones.length} zone(s); started ${new Date(status.startedMs).toISOString()}`;
    return { name: 'cron', ok: true, detail, facts: { code: 'cron-started', zones, atMs: status.startedMs } };
  }
  const detail = `last run ${new Date(status.lastRunMs).toISOString()}`;
  return { name: 'cron', ok: true, detail, facts: { code: 'cron-last-run', atMs: status.lastRunMs } };
}

/** Work that goes on while the service already serves (the sample's media): said, never failing. */
function checkPreparing(db: Db): HealthCheck[] {
  const stored = readPreparingFacts(db); // read once: the sentence and the facts say the same state
  if (!stored) return [];
  const facts: HealthFacts = { code: 'preparing', ...preparingFacts(stored) };
  return [{ name: 'preparing', ok: true, detail: describePreparing(stored), facts }];
}

export function checkHealth(options: HealthOptions): HealthReport {
  const nowMs = options.clock();
  const checks = [
    checkDatabase(options.db),
    checkMedia(options.mediaDir),
    checkHorizon(options.db, nowMs, options.horizonDays),
    checkCron(options.db, nowMs, options.cronStatus?.()),
    ...checkPreparing(options.db),
  ];
  return { status: checks.every((c) => c.ok) ? 'ok' : 'failing', checkedAt: new Date(nowMs).toISOString(), checks };
}
