import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { mergeSlateRuns } from '../../playlists/guide-items.ts';
import type { BuildWarning, DaySnapshot, Instant, ScheduledItem } from '../../playlists/model.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { addDays, isRealDate } from '../schedule/broadcast-date.ts';
import { buildDay as realBuildDay } from '../schedule/build.ts';
import type { BuildDay, CatalogView } from '../schedule/build-types.ts';
import { findChannel, listChannels, loadBuildRules } from '../schedule/channels-repository.ts';
import { DEFAULT_GUARD_MS, publishDays, type DayReport } from '../schedule/publish.ts';
import { latestSnapshot, publishedDateRange } from '../schedule/snapshots-repository.ts';
import type { Db } from '../store/db.ts';
import {
  assetRowsText,
  findPreviewForPublish,
  findPreviewResult,
  insertPreview,
  latestVersionRows,
  lessonRowsText,
  markPreviewPublished,
} from './previews-repository.ts';
import { parseBody } from './validation.ts';

/**
 * Preview and publish. A preview builds channel-days exactly as a publish at that instant would
 * (the real publish in dry-run mode), and reports per day what would change against what is
 * published. It is stored with two digests: a fingerprint of its INPUTS (channel rules, catalog
 * state, published versions) and a digest of its OUTPUT (the days it would write). Publishing a
 * preview runs the real publish and keeps it only if both still match; otherwise nothing is written
 * and the caller gets 409 and previews again.
 */

export interface ScheduleEnv {
  db: Db;
  loadCatalog: () => CatalogView;
  guardMs?: number;
  /** Called once per built channel-day with its build time (metrics). */
  observeBuild?: (channelId: string, seconds: number) => void;
}

export interface ItemRef {
  id: string;
  kind: ScheduledItem['kind'];
  title: string;
  startMs: Instant;
  durationMs: number;
}

export interface DayDiff {
  channelId: string;
  date: string;
  outcome: DayReport['outcome'];
  /** Version now published (0 = none) and the one the publish writes (for new-version). */
  publishedVersion: number;
  nextVersion?: number;
  timetable: string;
  notice?: DaySnapshot['notice'];
  /** Items kept because they start before now + guard. */
  frozenItems: number;
  added: ItemRef[];
  removed: ItemRef[];
  /** Same airing (item id), another start or length. */
  moved: Array<{
    id: string;
    title: string;
    fromStartMs: Instant;
    toStartMs: Instant;
    fromDurationMs: number;
    toDurationMs: number;
  }>;
  warnings: BuildWarning[];
}

const ref = (item: ScheduledItem): ItemRef => ({
  id: item.id,
  kind: item.kind,
  title: item.title.zh,
  startMs: item.startMs,
  durationMs: item.durationMs,
});

/** Same programme in the same airing slot: what a change of time or length leaves alone. */
const sameProgramme = (a: ScheduledItem, b: ScheduledItem): boolean =>
  a.kind === b.kind && a.assetId === b.assetId && a.lessonId === b.lessonId;

/**
 * Items added, removed and moved between two versions of a day, as a guide lists them: the slate items that cut
 * a stretch of off-air time (a night is hundreds) count as one entry, as in the guide (mergeSlateRuns). Airing
 * ids are made from the channel and the start, so a programme replaced at the same time keeps its id: it counts
 * as the old one removed and the new one added (not as unchanged).
 */
export function diffDays(
  published: DaySnapshot | undefined,
  candidate: DaySnapshot,
): Pick<DayDiff, 'added' | 'removed' | 'moved'> {
  const publishedItems = mergeSlateRuns(published?.items ?? []);
  const candidateItems = mergeSlateRuns(candidate.items);
  const before = new Map(publishedItems.map((i) => [i.id, i]));
  const after = new Map(candidateItems.map((i) => [i.id, i]));
  const kept = (i: ScheduledItem, other: Map<string, ScheduledItem>) => {
    const match = other.get(i.id);
    return match !== undefined && sameProgramme(i, match);
  };
  const added = candidateItems.filter((i) => !kept(i, before)).map(ref);
  const removed = publishedItems.filter((i) => !kept(i, after)).map(ref);
  const moved = candidateItems
    .filter((i) => {
      const old = before.get(i.id);
      return old && sameProgramme(old, i) && (old.startMs !== i.startMs || old.durationMs !== i.durationMs);
    })
    .map((i) => {
      const old = before.get(i.id)!;
      return {
        id: i.id,
        title: i.title.zh,
        fromStartMs: old.startMs,
        toStartMs: i.startMs,
        fromDurationMs: old.durationMs,
        toDurationMs: i.durationMs,
      };
    });
  return { added, removed, moved };
}

/** A build function that records what it built (and how long it took) for each channel-day. */
function recordingBuild(env: ScheduleEnv, built: Map<string, DaySnapshot>): BuildDay {
  return (rules, date, previous, options) => {
    const started = process.hrtime.bigint();
    const result = realBuildDay(rules, date, previous, options);
    env.observeBuild?.(rules.channel.id, Number(process.hrtime.bigint() - started) / 1e9);
    built.set(`${rules.channel.id}/${date}`, result.snapshot);
    return result;
  };
}

/** What a day airs, as bytes (version and warnings aside, as publish compares them). */
function airingDigest(snapshot: DaySnapshot): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...snapshot, version: 0, warnings: [] }))
    .digest('hex');
}

interface ChannelRun {
  channelId: string;
  reports: DayReport[];
  diffs: DayDiff[];
  /** `channel/date:sha256` of each day the run writes (or would write). */
  digests: string[];
}

/**
 * Publishes (or dry-runs) `days` days from `fromDate` for each channel at `nowMs`, and describes each
 * day against the version published before the call. Runs in the caller's transaction when there is one.
 */
export function runPublish(
  env: ScheduleEnv,
  channelIds: string[],
  fromDate: string,
  days: number,
  nowMs: Instant,
  dryRun: boolean,
): ChannelRun[] {
  const catalog = env.loadCatalog();
  return channelIds.map((channelId) => {
    const built = new Map<string, DaySnapshot>();
    const publishedBefore = new Map<string, DaySnapshot | undefined>();
    const chain = publishedDateRange(env.db, channelId);
    // Read what is published before the publish writes over it (only dates that can change).
    if (chain) {
      const first = fromDate > chain.first ? fromDate : chain.first;
      for (let d = first; d <= chain.last; d = addDays(d, 1))
        publishedBefore.set(d, latestSnapshot(env.db, channelId, d));
    }
    const report = publishDays({
      db: env.db,
      catalog,
      channelId,
      fromDate,
      days,
      nowMs,
      guardMs: env.guardMs ?? DEFAULT_GUARD_MS,
      dryRun,
      buildDay: recordingBuild(env, built),
    });
    const diffs = report.days.map((day): DayDiff => {
      const published = publishedBefore.get(day.date);
      const candidate = built.get(`${channelId}/${day.date}`);
      const base = {
        channelId,
        date: day.date,
        outcome: day.outcome,
        publishedVersion: published?.version ?? 0,
        timetable: day.timetable,
        frozenItems: day.frozenItems,
        warnings: day.warnings,
      };
      if (day.outcome !== 'new-version' || !candidate)
        return {
          ...base,
          ...(published?.notice ? { notice: published.notice } : {}),
          added: [],
          removed: [],
          moved: [],
        };
      return {
        ...base,
        nextVersion: day.version,
        ...(candidate.notice ? { notice: candidate.notice } : {}),
        ...diffDays(published, candidate),
      };
    });
    const digests = report.days
      .filter((d) => d.outcome === 'new-version')
      .map((d) => `${channelId}/${d.date}:${airingDigest(built.get(`${channelId}/${d.date}`)!)}`);
    return { channelId, reports: report.days, diffs, digests };
  });
}

function contentDigest(runs: ChannelRun[]): string {
  const hash = createHash('sha256');
  for (const run of runs) for (const line of run.digests) hash.update(`${line}\n`);
  return hash.digest('hex');
}

/** SHA-256 of everything a build of these channels reads: rules, catalog rows, published versions. */
export function inputFingerprint(db: Db, channelIds: readonly string[]): string {
  const hash = createHash('sha256');
  const noCatalog = { courseLessons: () => [], lesson: () => undefined, asset: () => undefined } as CatalogView;
  for (const channelId of channelIds) {
    const { catalog: _catalog, ...rules } = loadBuildRules(db, channelId, noCatalog);
    hash.update(JSON.stringify(rules));
    for (const row of latestVersionRows(db, channelId)) hash.update(JSON.stringify(row));
  }
  hash.update(lessonRowsText(db)).update('\u0000').update(assetRowsText(db));
  return hash.digest('hex');
}

export const previewRequestSchema = z.strictObject({
  /** Channel ids; omitted = every channel. */
  channels: z.array(z.string().min(1)).min(1).max(100).optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date YYYY-MM-DD'),
  days: z.number().int().min(1).max(31).default(1),
});
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

export interface PreviewResult {
  id: string;
  createdAt: Instant;
  nowMs: Instant;
  guardMs: number;
  request: { channels: string[]; from: string; days: number };
  /** Channel-days the publish would write. */
  changedDays: number;
  days: DayDiff[];
  publishedAt?: Instant;
}

function resolveChannels(db: Db, request: PreviewRequest): string[] {
  if (!isRealDate(request.from))
    throw new InputError('bad preview request', [
      { field: 'from', reason: `'${request.from}' is not a real calendar date` },
    ]);
  if (!request.channels) {
    const all = listChannels(db).map((c) => c.id);
    if (all.length === 0)
      throw new InputError('no channels to preview', [{ field: 'channels', reason: 'no channel is configured' }]);
    return all;
  }
  const problems = request.channels.flatMap((id, i) =>
    findChannel(db, id) ? [] : [{ field: `channels[${i}]`, reason: `unknown channel '${id}'` }],
  );
  if (problems.length) throw new InputError('bad preview request', problems);
  return [...new Set(request.channels)];
}

/** The publish's own InputErrors name `fromDate`; the API field is `from`. */
function renameFromDate<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof InputError)
      throw new InputError(
        error.message.split('\n')[0]!,
        error.problems.map((p) => (p.field === 'fromDate' ? { ...p, field: 'from' } : p)),
      );
    throw error;
  }
}

export function createPreview(env: ScheduleEnv, body: unknown, nowMs: Instant, createdBy: string): PreviewResult {
  const request = parseBody(previewRequestSchema, body);
  const channels = resolveChannels(env.db, request);
  return env.db
    .transaction(() => {
      const runs = renameFromDate(() => runPublish(env, channels, request.from, request.days, nowMs, true));
      const days = runs.flatMap((r) => r.diffs);
      const result: PreviewResult = {
        id: `pv-${randomBytes(9).toString('base64url')}`,
        createdAt: nowMs,
        nowMs,
        guardMs: env.guardMs ?? DEFAULT_GUARD_MS,
        request: { channels, from: request.from, days: request.days },
        changedDays: days.filter((d) => d.outcome === 'new-version').length,
        days,
      };
      insertPreview(env.db, {
        id: result.id,
        createdAt: nowMs,
        createdBy,
        request: JSON.stringify(result.request),
        fingerprint: inputFingerprint(env.db, channels),
        content: contentDigest(runs),
        result: JSON.stringify(result),
      });
      return result;
    })
    .immediate();
}

export function getPreview(db: Db, id: string): PreviewResult {
  const row = findPreviewResult(db, id);
  if (!row) throw new NotFoundError(`unknown preview '${id}'`);
  const result = JSON.parse(row.result) as PreviewResult;
  return row.published_at === null ? result : { ...result, publishedAt: row.published_at };
}

export interface PublishedPreview {
  preview: string;
  publishedAt: Instant;
  written: Array<{ channelId: string; date: string; version: number; previousVersion?: number }>;
}

/** Publishes exactly what the preview showed, or throws 409 and writes nothing. Runs in the caller's transaction. */
export function publishPreview(env: ScheduleEnv, id: string, nowMs: Instant): PublishedPreview {
  const row = findPreviewForPublish(env.db, id);
  if (!row) throw new NotFoundError(`unknown preview '${id}'`);
  if (row.published_at !== null)
    throw new ConflictError(`preview '${id}' was already published at ${new Date(row.published_at).toISOString()}`);
  const request = JSON.parse(row.request) as PreviewResult['request'];
  for (const channelId of request.channels)
    if (!findChannel(env.db, channelId))
      throw new ConflictError(`channel '${channelId}' of preview '${id}' no longer exists; preview again`);
  if (inputFingerprint(env.db, request.channels) !== row.fingerprint) {
    throw new ConflictError(
      `the inputs of preview '${id}' changed since it was made (channel rules, catalog or published days); preview again`,
    );
  }
  const runs = runPublish(env, request.channels, request.from, request.days, nowMs, false);
  if (contentDigest(runs) !== row.content) {
    // Same inputs, different output: time moved past the guard over items the preview would have changed.
    throw new ConflictError(
      `publishing now would not write what preview '${id}' showed (items it changed have started airing since); preview again`,
    );
  }
  markPreviewPublished(env.db, id, nowMs);
  return {
    preview: id,
    publishedAt: nowMs,
    written: runs.flatMap((r) =>
      r.reports
        .filter((d) => d.outcome === 'new-version')
        .map((d) => ({
          channelId: d.channelId,
          date: d.date,
          version: d.version,
          ...(d.previousVersion ? { previousVersion: d.previousVersion } : {}),
        })),
    ),
  };
}
