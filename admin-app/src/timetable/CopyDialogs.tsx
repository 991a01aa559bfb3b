/**
 * Bulk copies: a day's slots over other days of the template being edited (an undoable edit), and the saved
 * template to the same-named template of other channels (one `PUT …/timetables/:name` per channel through the
 * API, each answered on its own: a channel whose courses lack a subject says so and keeps its timetable).
 */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Checkbox, CheckboxGroup, Label, Radio, RadioGroup } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import { pick } from '../i18n';
import { DialogButton } from '../screens/Confirm';
import { WEEKDAYS, type ApiTimetable, type Weekday } from './week-grid-model';

export function CopyDayDialog(props: { onCopy(from: Weekday, to: Weekday[]): void }) {
  const { t } = useTranslation();
  const [from, setFrom] = useState<Weekday>('mon');
  const [to, setTo] = useState<string[]>([]);
  return (
    <DialogButton label={t('timetable.copyDay.open')} title={t('timetable.copyDay.title')}>
      {(close) => (
        <>
          <RadioGroup value={from} onChange={(v) => setFrom(v as Weekday)} orientation="horizontal">
            <Label>{t('timetable.copyDay.from')}</Label>
            {WEEKDAYS.map((d) => (
              <Radio key={d} value={d}>
                {t(`timetable.days.${d}`)}
              </Radio>
            ))}
          </RadioGroup>
          <CheckboxGroup value={to} onChange={setTo} className="checkbox-group">
            <Label>{t('timetable.copyDay.to')}</Label>
            {WEEKDAYS.filter((d) => d !== from).map((d) => (
              <Checkbox key={d} value={d}>
                <span className="box" aria-hidden="true" />
                {t(`timetable.days.${d}`)}
              </Checkbox>
            ))}
          </CheckboxGroup>
          <p>{t('timetable.copyDay.note')}</p>
          <div className="actions">
            <Button onPress={close}>{t('common.cancel')}</Button>
            <Button
              isDisabled={to.filter((d) => d !== from).length === 0}
              onPress={() => {
                props.onCopy(
                  from,
                  to.filter((d) => d !== from).map((d) => d as Weekday),
                );
                setTo([]);
                close();
              }}
            >
              {t('timetable.copyDay.confirm')}
            </Button>
          </div>
        </>
      )}
    </DialogButton>
  );
}

interface Outcome {
  channel: string;
  ok: boolean;
  message: string;
}

export function CopyToChannelsDialog(props: {
  channel: string;
  name: string;
  timetable: ApiTimetable;
  channels: readonly { id: string; number: number; name: { zh: string; en?: string } }[];
  isDisabled: boolean;
  onCopied(): void;
}) {
  const { t, i18n } = useTranslation();
  const [picked, setPicked] = useState<string[]>([]);
  const copy = useMutation({
    mutationFn: async (targets: string[]): Promise<Outcome[]> => {
      const outcomes: Outcome[] = [];
      for (const id of targets) {
        const { error, response } = await api.PUT('/api/admin/channels/{id}/timetables/{name}', {
          params: { path: { id, name: props.name } },
          body: props.timetable as never,
        });
        if (response.ok) outcomes.push({ channel: id, ok: true, message: t('timetable.copyChannels.done') });
        else {
          const body = (error ?? {}) as { error?: string; problems?: ApiError['problems'] };
          const problems = (body.problems ?? []).map((p) => `${p.field ?? ''} ${p.reason}`.trim());
          outcomes.push({
            channel: id,
            ok: false,
            message: [body.error ?? response.statusText, ...problems].join(' · '),
          });
        }
      }
      return outcomes;
    },
    onSuccess: props.onCopied,
  });
  const others = props.channels.filter((c) => c.id !== props.channel);
  return (
    <DialogButton
      label={t('timetable.copyChannels.open')}
      title={t('timetable.copyChannels.title', { name: props.name })}
      isDisabled={props.isDisabled}
      onOpenChange={(open) => open && copy.reset()}
    >
      {(close) => (
        <>
          <CheckboxGroup value={picked} onChange={setPicked} className="checkbox-group">
            <Label>{t('timetable.copyChannels.to')}</Label>
            {others.map((c) => (
              <Checkbox key={c.id} value={c.id}>
                <span className="box" aria-hidden="true" />
                {c.number} {pick(c.name, i18n.language)}
              </Checkbox>
            ))}
          </CheckboxGroup>
          <p>{t('timetable.copyChannels.note', { name: props.name, channel: props.channel })}</p>
          {copy.data && (
            <ul role="status" className="tt-outcomes">
              {copy.data.map((o) => (
                <li key={o.channel} className={o.ok ? 'ok' : 'error'}>
                  {o.channel}: {o.message}
                </li>
              ))}
            </ul>
          )}
          <div className="actions">
            <Button onPress={close}>{t('common.close')}</Button>
            <Button isDisabled={picked.length === 0 || copy.isPending} onPress={() => copy.mutate(picked)}>
              {t('timetable.copyChannels.confirm', { n: picked.length })}
            </Button>
          </div>
        </>
      )}
    </DialogButton>
  );
}
