/**
 * On air now: every channel's current and next programme with progress (computed from the clock and the
 * published guide), its suspension notice, a preview player and the live playlist URL; and the /healthz checks.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Label, ProgressBar } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { formatClock, formatDateTime, progressAt } from '../format';
import { healthText } from '../health-text';
import { localeOf, pick } from '../i18n';
import { CopyField, ErrorNotice, useNow } from '../ui';
import { ChannelBuildWarnings, useBuildWarnings } from './BuildWarnings';
import { Player } from './Player';

const MINUTE = 60_000;

export default function OnAir() {
  const { t, i18n } = useTranslation();
  const now = useNow(5000);
  // The guide window moves a minute at a time, so its query key (and the HTTP cache) stays stable meanwhile.
  const windowStart = Math.floor(now / MINUTE) * MINUTE - 60 * MINUTE;
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => unwrap(api.GET('/api/channels')) });
  const guide = useQuery({
    queryKey: ['guide', 'on-air', windowStart],
    queryFn: () =>
      unwrap(
        api.GET('/api/guide', {
          params: {
            query: {
              from: new Date(windowStart).toISOString(),
              to: new Date(windowStart + 7 * 60 * MINUTE).toISOString(),
            },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  const notices = useQuery({ queryKey: ['notices'], queryFn: () => unwrap(api.GET('/api/notices')) });
  const builds = useBuildWarnings();
  const preparingText = usePreparingText();

  const error = channels.error ?? guide.error ?? notices.error;
  const locale = localeOf(i18n.language);
  return (
    <section aria-labelledby="on-air-title">
      <h1 id="on-air-title">{t('onAir.title')}</h1>
      <ErrorNotice error={error} onRetry={() => void Promise.all([channels.refetch(), guide.refetch()])} />
      {(channels.isPending || guide.isPending) && !error && <p aria-busy="true">{t('common.loading')}</p>}
      {builds.data?.preparingFacts && (
        <p className="preparing" data-preparing>
          {preparingText(builds.data.preparingFacts)}
        </p>
      )}
      <ul className="channel-cards">
        {channels.data?.channels.map((channel) => (
          <ChannelCard
            key={channel.id}
            channel={channel}
            guide={guide.data?.channels.find((g) => g.channelId === channel.id)}
            notice={notices.data?.notices.find((n) => n.channels.includes(channel.id))}
            warnings={builds.data?.channels.find((w) => w.channelId === channel.id)}
            nowMs={now}
            locale={locale}
          />
        ))}
      </ul>
      <Health preparing={builds.data?.preparingFacts ?? null} />
    </section>
  );
}

function ChannelCard(props: {
  channel: Schemas['Channel'];
  guide: Schemas['ChannelGuide'] | undefined;
  notice: Schemas['Notice'] | undefined;
  warnings: Schemas['AdminChannelBuildWarnings'] | undefined;
  nowMs: number;
  locale: string;
}) {
  const { channel, guide, notice, warnings, nowMs, locale } = props;
  const { t, i18n } = useTranslation();
  const [previewing, setPreviewing] = useState(false);
  const programmes = guide?.programmes ?? [];
  const index = programmes.findIndex((p) => p.startMs <= nowMs && nowMs < p.endMs);
  const current = index >= 0 ? programmes[index] : undefined;
  const next = programmes[index >= 0 ? index + 1 : programmes.findIndex((p) => p.startMs > nowMs)];
  const name = pick(channel.name, i18n.language);
  const zone = channel.timezone;
  const span = (p: Schemas['Programme']) =>
    t('onAir.until', { start: formatClock(p.startMs, zone, locale), end: formatClock(p.endMs, zone, locale), zone });
  const headingId = `channel-${channel.id}`;
  return (
    <li className="card" aria-labelledby={headingId} data-channel={channel.id}>
      <h2 id={headingId}>
        <span className="number">{channel.number}</span> {name}
      </h2>
      {notice && <p className="notice">{t('onAir.notice', { text: pick(notice.text, i18n.language) })}</p>}
      {current ? (
        <div className="now">
          <ProgressBar value={Math.round(progressAt(current.startMs, current.endMs, nowMs) * 100)}>
            {({ percentage }) => (
              <>
                <Label>
                  {t('onAir.now')}: <strong>{pick(current.title, i18n.language)}</strong> · {span(current)}
                </Label>
                <div className="bar">
                  <div className="fill" style={{ width: `${percentage}%` }} />
                </div>
                <span className="value">{t('onAir.progress', { percent: Math.round(percentage ?? 0) })}</span>
              </>
            )}
          </ProgressBar>
        </div>
      ) : (
        <p>{t('onAir.nothing')}</p>
      )}
      {next && (
        <p className="next">
          {t('onAir.next')}: {pick(next.title, i18n.language)} · {span(next)}
        </p>
      )}
      <ChannelBuildWarnings warnings={warnings} locale={locale} />
      <CopyField label={t('onAir.playlistUrl')} value={channel.streamUrl} />
      <Button onPress={() => setPreviewing((v) => !v)} aria-expanded={previewing}>
        {previewing ? t('onAir.stopPreview') : t('onAir.preview')}
      </Button>
      {previewing && <Player src={channel.streamUrl} label={t('onAir.playerLabel', { channel: name })} />}
    </li>
  );
}

/** What is still being prepared, worded from the API's facts in the console's language (as /healthz's check). */
function usePreparingText(): (facts: Schemas['AdminPreparingFacts']) => string {
  const { t, i18n } = useTranslation();
  return (facts) => healthText({ code: 'preparing', ...facts }, t, localeOf(i18n.language));
}

/**
 * /healthz's checks, each named and worded in the console's language from its facts (health-text.ts; the preparing
 * check from the build-warnings facts, as the line above the channels); the server's English detail on hover.
 */
function Health({ preparing }: { preparing: Schemas['AdminPreparingFacts'] | null }) {
  const { t, i18n } = useTranslation();
  const preparingText = usePreparingText();
  const health = useQuery({
    queryKey: ['healthz'],
    // 503 still carries the report (which checks fail and why).
    queryFn: async () => {
      const { data, error } = await api.GET('/healthz');
      return (data ?? error) as Schemas['HealthReport'];
    },
    refetchInterval: 30_000,
  });
  const report = health.data;
  return (
    <section aria-labelledby="health-title" className="health">
      <h2 id="health-title">{t('onAir.health')}</h2>
      <ErrorNotice error={health.error} />
      {report && (
        <>
          <p className={report.status === 'ok' ? 'ok' : 'failing'}>
            {report.status === 'ok' ? t('onAir.healthOk') : t('onAir.healthFailing')} ·{' '}
            {t('onAir.checkedAt', {
              time: formatDateTime(Date.parse(report.checkedAt), 'UTC', localeOf(i18n.language)) + ' UTC',
            })}
          </p>
          <ul>
            {report.checks.map((check) => (
              <li key={check.name} data-check={check.name} className={check.ok ? 'ok' : 'failing'}>
                <span aria-hidden="true">{check.ok ? '✓' : '✗'}</span> {t(`onAir.checks.${check.name}`)}:{' '}
                <span title={check.detail}>
                  {check.name === 'preparing' && preparing
                    ? preparingText(preparing)
                    : check.facts
                      ? healthText(check.facts, t, localeOf(i18n.language))
                      : check.detail}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
