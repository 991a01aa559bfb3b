import { accessSync, constants, readdirSync } from 'node:fs';
import type { Clock } from '../clock.ts';
import { addDays, broadcastDateAt } from '../schedule/broadcast-date.ts';
import { listChannels } from '../schedule/channels-repository.ts';
import { publishedDateRange } from '../schedule/snapshots-repository.ts';
import type { Db } from '../store/db.ts';
import { readPreparing } from '../store/preparing.ts';
import { probeWritable } from '../store/settings.ts';

/**
 * /healthz: the checks an operator (or a load balancer) needs. 200 when every check passes, else 503;
 * the body lists each check with its detail either way.
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

export interface HealthCheck {
  name: 'database' | 'media' | 'published-horizon' | 'cron' | 'preparing' | 'store';
  ok: boolean;
  detail: string;
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
    return { name: 'database', ok: false, detail: `not writable: ${(error as Error).message}` };
  }
  return { name: 'database', ok: true, detail: 'writable' };
}

function checkMedia(mediaDir: string): HealthCheck {
  try {
    accessSync(mediaDir, constants.R_OK | constants.X_OK);
    const entries = readdirSync(mediaDir).length;
    return { name: 'media', ok: true, detail: `${mediaDir} readable (${entries} entries)` };
  } catch (error) {
    return {
      name: 'media',
      ok: false,
      detail: `${mediaDir} not readable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    };
  }
}

function checkHorizon(db: Db, nowMs: number, horizonDays: number): HealthCheck {
  const short: string[] = [];
  const channels = listChannels(db);
  for (const channel of channels) {
    const today = broadcastDateAt(nowMs, channel.timezone, channel.dayStart);
    const needed = addDays(today, horizonDays - 1);
    const chain = publishedDateRange(db, channel.id);
    if (!chain || chain.first > today || chain.last < needed) {
      short.push(
        `${channel.id} (${chain ? `${chain.first}..${chain.last}` : 'nothing published'}, needs ${today}..${needed})`,
      );
    }
  }
  if (short.length)
    return { name: 'published-horizon', ok: false, detail: `not published through the horizon: ${short.join('; ')}` };
  return {
    name: 'published-horizon',
    ok: true,
    detail: `${channels.length} channel(s) published ${horizonDays} day(s) ahead`,
  };
}

function checkCron(db: Db, nowMs: number, status: CronStatus | undefined): HealthCheck {
  if (!status) return { name: 'cron', ok: true, detail: 'no schedule jobs in this process (skipped)' };
  const zones = new Set(listChannels(db).map((c) => c.timezone));
  const missing = [...zones].filter((z) => !status.scheduledTimezones.includes(z));
  if (missing.length)
    return { name: 'cron', ok: false, detail: `no nightly task for time zone(s) ${missing.join(', ')}` };
  const since = status.lastRunMs ?? status.startedMs;
  if (nowMs - since > CRON_MAX_SILENCE_MS) {
    return { name: 'cron', ok: false, detail: `no scheduled run since ${new Date(since).toISOString()} (over 25 h)` };
  }
  return {
    name: 'cron',
    ok: true,
    detail:
      status.lastRunMs === undefined
        ? `scheduled for ${zones.size} zone(s); started ${new Date(status.startedMs).toISOString()}`
        : `last run ${new Date(status.lastRunMs).toISOString()}`,
  };
}

/** Work that goes on while the service already serves (the sample's media): said, never failing. */
function checkPreparing(db: Db): HealthCheck[] {
  const preparing = readPreparing(db);
  return preparing ? [{ name: 'preparing', ok: true, detail: preparing }] : [];
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
