import type { Instant } from '../../playlists/model.ts';
import { ConflictError, InputError, NotFoundError, type Problem } from '../errors.ts';
import { broadcastDateAt, daysBetween } from '../schedule/broadcast-date.ts';
import type { Channel, SuspensionOrder } from '../schedule/channel-document.ts';
import { deleteDocumentEntry, listChannels, listSuspensions } from '../schedule/channels-repository.ts';
import { publishedDateRange } from '../schedule/snapshots-repository.ts';
import { importOneEntry } from './programming.ts';
import { runPublish, type DayDiff, type ScheduleEnv } from './schedule-changes.ts';

/**
 * Class suspension in one call. Storing, changing or lifting an order (validated as in the channel
 * document) republishes, in the same transaction, every published day it touches on every channel it
 * affects, at now: today changes only after now + guard (the airing programme is never cut and
 * sequence numbers only grow), later days are rebuilt whole, and days after the order whose end state
 * (curriculum progression) changed are rebuilt too. The published days then carry the order's notice
 * (→ /api/notices, XMLTV, the guide, the TV app). Days not yet published get it at the nightly build.
 */

export interface ChannelSwitch {
  channelId: string;
  /** Published dates republished, inclusive; absent when the order touches no published day of this channel. */
  from?: string;
  to?: string;
  /** Start of the first item that differs from what was published (absent if nothing changed). */
  firstChangedStartMs?: Instant;
  versionsWritten: Array<{ date: string; version: number; timetable: string; notice?: string }>;
  /** Items kept on today's day because they started (or start within the guard) before the switch. */
  frozenItems: number;
}

export interface SwitchResult {
  order: SuspensionOrder;
  action: 'created' | 'updated' | 'lifted';
  nowMs: Instant;
  channels: ChannelSwitch[];
}

function channelsOf(order: SuspensionOrder, channels: readonly Channel[]): Channel[] {
  return channels.filter((c) => order.channels.includes(c.id) || order.regions.some((r) => c.regions.includes(r)));
}

function todayOf(channel: Channel, nowMs: Instant): string {
  return broadcastDateAt(nowMs, channel.timezone, channel.dayStart);
}

/** Beyond the schema: every region must reach a channel, and the order must not be over already. */
function checkReach(order: SuspensionOrder, channels: readonly Channel[], nowMs: Instant): void {
  const problems: Problem[] = [];
  order.regions.forEach((region, i) => {
    if (!channels.some((c) => c.regions.includes(region)))
      problems.push({ field: `regions[${i}]`, reason: `no channel serves region '${region}'` });
  });
  const affected = channelsOf(order, channels);
  if (affected.length > 0 && affected.every((c) => order.to < todayOf(c, nowMs))) {
    problems.push({
      field: 'to',
      reason: `${order.to} is in the past (today is ${todayOf(affected[0]!, nowMs)}); an order must reach today or later`,
    });
  }
  if (problems.length) throw new InputError('bad suspension order', problems);
}

export function findSuspension(env: Pick<ScheduleEnv, 'db'>, id: string): SuspensionOrder | undefined {
  return listSuspensions(env.db).find((s) => s.id === id);
}

/** Republishes, for each channel either order affects, the published days within either order's dates (from today). */
function republish(
  env: ScheduleEnv,
  before: SuspensionOrder | undefined,
  after: SuspensionOrder | undefined,
  nowMs: Instant,
): ChannelSwitch[] {
  const channels = listChannels(env.db);
  const affected = new Map<string, Channel>();
  for (const order of [before, after]) if (order) for (const c of channelsOf(order, channels)) affected.set(c.id, c);
  const orders = [before, after].filter((o): o is SuspensionOrder => o !== undefined);
  const from = orders.map((o) => o.from).sort()[0]!;
  const to = orders
    .map((o) => o.to)
    .sort()
    .at(-1)!;
  const results: ChannelSwitch[] = [];
  for (const channel of [...affected.values()].sort((a, b) => a.number - b.number)) {
    const chain = publishedDateRange(env.db, channel.id);
    const today = todayOf(channel, nowMs);
    const first = [from, today, chain?.first ?? today].sort().at(-1)!;
    const last = chain && to > chain.last ? chain.last : to;
    if (!chain || first > last) {
      results.push({ channelId: channel.id, versionsWritten: [], frozenItems: 0 });
      continue;
    }
    const [run] = runPublish(env, [channel.id], first, daysBetween(first, last) + 1, nowMs, false);
    const written = run!.diffs.filter((d) => d.outcome === 'new-version');
    results.push({
      channelId: channel.id,
      from: first,
      to: last,
      ...firstChange(written),
      versionsWritten: written.map((d) => ({
        date: d.date,
        version: d.nextVersion!,
        timetable: d.timetable,
        ...(d.notice ? { notice: d.notice.orderId } : {}),
      })),
      frozenItems: run!.diffs.find((d) => d.date === first)?.frozenItems ?? 0,
    });
  }
  return results;
}

function firstChange(written: DayDiff[]): { firstChangedStartMs?: Instant } {
  const starts = written.flatMap((d) => [
    ...d.added.map((i) => i.startMs),
    ...d.removed.map((i) => i.startMs),
    ...d.moved.map((m) => Math.min(m.fromStartMs, m.toStartMs)),
  ]);
  return starts.length ? { firstChangedStartMs: Math.min(...starts) } : {};
}

/**
 * Creates (`replace` false: the id must be new) or replaces an order, and switches the affected days. Caller's
 * transaction.
 */
export function saveSuspension(env: ScheduleEnv, body: unknown, nowMs: Instant, replaceId?: string): SwitchResult {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new InputError('request body: expected a JSON object (a suspension order)', [
      { field: '(body)', reason: 'expected a JSON object (a suspension order)' },
    ]);
  const input = { ...(body as Record<string, unknown>) };
  if (replaceId !== undefined) {
    if (input.id !== undefined && input.id !== replaceId)
      throw new InputError('id does not match the URL', [
        { field: 'id', reason: `'${String(input.id)}' differs from '${replaceId}' in the URL` },
      ]);
    input.id = replaceId;
  } else if (input.id === undefined && typeof input.from === 'string') {
    input.id = nextOrderId(env, input.from);
  }
  const before = typeof input.id === 'string' ? findSuspension(env, input.id) : undefined;
  if (replaceId !== undefined && !before) throw new NotFoundError(`unknown suspension order '${replaceId}'`);
  if (replaceId === undefined && before)
    throw new ConflictError(
      `suspension order '${before.id}' already exists; PUT /api/admin/suspensions/${before.id} changes it`,
    );
  importOneEntry(env.db, { suspensions: [input] }, 'suspensions[0]');
  const after = findSuspension(env, input.id as string)!;
  checkReach(after, listChannels(env.db), nowMs);
  return {
    order: after,
    action: before ? 'updated' : 'created',
    nowMs,
    channels: republish(env, before, after, nowMs),
  };
}

/** Lifts (deletes) an order and switches its days back. Caller's transaction. */
export function liftSuspension(env: ScheduleEnv, id: string, nowMs: Instant): SwitchResult {
  const before = findSuspension(env, id);
  if (!before) throw new NotFoundError(`unknown suspension order '${id}'`);
  deleteDocumentEntry(env.db, 'suspension', id);
  return { order: before, action: 'lifted', nowMs, channels: republish(env, before, undefined, nowMs) };
}

function nextOrderId(env: ScheduleEnv, from: string): string {
  const base = `suspension-${from}`.replace(/[^a-z0-9-]/g, '-').slice(0, 56);
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!findSuspension(env, id)) return id;
  }
}
