import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Instant } from '../../playlists/model.ts';
import type { Db } from '../store/db.ts';
import { addDays, broadcastDateAt, daysBetween } from './broadcast-date.ts';
import type { BuildDay, CatalogView } from './build-types.ts';
import type { Channel } from './channel-document.ts';
import { listChannels } from './channels-repository.ts';
import { publishDays, type PublishReport } from './publish.ts';
import { publishedDateRange } from './snapshots-repository.ts';

/**
 * Scheduled publishing. Nightly (default 02:00 channel time, one cron schedule per distinct channel
 * time zone) every channel is built and published from its current broadcast date for the horizon;
 * on startup `catchUp()` publishes whatever the horizon lacks (the server was down at 02:00).
 * Each channel publishes in its own transaction: one failing channel is logged and reported, the
 * others go on.
 */

export interface ScheduleJobsOptions {
  db: Db;
  /** Called once per run, so each run sees the current catalog. */
  loadCatalog: () => CatalogView;
  logger: Logger;
  clock?: () => Instant;
  horizonDays?: number;
  /** Local time HH:MM in each channel's zone. */
  nightlyAt?: string;
  guardMs?: number;
  buildDay?: BuildDay;
  /** Called after a channel's days were published by a run (metrics, the cron check of /healthz). */
  onPublished?: (channelId: string, job: JobRunReport['kind'], nowMs: Instant) => void;
}

export type ChannelRunResult =
  | { channelId: string; ok: true; fromDate: string; days: number; report: PublishReport }
  | { channelId: string; ok: true; fromDate: string; days: 0 }
  | { channelId: string; ok: false; reason: string };

export interface JobRunReport {
  kind: 'nightly' | 'catch-up';
  nowMs: Instant;
  channels: ChannelRunResult[];
}

export interface ScheduleJobs {
  /**
   * Schedules the nightly run (one cron task per distinct channel time zone). Idempotent; call again after
   * channels change.
   */
  start(): void;
  stop(): void;
  /** Time zones that currently have a cron task. */
  scheduledTimezones(): string[];
  /** Build + publish today .. today + horizon - 1 for every channel (or those of one time zone). */
  runNightly(timezone?: string): JobRunReport;
  /** Publish the days within the horizon that are not published yet, for every channel. */
  catchUp(): JobRunReport;
}

function cronExpression(nightlyAt: string): string {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(nightlyAt);
  if (!match) throw new RangeError(`nightlyAt must be HH:MM, got '${nightlyAt}'`);
  return `${Number(match[2])} ${Number(match[1])} * * *`;
}

type PublishPlan = (channel: Channel, nowMs: Instant) => { fromDate: string; days: number };

/** One channel of a run: plan its days, publish them in their own transaction, log and report the outcome. */
function runChannel(
  options: ScheduleJobsOptions,
  run: { kind: JobRunReport['kind']; nowMs: Instant; catalog: CatalogView },
  channel: Channel,
  plan: PublishPlan,
): ChannelRunResult {
  const { db, logger } = options;
  const { kind, nowMs, catalog } = run;
  let fromDate = '';
  try {
    const range = plan(channel, nowMs);
    fromDate = range.fromDate;
    if (range.days === 0) return { channelId: channel.id, ok: true, fromDate, days: 0 };
    const report = publishDays({
      db,
      catalog,
      channelId: channel.id,
      fromDate,
      days: range.days,
      nowMs,
      ...(options.guardMs !== undefined ? { guardMs: options.guardMs } : {}),
      ...(options.buildDay ? { buildDay: options.buildDay } : {}),
    });
    const warnings = report.days.reduce((n, d) => n + d.warnings.length, 0);
    logger.info(
      { job: kind, channel: channel.id, fromDate, days: range.days, written: report.written, warnings },
      `${kind}: channel ${channel.id} published ${report.written} day version(s) from ${fromDate}`,
    );
    options.onPublished?.(channel.id, kind, nowMs);
    return { channelId: channel.id, ok: true, fromDate, days: range.days, report };
  } catch (error) {
    const reason = (error as Error).message;
    logger.error(
      { job: kind, channel: channel.id, fromDate, err: error },
      `${kind}: channel ${channel.id} failed: ${reason}`,
    );
    return { channelId: channel.id, ok: false, reason };
  }
}

const todayOf = (channel: Channel, nowMs: Instant) => broadcastDateAt(nowMs, channel.timezone, channel.dayStart);

/** The days of today .. today + horizon - 1 that are not published yet, as one range. */
function missingDays(
  db: Db,
  channel: Channel,
  nowMs: Instant,
  horizonDays: number,
): { fromDate: string; days: number } {
  const first = todayOf(channel, nowMs);
  const last = addDays(first, horizonDays - 1);
  const chain = publishedDateRange(db, channel.id);
  // The chain is contiguous, so what the horizon lacks is what lies after its last day
  // (a chain that starts later than today has not begun: its earlier days are not missing).
  if (!chain) return { fromDate: first, days: horizonDays };
  if (chain.last >= last) return { fromDate: first, days: 0 };
  const fromDate = chain.last >= first ? addDays(chain.last, 1) : first;
  return { fromDate, days: daysBetween(fromDate, last) + 1 };
}

/** One nightly task per time zone in use: drops the tasks of zones no longer used, schedules new ones. */
function syncZoneTasks(
  tasks: Map<string, ScheduledTask>,
  zones: ReadonlySet<string>,
  schedule: (zone: string) => ScheduledTask,
): void {
  for (const [zone, task] of tasks) {
    if (!zones.has(zone)) {
      void task.destroy();
      tasks.delete(zone);
    }
  }
  for (const zone of zones) if (!tasks.has(zone)) tasks.set(zone, schedule(zone));
}

export function createScheduleJobs(options: ScheduleJobsOptions): ScheduleJobs {
  const { db, loadCatalog, logger } = options;
  const clock = options.clock ?? (() => Date.now());
  const horizonDays = options.horizonDays ?? 7;
  const expression = cronExpression(options.nightlyAt ?? '02:00');
  const tasks = new Map<string, ScheduledTask>();

  function runEach(kind: JobRunReport['kind'], channels: Channel[], plan: PublishPlan): JobRunReport {
    const nowMs = clock();
    let catalog: CatalogView;
    try {
      catalog = loadCatalog();
    } catch (error) {
      const reason = `catalog could not be loaded: ${(error as Error).message}`;
      logger.error({ job: kind, err: error }, reason);
      return { kind, nowMs, channels: channels.map((c) => ({ channelId: c.id, ok: false, reason })) };
    }
    const results = channels.map((channel) => runChannel(options, { kind, nowMs, catalog }, channel, plan));
    return { kind, nowMs, channels: results };
  }

  function runNightly(timezone?: string): JobRunReport {
    const channels = listChannels(db).filter((c) => timezone === undefined || c.timezone === timezone);
    return runEach('nightly', channels, (channel, nowMs) => ({ fromDate: todayOf(channel, nowMs), days: horizonDays }));
  }

  function catchUp(): JobRunReport {
    return runEach('catch-up', listChannels(db), (channel, nowMs) => missingDays(db, channel, nowMs, horizonDays));
  }

  function start(): void {
    const zones = new Set(listChannels(db).map((c) => c.timezone));
    syncZoneTasks(tasks, zones, (zone) => {
      const task = cron.schedule(expression, () => void runNightly(zone), {
        timezone: zone,
        name: `nightly-publish ${zone}`,
        noOverlap: true,
      });
      logger.info({ timezone: zone, cron: expression }, `nightly publish scheduled for ${zone}`);
      return task;
    });
  }

  function stop(): void {
    for (const task of tasks.values()) void task.destroy();
    tasks.clear();
  }

  return { start, stop, scheduledTimezones: () => [...tasks.keys()].sort(), runNightly, catchUp };
}
