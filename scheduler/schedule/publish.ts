import type { BuildWarning, DayEndState, DaySnapshot, Instant } from '../../playlists/model.ts';
import { InputError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { addDays, isRealDate } from './broadcast-date.ts';
import { buildDay as defaultBuildDay } from './build.ts';
import type { BuildDay, BuildRules, CatalogView } from './build-types.ts';
import { getChannel, listChannels, loadBuildRules } from './channels-repository.ts';
import { insertSnapshot, latestSnapshot, publishedDateRange } from './snapshots-repository.ts';

/**
 * Publishing: build channel-days in order and store each changed day as a new immutable version.
 *
 * The chain. A channel's published days always form one contiguous run of dates. Its EPOCH is the
 * first published day, built without a previous end state (sequence numbers from 0, every course
 * from its first lesson). Every later day is built from the end state of the latest version of the
 * day before, so publishing a date past the end of the chain first builds the missing days in
 * order (gaps are never skipped). A date before the epoch may be published only while the epoch
 * has not started airing: it becomes the new epoch and everything after it is rebuilt.
 *
 * Position relative to now decides what may change (guard = 2 min by default):
 * - a day that has fully aired (end ≤ now) never changes;
 * - a day that has started or starts within the guard keeps, byte-identical, every published item
 *   starting before now + guard (the airing one included); the rest is rebuilt after them;
 * - a future day is rebuilt whole.
 * A day whose rebuilt content (items, times, sequence numbers, notice, end state; warnings aside)
 * equals its latest version is not rewritten. When a day's end state
 * changes, every later published day is rebuilt from it, so the chain stays continuous.
 */

export const DEFAULT_GUARD_MS = 120_000;

/** Called after a publish that wrote at least one version committed (or was handed to an outer transaction). */
export type PublishListener = () => void;
const listeners = new WeakMap<Db, Set<PublishListener>>();

/**
 * In-process notification of publishes on this connection (the origin drops its published-state cache
 * at once; other processes learn of it through `PRAGMA data_version`). Returns the unsubscribe function.
 */
export function onPublished(db: Db, listener: PublishListener): () => void {
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

function notifyPublished(db: Db): void {
  for (const listener of listeners.get(db) ?? []) listener();
}
export const MAX_PUBLISH_DAYS = 400;

export type DayOutcome =
  /** A new version was written (or, in a dry run, would be). */
  | 'new-version'
  /** Rebuilt, identical to the latest published version: nothing written. */
  | 'unchanged'
  /** Fully aired: kept as published, not rebuilt. */
  | 'aired';

export interface DayReport {
  channelId: string;
  date: string;
  outcome: DayOutcome;
  /** Version that airs after this call (the new one for `new-version`). */
  version: number;
  /** Version it replaces, when one was published. */
  previousVersion?: number;
  /** Asked for by the caller, or built because the chain required it (gap before, or a changed end state before). */
  requested: boolean;
  timetable: string;
  startMs: Instant;
  endMs: Instant;
  items: number;
  firstRuns: number;
  /** Items kept byte-identical because they start before now + guard. */
  frozenItems: number;
  warnings: BuildWarning[];
}

export interface PublishReport {
  nowMs: Instant;
  guardMs: number;
  dryRun: boolean;
  days: DayReport[];
  /** Snapshot versions written (0 in a dry run). */
  written: number;
}

export interface PublishRange {
  db: Db;
  catalog: CatalogView;
  /** First broadcast date asked for, YYYY-MM-DD. */
  fromDate: string;
  /** Number of consecutive days, 1..400. */
  days: number;
  nowMs: Instant;
  guardMs?: number;
  /** Build and report without writing. */
  dryRun?: boolean;
  /** The build function (the real one unless a caller injects another). */
  buildDay?: BuildDay;
}

export interface PublishDaysOptions extends PublishRange {
  channelId: string;
}

/** Checks the range arguments; names the argument at fault. */
export function validatePublishRange(fromDate: string, days: number): void {
  if (!isRealDate(fromDate))
    throw new InputError(`--from: '${fromDate}' is not a real date YYYY-MM-DD`, [
      { field: 'fromDate', reason: 'not a real date YYYY-MM-DD' },
    ]);
  if (!Number.isInteger(days) || days < 1 || days > MAX_PUBLISH_DAYS) {
    throw new InputError(`--days: ${days} is out of range 1..${MAX_PUBLISH_DAYS}`, [
      { field: 'days', reason: `must be a whole number 1..${MAX_PUBLISH_DAYS}` },
    ]);
  }
}

interface ChainStart {
  startDate: string;
  /** Days up to this date are built whatever the chain says; after it only while the chain changes. */
  buildUntil: string;
  previous: DayEndState | undefined;
}

/** Where a publish of fromDate..toDate starts against the stored chain (contiguous, first..last). */
function chainStart(
  chain: { first: string; last: string } | undefined,
  latest: (date: string) => DaySnapshot | undefined,
  channelId: string,
  range: { fromDate: string; toDate: string; cutoffMs: Instant },
): ChainStart {
  const { fromDate, toDate, cutoffMs } = range;
  if (!chain) return { startDate: fromDate, buildUntil: toDate, previous: undefined };
  let startDate = fromDate;
  let buildUntil = toDate;
  if (fromDate < chain.first) {
    const epoch = latest(chain.first)!;
    if (epoch.startMs <= cutoffMs) {
      throw new InputError(
        `channel '${channelId}': cannot publish ${fromDate}, before its first published day ${chain.first} which is already on air`,
        [
          {
            field: 'fromDate',
            reason: `before the channel's epoch ${chain.first}, which started airing at ${new Date(epoch.startMs).toISOString()}`,
          },
        ],
      );
    }
    // New epoch: fill up to the old one so the chain stays contiguous.
    if (buildUntil < chain.first) buildUntil = addDays(chain.first, -1);
  } else if (fromDate > addDays(chain.last, 1)) {
    startDate = addDays(chain.last, 1);
  }
  const previous = startDate > chain.first ? latest(addDays(startDate, -1))!.endState : undefined;
  return { startDate, buildUntil, previous };
}

type ReportBase = Pick<DayReport, 'channelId' | 'date' | 'requested'>;

function airedReport(base: ReportBase, s: DaySnapshot): DayReport {
  return {
    ...base,
    outcome: 'aired',
    version: s.version,
    timetable: s.timetable,
    startMs: s.startMs,
    endMs: s.endMs,
    items: s.items.length,
    firstRuns: countFirstRuns(s),
    frozenItems: s.items.length,
    warnings: [],
  };
}

interface DayStep {
  report: DayReport;
  endState: DayEndState;
  /** Did the chain change here (a new day, or one that hands on a different end state)? */
  chainChanged: boolean;
}

/**
 * Builds one day that has not aired against its published version (keeping what airs before the
 * cutoff) and writes it when its airing content changed.
 */
function publishDay(
  env: { rules: BuildRules; build: BuildDay; cutoffMs: Instant; write: (snapshot: DaySnapshot) => void },
  base: ReportBase,
  previous: DayEndState | undefined,
  published: DaySnapshot | undefined,
): DayStep {
  const { cutoffMs } = env;
  const frozenItems =
    published && published.startMs <= cutoffMs ? published.items.filter((item) => item.startMs < cutoffMs) : undefined;
  const built = env.build(env.rules, base.date, previous, frozenItems ? { frozenItems, cutoffMs } : undefined);
  const version = published ? published.version : 0;
  const candidate: DaySnapshot = { ...built.snapshot, version };
  const report = {
    ...base,
    timetable: candidate.timetable,
    startMs: candidate.startMs,
    endMs: candidate.endMs,
    items: candidate.items.length,
    firstRuns: countFirstRuns(candidate),
    frozenItems: frozenItems?.length ?? 0,
    warnings: built.warnings,
  };
  if (published && sameAiringContent(candidate, published)) {
    return { report: { ...report, outcome: 'unchanged', version }, endState: published.endState, chainChanged: false };
  }
  const next: DaySnapshot = { ...candidate, version: version + 1 };
  env.write(next);
  return {
    report: {
      ...report,
      outcome: 'new-version',
      version: next.version,
      ...(published ? { previousVersion: version } : {}),
    },
    endState: next.endState,
    chainChanged: !published || !sameJson(next.endState, published.endState),
  };
}

/**
 * Builds one channel's days in date order against the published state and hands each changed day to
 * `write` as soon as it is built (days only move forward, so a written day is never read back here).
 */
function publishChannel(
  db: Db,
  rules: BuildRules,
  request: PublishRange,
  write: (snapshot: DaySnapshot) => void,
): DayReport[] {
  const { fromDate, days, nowMs } = request;
  const build = request.buildDay ?? defaultBuildDay;
  const channelId = rules.channel.id;
  const cutoffMs = nowMs + (request.guardMs ?? DEFAULT_GUARD_MS);
  const toDate = addDays(fromDate, days - 1);

  const chain = publishedDateRange(db, channelId);
  // Outside the stored chain there is nothing to read (the chain is contiguous).
  const latest = (date: string): DaySnapshot | undefined =>
    chain && date >= chain.first && date <= chain.last ? latestSnapshot(db, channelId, date) : undefined;
  const start = chainStart(chain, latest, channelId, { fromDate, toDate, cutoffMs });
  let previous = start.previous;

  const reports: DayReport[] = [];
  let chainChanged = false;
  for (let date = start.startDate; ; date = addDays(date, 1)) {
    const published = latest(date);
    if (date > start.buildUntil && !(chainChanged && published)) break;
    const base = { channelId, date, requested: date >= fromDate && date <= toDate };
    if (published && published.endMs <= nowMs) {
      // A day's predecessor ends before it starts, so a changed predecessor of an aired day cannot happen.
      if (chainChanged)
        throw new Error(
          `channel '${channelId}' ${date}: aired day follows a changed day; the published chain is broken`,
        );
      reports.push(airedReport(base, published));
      previous = published.endState;
      continue;
    }
    const step = publishDay({ rules, build, cutoffMs, write }, base, previous, published);
    reports.push(step.report);
    chainChanged = step.chainChanged;
    previous = step.endState;
  }
  return reports;
}

/**
 * Does the day air and hand on the same thing? Everything but the version and the build warnings
 * counts (a republish cannot replay the warnings of its kept part, and warnings alone are no reason
 * for a version).
 */
function sameAiringContent(a: DaySnapshot, b: DaySnapshot): boolean {
  return sameJson({ ...a, version: 0, warnings: [] }, { ...b, version: 0, warnings: [] });
}

/**
 * Equal as JSON text would be (keys holding undefined are absent; key order aside), compared in place:
 * stringifying both sides cost two full serialisations per rebuilt day, on top of the one stored.
 * Published days come back from JSON.parse, so only JSON values meet here.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let definedKeys = 0;
  for (const key in left) {
    const value = left[key];
    if (value === undefined) continue;
    definedKeys++;
    if (!sameJson(value, right[key])) return false;
  }
  for (const key in right) if (right[key] !== undefined) definedKeys--;
  return definedKeys === 0;
}

function countFirstRuns(snapshot: DaySnapshot): number {
  let n = 0;
  for (const item of snapshot.items) if (item.kind === 'lesson') n++;
  return n;
}

function runPlans(db: Db, request: PublishRange, channelIds: string[]): PublishReport {
  validatePublishRange(request.fromDate, request.days);
  const work = () => {
    const days: DayReport[] = [];
    let written = 0;
    for (const channelId of channelIds) {
      const rules = loadBuildRules(db, channelId, request.catalog);
      const write = (snapshot: DaySnapshot) => {
        if (request.dryRun) return;
        insertSnapshot(db, snapshot, request.nowMs);
        written++;
      };
      days.push(...publishChannel(db, rules, request, write));
    }
    return {
      nowMs: request.nowMs,
      guardMs: request.guardMs ?? DEFAULT_GUARD_MS,
      dryRun: Boolean(request.dryRun),
      days,
      written,
    };
  };
  // IMMEDIATE: the read of the chain and the writes happen under one write lock (two publishers never interleave).
  if (request.dryRun) return db.transaction(work).deferred();
  const report = db.transaction(work).immediate();
  // Inside an outer transaction (a suspension switch) this precedes its commit; listeners only mark
  // their state stale and reread it on the next request, which cannot run before the synchronous commit.
  if (report.written > 0) notifyPublished(db);
  return report;
}

/**
 * Builds and publishes `days` days of one channel from `fromDate` (see the module comment for the rules). One
 * transaction.
 */
export function publishDays(options: PublishDaysOptions): PublishReport {
  getChannel(options.db, options.channelId);
  return runPlans(options.db, options, [options.channelId]);
}

/** Same for every channel, in channel-number order, in one transaction (one bad channel fails the call). */
export function publishAllChannels(options: PublishRange): PublishReport {
  return runPlans(
    options.db,
    options,
    listChannels(options.db).map((c) => c.id),
  );
}
