/**
 * Guide: channels × time for a chosen day (in the first channel's zone, named), zoomable; a programme's details
 * on click (lesson, unit, first run or rerun, captions) with "why is this airing" from the server
 * (`/api/admin/guide/why`): the weekly-template slot, override or gap fill behind the airing, linked to that slot
 * in the timetable editor or to that override.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Button, Input, Label, TextField, ToggleButton, ToggleButtonGroup, type Key } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { formatClock } from '../format';
import { localeOf, pick } from '../i18n';
import { localMidnightMs, place, whyTarget } from '../guide-model';
import { href } from '../route';
import { ErrorNotice } from '../ui';
import { todayIn, useChannels } from './ChannelPicker';

const ZOOMS = [1, 2, 4] as const;
const DAY_MS = 86_400_000;

export default function Guide() {
  const { t, i18n } = useTranslation();
  const channels = useChannels();
  const zone = channels.data?.channels[0]?.timezone ?? 'Asia/Shanghai';
  const [date, setDate] = useState(() => todayIn(zone));
  const [zoom, setZoom] = useState<number>(2);
  const [selected, setSelected] = useState<{ channel: Schemas['Channel']; programme: Schemas['Programme'] }>();
  const fromMs = /^\d{4}-\d{2}-\d{2}$/.test(date) ? localMidnightMs(date, zone) : undefined;
  const toMs = fromMs === undefined ? undefined : localMidnightMs(nextDate(date), zone);
  const guide = useQuery({
    queryKey: ['guide', 'day', fromMs, toMs],
    enabled: fromMs !== undefined,
    // A day of 12 channels is ~0.5 MB of JSON: comparing it with the previous answer costs more than it saves.
    structuralSharing: false,
    queryFn: () =>
      unwrap(
        api.GET('/api/guide', {
          params: { query: { from: new Date(fromMs!).toISOString(), to: new Date(toMs!).toISOString() } },
        }),
      ),
  });
  const locale = localeOf(i18n.language);
  const widthPx = (((toMs ?? 0) - (fromMs ?? 0)) / 60_000) * zoom;
  const hours = useMemo(() => {
    const marks: number[] = [];
    if (fromMs === undefined || toMs === undefined) return marks;
    for (let ms = fromMs; ms < toMs; ms += 3_600_000) marks.push(ms);
    return marks;
  }, [fromMs, toMs]);

  return (
    <section aria-labelledby="guide-title">
      <h1 id="guide-title">{t('guide.title')}</h1>
      <div className="form inline">
        <TextField value={date} onChange={setDate} type="date">
          <Label>{t('guide.date')}</Label>
          <Input />
        </TextField>
        <ToggleButtonGroup
          aria-label={t('guide.zoom')}
          selectionMode="single"
          disallowEmptySelection
          selectedKeys={[String(zoom)]}
          onSelectionChange={(keys: Set<Key>) => setZoom(Number([...keys][0]))}
        >
          {ZOOMS.map((z) => (
            <ToggleButton key={z} id={String(z)}>
              {t('guide.zoomLevel', { pixels: z })}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <span>{t('guide.zone', { zone })}</span>
      </div>
      <ErrorNotice error={channels.error ?? guide.error} />
      {guide.isFetching && <p aria-busy="true">{t('common.loading')}</p>}
      {selected && <Details {...selected} date={date} locale={locale} onClose={() => setSelected(undefined)} />}
      <div className="guide-scroll">
        <div className="guide" style={{ width: widthPx + 160 }}>
          <div className="guide-hours" aria-hidden="true" style={{ marginLeft: 160 }}>
            {hours.map((ms) => (
              <span key={ms} style={{ left: ((ms - fromMs!) / 60_000) * zoom }}>
                {formatClock(ms, zone, locale)}
              </span>
            ))}
          </div>
          {guide.data?.channels.map((row) => {
            const channel = channels.data?.channels.find((c) => c.id === row.channelId);
            if (!channel) return null;
            const name = `${channel.number} ${pick(channel.name, i18n.language)}`;
            return (
              <div className="guide-row" key={row.channelId} role="group" aria-label={name} data-channel={channel.id}>
                <span className="guide-channel">{name}</span>
                <div className="guide-track" style={{ width: widthPx }}>
                  {row.programmes.map((p) => {
                    const at = place(p.startMs, p.endMs, fromMs!, toMs!, zoom);
                    return (
                      // A native button: hundreds of them per day, and react-aria's per-button hooks made the
                      // 12-channel day take seconds to draw (bench:admin-app measures it).
                      <button
                        type="button"
                        key={p.id}
                        className={`programme kind-${p.kind}`}
                        style={{ left: at.leftPx, width: at.widthPx }}
                        aria-label={`${formatClock(p.startMs, zone, locale)} ${pick(p.title, i18n.language)}`}
                        onClick={() => setSelected({ channel, programme: p })}
                      >
                        {pick(p.title, i18n.language)}
                      </button>
                    );
                  })}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + DAY_MS).toISOString().slice(0, 10);
}

function Details(props: {
  channel: Schemas['Channel'];
  programme: Schemas['Programme'];
  date: string;
  locale: string;
  onClose(): void;
}) {
  const { channel, programme: p, locale } = props;
  const { t, i18n } = useTranslation();
  const zone = channel.timezone;
  const why = useQuery({
    queryKey: ['guide-why', channel.id, p.startMs],
    queryFn: () =>
      unwrap(api.GET('/api/admin/guide/why', { params: { query: { channel: channel.id, at: p.startMs } } })),
  });
  const lesson = useQuery({
    queryKey: ['lesson', p.lessonId],
    enabled: p.lessonId !== undefined,
    queryFn: () => unwrap(api.GET('/api/lessons/{id}', { params: { path: { id: p.lessonId! } } })),
  });
  const captions = lesson.data?.captions ?? [];
  return (
    <section className="card details" aria-labelledby="details-title" aria-live="polite">
      <h2 id="details-title">{pick(p.title, i18n.language)}</h2>
      <dl>
        <dt>{t('guide.when')}</dt>
        <dd>
          {formatClock(p.startMs, zone, locale)}–{formatClock(p.endMs, zone, locale)} ({zone})
        </dd>
        <dt>{t('guide.kind')}</dt>
        <dd>{t(`guide.kinds.${p.kind}`)}</dd>
        {p.unit && (
          <>
            <dt>{t('guide.unit')}</dt>
            <dd>
              {p.unitNumber !== undefined && t('guide.unitNumber', { n: p.unitNumber })} {pick(p.unit, i18n.language)}
              {p.lessonNumber !== undefined && ` · ${t('guide.lessonNumber', { n: p.lessonNumber })}`}
            </dd>
          </>
        )}
        {p.lessonId && (
          <>
            <dt>{t('guide.captions')}</dt>
            <dd>{captions.length ? captions.join(', ') : t('common.none')}</dd>
          </>
        )}
        <dt>{t('guide.why')}</dt>
        <dd data-why>{why.data ? <WhyAiring why={why.data} /> : why.isPending && t('common.loading')}</dd>
        {why.data?.suspensionOrderId !== undefined && (
          <dd data-why-suspension>{t('guide.bySuspension', { id: why.data.suspensionOrderId })}</dd>
        )}
      </dl>
      <ErrorNotice error={why.error ?? lesson.error} />
      <Button onPress={props.onClose}>{t('common.close')}</Button>
    </section>
  );
}

/** The server's answer as a sentence, linked to the slot in the timetable editor or to the override. */
function WhyAiring({ why }: { why: Schemas['AdminAiringWhy'] }) {
  const { t } = useTranslation();
  const target = whyTarget(why);
  const text =
    why.source === 'override'
      ? t(`guide.byOverride.${why.overrideAction ?? 'insert'}`, {
          id: why.overrideId,
          date: why.date,
          slot: why.replacedSlotId,
        })
      : why.source === 'slot'
        ? t('guide.bySlot', {
            slot: why.slotId,
            template: t(`timetable.templates.${why.template}`, { defaultValue: why.template }),
            day: t(`timetable.days.${why.weekday}`),
            date: why.date,
          })
        : t('guide.byGap');
  return target ? <a href={href(target.name, target.params)}>{text}</a> : <>{text}</>;
}
