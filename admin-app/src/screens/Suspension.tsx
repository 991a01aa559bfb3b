/**
 * Class suspension in one form: channels, date range and the zh/en notice → a confirmation naming what will
 * change → the switch (the API stores the order and republishes every affected channel-day; the airing
 * programme is kept) → per channel, the first changed programme and the versions written. Orders in force are
 * listed with Lift (confirmed the same way). Every switch and lift is audited.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Form, Input, Label, TextArea, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { formatDateTime } from '../format';
import { localeOf, pick } from '../i18n';
import { ErrorNotice } from '../ui';
import { ChannelPicker, todayIn, useChannels } from './ChannelPicker';
import { ConfirmButton } from './Confirm';

export default function Suspension() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const channels = useChannels();
  const zone = channels.data?.channels[0]?.timezone ?? 'Asia/Shanghai';
  const [picked, setPicked] = useState<string[]>([]);
  const [from, setFrom] = useState(() => todayIn(zone));
  const [to, setTo] = useState(() => todayIn(zone));
  const [noticeZh, setNoticeZh] = useState('');
  const [noticeEn, setNoticeEn] = useState('');
  const orders = useQuery({
    queryKey: ['suspensions'],
    queryFn: () => unwrap(api.GET('/api/admin/suspensions')),
  });
  const afterSwitch = () => {
    void queryClient.invalidateQueries({ queryKey: ['suspensions'] });
    void queryClient.invalidateQueries({ queryKey: ['notices'] });
    void queryClient.invalidateQueries({ queryKey: ['guide'] });
  };
  const create = useMutation({
    mutationFn: (order: Schemas['AdminSuspensionOrder']) => unwrap(api.POST('/api/admin/suspensions', { body: order })),
    onSuccess: afterSwitch,
  });
  const lift = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/admin/suspensions/{id}', { params: { path: { id } } })),
    onSuccess: afterSwitch,
  });
  const ready = picked.length > 0 && from !== '' && to !== '' && noticeZh.trim() !== '';
  const order = (): Schemas['AdminSuspensionOrder'] =>
    ({
      from,
      to,
      channels: picked,
      notice: { zh: noticeZh.trim(), ...(noticeEn.trim() ? { en: noticeEn.trim() } : {}) },
    }) as Schemas['AdminSuspensionOrder'];

  return (
    <section aria-labelledby="suspension-title">
      <h1 id="suspension-title">{t('suspension.title')}</h1>
      <p>{t('suspension.intro')}</p>
      <Form className="form" onSubmit={(e) => e.preventDefault()}>
        <ChannelPicker label={t('suspension.channels')} value={picked} onChange={setPicked} />
        <TextField value={from} onChange={setFrom} isRequired type="date">
          <Label>{t('suspension.from')}</Label>
          <Input />
        </TextField>
        <TextField value={to} onChange={setTo} isRequired type="date">
          <Label>{t('suspension.to')}</Label>
          <Input />
        </TextField>
        <TextField value={noticeZh} onChange={setNoticeZh} isRequired>
          <Label>{t('suspension.noticeZh')}</Label>
          <TextArea lang="zh-CN" />
        </TextField>
        <TextField value={noticeEn} onChange={setNoticeEn}>
          <Label>{t('suspension.noticeEn')}</Label>
          <TextArea lang="en" />
        </TextField>
        <ConfirmButton
          label={t('suspension.switch')}
          title={t('suspension.confirmTitle')}
          confirmLabel={t('suspension.confirm')}
          isDisabled={!ready || create.isPending}
          onConfirm={() => create.mutate(order())}
        >
          <p>{t('suspension.confirmText', { channels: picked.join(', '), from, to })}</p>
          <p lang="zh-CN">{noticeZh}</p>
        </ConfirmButton>
      </Form>
      {create.isPending && <p aria-busy="true">{t('suspension.switching')}</p>}
      <ErrorNotice error={create.error} />
      {create.data && <SwitchResult result={create.data} />}

      <h2>{t('suspension.orders')}</h2>
      <ErrorNotice error={orders.error ?? lift.error} />
      {lift.data && <SwitchResult result={lift.data} />}
      {orders.data && orders.data.suspensions.length === 0 && <p>{t('common.none')}</p>}
      <ul className="orders">
        {orders.data?.suspensions.map((o) => (
          <li key={o.id} data-order={o.id}>
            <strong>{pick(o.notice, 'zh')}</strong> · {o.from} – {o.to} · {(o.channels ?? []).join(', ')}
            {(o.regions ?? []).length > 0 && ` · ${(o.regions ?? []).join(', ')}`}{' '}
            <ConfirmButton
              label={t('suspension.lift', { id: o.id })}
              title={t('suspension.liftTitle')}
              confirmLabel={t('suspension.liftConfirm')}
              isDisabled={lift.isPending}
              onConfirm={() => lift.mutate(o.id!)}
            >
              <p>{t('suspension.liftText', { id: o.id, from: o.from, to: o.to })}</p>
            </ConfirmButton>
          </li>
        ))}
      </ul>
    </section>
  );
}

function SwitchResult({ result }: { result: Schemas['AdminSwitchResult'] }) {
  const { t, i18n } = useTranslation();
  const channels = useChannels();
  const locale = localeOf(i18n.language);
  return (
    <div role="status" className="ok switch-result">
      <p>{t(`suspension.done.${result.action ?? 'created'}`)}</p>
      <ul>
        {(result.channels ?? []).map((c) => {
          const zone = channels.data?.channels.find((ch) => ch.id === c.channelId)?.timezone ?? 'UTC';
          return (
            <li key={c.channelId}>
              {t('suspension.channelResult', {
                channel: c.channelId,
                days: c.versionsWritten?.length ?? 0,
                first: c.firstChangedStartMs ? `${formatDateTime(c.firstChangedStartMs, zone, locale)} (${zone})` : '-',
                kept: c.frozenItems ?? 0,
              })}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
