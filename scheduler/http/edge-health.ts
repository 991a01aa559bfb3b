import type { PublishedStoreReader } from '../distribution/store-reader.ts';
import type { Clock } from '../clock.ts';
import type { HealthCheck, HealthReport } from './health.ts';

/**
 * /healthz of an edge origin: it has read a published state from the store (a failed poll since is reported
 * but keeps it serving what it holds), and every channel has a published day on air now. No database, no cron.
 */
export function checkEdgeHealth(reader: PublishedStoreReader, clock: Clock): HealthReport {
  const nowMs = clock();
  const state = reader.state();
  const poll = reader.lastPoll();
  const checks: HealthCheck[] = [
    {
      name: 'store',
      ok: state !== undefined,
      detail: state || !poll.ok ? poll.detail : 'nothing read yet',
      // Nothing read yet (not published, or unreachable), or read and serving it with the last poll failing.
      facts: { code: !state ? 'store-not-read' : poll.ok ? 'store-read' : 'store-failing' },
    },
  ];
  if (state) {
    const off: string[] = [];
    let lastEndMs = Infinity;
    for (const id of state.channelIds) {
      const days = state.days.get(id) ?? [];
      if (!days.some((d) => d.startMs <= nowMs && nowMs < d.endMs)) off.push(id);
      lastEndMs = Math.min(lastEndMs, days.at(-1)?.endMs ?? nowMs);
    }
    checks.push(
      off.length
        ? {
            name: 'published-horizon',
            ok: false,
            detail: `no published day on air now: ${off.join(', ')}`,
            facts: { code: 'off-air', channelIds: off },
          }
        : {
            name: 'published-horizon',
            ok: true,
            detail: `${state.channelIds.length} channel(s) on air; every one published until at least ${
              Number.isFinite(lastEndMs) ? new Date(lastEndMs).toISOString() : 'now'
            }`,
            facts: {
              code: 'on-air',
              channels: state.channelIds.length,
              ...(Number.isFinite(lastEndMs) ? { atMs: lastEndMs } : {}),
            },
          },
    );
  }
  return { status: checks.every((c) => c.ok) ? 'ok' : 'failing', checkedAt: new Date(nowMs).toISOString(), checks };
}
