import { DateTime } from 'luxon';
import { loadCatalogView } from '../catalog/catalog-view.ts';
import { UsageError } from '../errors.ts';
import { findChannel, listChannels } from '../schedule/channels-repository.ts';
import {
  MAX_PUBLISH_DAYS,
  publishAllChannels,
  publishDays,
  validatePublishRange,
  type PublishReport,
} from '../schedule/publish.ts';
import { isRealDate } from '../schedule/broadcast-date.ts';
import { parseOptions, type Command, withDb } from './command.ts';

const usage = 'aerial build (--channel ID | --all) --from YYYY-MM-DD --days N [--publish] [--now ISO-INSTANT]';

function formatReport(report: PublishReport, zoneOf: (channelId: string) => string): string {
  const lines: string[] = [];
  const local = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('MM-dd HH:mm:ss');
  for (const day of report.days) {
    const zone = zoneOf(day.channelId);
    const what =
      day.outcome === 'new-version'
        ? `${report.dryRun ? 'would publish' : 'published'} v${day.version}${day.previousVersion ? ` (replaces v${day.previousVersion})` : ''}`
        : day.outcome === 'unchanged'
          ? `unchanged v${day.version}`
          : `aired v${day.version}, kept`;
    const frozen = day.frozenItems && day.outcome !== 'aired' ? `, ${day.frozenItems} kept (before now + guard)` : '';
    const chain = day.requested ? '' : ' [built for the chain]';
    lines.push(
      `${day.channelId} ${day.date} ${day.timetable.padEnd(10)} ${what}: ${day.items} items, ${day.firstRuns} first runs, ${day.warnings.length} warnings${frozen}; ${local(day.startMs, zone)} → ${local(day.endMs, zone)}${chain}`,
    );
    for (const w of day.warnings) {
      const at = [w.slotId && `slot ${w.slotId}`, w.lessonId && `lesson ${w.lessonId}`].filter(Boolean).join(' ');
      lines.push(`    ${w.code}${at ? ` (${at})` : ''}: ${w.message}`);
    }
  }
  const counts = { 'new-version': 0, unchanged: 0, aired: 0 };
  for (const day of report.days) counts[day.outcome]++;
  lines.push(
    `${report.days.length} channel-days: ${counts['new-version']} ${report.dryRun ? 'to publish' : 'published'}, ${counts.unchanged} unchanged, ${counts.aired} already aired` +
      (report.dryRun ? ' — dry run, nothing written (add --publish)' : `; ${report.written} versions written`),
  );
  return `${lines.join('\n')}\n`;
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'Build channel-days and print the report; --publish stores them as new snapshot versions',
  usage,
  async run(args, ctx) {
    const { values } = parseOptions(
      args,
      {
        channel: { type: 'string' },
        all: { type: 'boolean' },
        from: { type: 'string' },
        days: { type: 'string' },
        publish: { type: 'boolean' },
        now: { type: 'string' },
      },
      usage,
    );
    if (values.channel !== undefined && values.all)
      throw new UsageError(`--channel and --all exclude each other\nusage: ${usage}`);
    if (values.channel === undefined && !values.all)
      throw new UsageError(`--channel ID or --all is required\nusage: ${usage}`);
    if (values.from === undefined) throw new UsageError(`--from YYYY-MM-DD is required\nusage: ${usage}`);
    if (!isRealDate(values.from)) throw new UsageError(`--from: '${values.from}' is not a real date YYYY-MM-DD`);
    if (values.days === undefined) throw new UsageError(`--days N is required\nusage: ${usage}`);
    if (!/^\d+$/.test(values.days) || Number(values.days) < 1 || Number(values.days) > MAX_PUBLISH_DAYS) {
      throw new UsageError(`--days: '${values.days}' is not a whole number 1..${MAX_PUBLISH_DAYS}`);
    }
    const days = Number(values.days);
    let nowMs = Date.now();
    if (values.now !== undefined) {
      const parsed = DateTime.fromISO(values.now, { setZone: true });
      if (!parsed.isValid || !/(Z|[+-]\d{2}:?\d{2})$/.test(values.now))
        throw new UsageError(
          `--now: '${values.now}' is not an ISO instant with a zone (e.g. 2026-09-01T08:00:00+08:00)`,
        );
      nowMs = parsed.toMillis();
    }
    const fromDate = values.from;
    validatePublishRange(fromDate, days);

    return withDb(ctx.dataDir, async (db) => {
      if (values.channel !== undefined && !findChannel(db, values.channel)) {
        const known = listChannels(db).map((c) => c.id);
        throw new UsageError(
          `--channel: unknown channel '${values.channel}'${known.length ? ` (known: ${known.join(', ')})` : ' (no channels imported)'}`,
        );
      }
      if (values.all && listChannels(db).length === 0)
        throw new UsageError('--all: no channels imported (aerial channels import FILE)');
      const catalog = loadCatalogView(db);
      const request = { db, catalog, fromDate, days, nowMs, dryRun: !values.publish };
      const report =
        values.channel !== undefined
          ? publishDays({ ...request, channelId: values.channel })
          : publishAllChannels(request);
      const zones = new Map(listChannels(db).map((c) => [c.id, c.timezone]));
      ctx.stdout.write(formatReport(report, (id) => zones.get(id) ?? 'UTC'));
      return 0;
    });
  },
};
