/**
 * Warnings from the last build of a channel (GET /api/admin/build-warnings): when it was last published, in the
 * channel's zone (named), and per published day not yet ended the warnings its build gave; while media is still being
 * prepared, how many warnings that explains (the API sets them aside).
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { formatDateTime } from '../format';
import { warningText, type WarningFacts } from '../warning-text';

export function useBuildWarnings() {
  return useQuery({
    queryKey: ['build-warnings'],
    queryFn: () => unwrap(api.GET('/api/admin/build-warnings', { params: { query: { days: 2 } } })),
    refetchInterval: 60_000,
  });
}

export function ChannelBuildWarnings({
  warnings,
  locale,
}: {
  warnings: Schemas['AdminChannelBuildWarnings'] | undefined;
  locale: string;
}) {
  const { t } = useTranslation();
  if (!warnings) return null;
  const zone = warnings.timezone;
  const at = (ms: number) => `${formatDateTime(ms, zone, locale)} (${zone})`;
  const days = warnings.days.filter((d) => d.warnings.length > 0);
  // Set aside by the API while media is still being prepared (the sample's staged start): not faults to act on.
  const waiting = warnings.days.reduce((n, d) => n + d.waiting, 0);
  return (
    <div className="build-warnings" data-build-warnings>
      <p>
        {warnings.lastPublishedAtMs === null
          ? t('buildWarnings.never')
          : t('onAir.lastBuild', { time: at(warnings.lastPublishedAtMs) })}
      </p>
      {waiting > 0 && (
        <p className="preparing" data-waiting={waiting}>
          {t('buildWarnings.waiting', { count: waiting })}
        </p>
      )}
      {days.length === 0 ? (
        <p className="ok">{t('onAir.noWarnings')}</p>
      ) : (
        <details open>
          <summary className="failing">
            {t('onAir.warnings')}:{' '}
            {t('buildWarnings.count', { count: days.reduce((n, d) => n + d.warnings.length, 0) })}
          </summary>
          {days.map((day) => (
            <div key={day.date}>
              <p>{t('buildWarnings.day', { date: day.date, version: day.version, time: at(day.publishedAtMs) })}</p>
              <ul>
                {day.warnings.map((w, i) => (
                  <WarningLine key={i} warning={w} />
                ))}
              </ul>
            </div>
          ))}
        </details>
      )}
    </div>
  );
}

/** One build warning in the console's language (warning-text.ts); the server's English sentence on hover. */
export function WarningLine({ warning }: { warning: WarningFacts }) {
  const { t, i18n } = useTranslation();
  const { text, detail } = warningText(warning, t, i18n.language);
  return (
    <li title={detail} data-warning={warning.code}>
      {text}
    </li>
  );
}
