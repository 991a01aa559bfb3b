/**
 * A /healthz check's finding in the console's language, from its facts (`code` and its figures), e.g.
 * "可读（12 个条目）", "g4 未发布到 7 天后（已发布 2026-12-01 至 2026-12-03，需要 2026-12-03 至 2026-12-09）".
 * The check's `detail` (the server's English sentence, for monitoring tools) is kept for the tooltip. Pure.
 */
import type { components } from './api/schema.d.ts';
import { formatDateTime } from './format.ts';

type Translate = (key: string, options?: Record<string, unknown>) => string;
type Facts = components['schemas']['HealthFacts'];

export function healthText(facts: Facts, t: Translate, locale: string): string {
  const key = `onAir.facts.${facts.code}`;
  const at = facts.atMs === undefined ? '' : `${formatDateTime(facts.atMs, 'UTC', locale)} UTC`;
  const list = (items: readonly string[] | undefined) => (items ?? []).join(t('onAir.facts.separator'));
  switch (facts.code) {
    case 'horizon-short':
      return (facts.short ?? [])
        .map((c) =>
          t(c.first ? 'onAir.facts.horizon-short' : 'onAir.facts.horizon-none', {
            channel: c.channelId,
            days: facts.days,
            first: c.first,
            last: c.last,
            from: c.from,
            to: c.to,
          }),
        )
        .join(t('onAir.facts.sentenceSeparator'));
    case 'preparing':
      return t(`onAir.preparing.${facts.items ?? 'media'}`, {
        source: t(`onAir.sources.${facts.source}`, { defaultValue: facts.source }),
        remaining: facts.remaining,
        total: facts.total,
      });
    default:
      return t(key, {
        ...facts,
        at,
        zones: list(facts.zones),
        zoneCount: facts.zones?.length ?? 0,
        channelIds: list(facts.channelIds),
      });
  }
}
