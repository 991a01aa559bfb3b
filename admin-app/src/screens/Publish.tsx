/**
 * Preview → diff → publish. The preview builds the chosen channel-days exactly as a publish would and shows,
 * per day, what it adds, removes and moves, and the build warnings; Publish writes exactly that preview. A 409
 * (inputs or airing changed since) explains itself and offers to preview again. Both steps are audited.
 */
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form, Input, Label, NumberField, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap, type Schemas } from '../api/client';
import { formatDateTime } from '../format';
import { localeOf } from '../i18n';
import { ErrorNotice } from '../ui';
import { ChannelPicker, todayIn, useChannels } from './ChannelPicker';
import { WarningLine } from './BuildWarnings';

type Request = Schemas['AdminPreviewRequest'];

export default function Publish() {
  const { t } = useTranslation();
  const channels = useChannels();
  const zone = channels.data?.channels[0]?.timezone ?? 'Asia/Shanghai';
  const [picked, setPicked] = useState<string[]>([]);
  const [from, setFrom] = useState(() => todayIn(zone));
  const [days, setDays] = useState(1);

  const preview = useMutation({
    mutationFn: (request: Request) => unwrap(api.POST('/api/admin/previews', { body: request })),
  });
  const publish = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/admin/previews/{id}/publish', { params: { path: { id } } })),
  });
  const request = (): Request => ({ from, days, ...(picked.length ? { channels: picked } : {}) });
  const runPreview = () => {
    publish.reset();
    preview.mutate(request());
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    runPreview();
  }

  const conflict = publish.error instanceof ApiError && publish.error.status === 409;
  return (
    <section aria-labelledby="publish-title">
      <h1 id="publish-title">{t('publish.title')}</h1>
      <p>{t('publish.intro')}</p>
      <Form onSubmit={submit} className="form">
        <ChannelPicker label={t('publish.channels')} value={picked} onChange={setPicked} />
        <TextField value={from} onChange={setFrom} isRequired type="date">
          <Label>{t('publish.from')}</Label>
          <Input />
        </TextField>
        <NumberField value={days} onChange={setDays} minValue={1} maxValue={31} isRequired>
          <Label>{t('publish.days')}</Label>
          <Input />
        </NumberField>
        <Button type="submit" isDisabled={preview.isPending}>
          {preview.isPending ? t('publish.previewing') : t('publish.preview')}
        </Button>
      </Form>
      <ErrorNotice error={preview.error} />
      {preview.data && (
        <PreviewView
          preview={preview.data}
          publishing={publish.isPending}
          published={publish.data}
          onPublish={() => publish.mutate(preview.data.id)}
        />
      )}
      {conflict ? (
        <div role="alert" className="error">
          <p>{t('publish.conflict')}</p>
          <p className="detail">{(publish.error as ApiError).message}</p>
          <Button onPress={runPreview}>{t('publish.previewAgain')}</Button>
        </div>
      ) : (
        <ErrorNotice error={publish.error} />
      )}
    </section>
  );
}

function PreviewView(props: {
  preview: Schemas['AdminPreview'];
  publishing: boolean;
  published: Schemas['AdminPublishResult'] | undefined;
  onPublish(): void;
}) {
  const { preview, published } = props;
  const { t } = useTranslation();
  const channels = useChannels();
  const zoneOf = (id: string) => channels.data?.channels.find((c) => c.id === id)?.timezone ?? 'UTC';
  const changed = preview.changedDays;
  return (
    <section aria-labelledby="diff-title" className="diff">
      <h2 id="diff-title">{t('publish.diffTitle', { count: changed })}</h2>
      {preview.days.map((day) => (
        <DayDiff key={`${day.channelId}/${day.date}`} day={day} zone={zoneOf(day.channelId)} />
      ))}
      {published ? (
        <div role="status" className="ok">
          <p>{t('publish.published', { count: published.written.length })}</p>
          <ul>
            {published.written.map((w) => (
              <li key={`${w.channelId}/${w.date}`}>
                {t('publish.written', { channel: w.channelId, date: w.date, version: w.version })}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <Button onPress={props.onPublish} isDisabled={props.publishing || changed === 0}>
          {props.publishing ? t('publish.publishing') : t('publish.publish', { count: changed })}
        </Button>
      )}
    </section>
  );
}

function DayDiff({ day, zone }: { day: Schemas['AdminDayDiff']; zone: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const at = (ms: number) => formatDateTime(ms, zone, locale);
  const moved = day.moved ?? [];
  const warnings = day.warnings ?? [];
  const headingId = `day-${day.channelId}-${day.date}`;
  return (
    <article className="card day-diff" aria-labelledby={headingId} data-day={`${day.channelId}/${day.date}`}>
      <h3 id={headingId}>
        {day.channelId} · {day.date} · {t(`publish.outcome.${day.outcome}`)}
      </h3>
      <p>
        {t('publish.versions', {
          from: day.publishedVersion,
          to: day.nextVersion ?? day.publishedVersion,
          timetable: day.timetable,
        })}{' '}
        · {t('publish.zone', { zone })}
        {day.frozenItems > 0 && ` · ${t('publish.frozen', { count: day.frozenItems })}`}
      </p>
      {day.added.length + day.removed.length + moved.length === 0 ? (
        <p>{t('publish.noChanges')}</p>
      ) : (
        <ul className="changes">
          {day.added.map((i) => (
            <li key={`+${i.id}`} className="added">
              {t('publish.added', { title: i.title, start: at(i.startMs) })}
            </li>
          ))}
          {day.removed.map((i) => (
            <li key={`-${i.id}`} className="removed">
              {t('publish.removed', { title: i.title, start: at(i.startMs) })}
            </li>
          ))}
          {moved.map((i) => (
            <li key={`~${i.id}`} className="moved">
              {t('publish.moved', { title: i.title, from: at(i.fromStartMs), to: at(i.toStartMs) })}
            </li>
          ))}
        </ul>
      )}
      {warnings.length > 0 && (
        <>
          <h4>{t('publish.warnings')}</h4>
          <ul className="warnings">
            {warnings.map((w, index) => (
              <WarningLine key={index} warning={w} />
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
