/** Choose channels (all by default) from the public channel list; shared by the publish and suspension forms. */
import { useQuery } from '@tanstack/react-query';
import { Checkbox, CheckboxGroup, Label } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { pick } from '../i18n';
import { ErrorNotice } from '../ui';

export function useChannels() {
  return useQuery({ queryKey: ['channels'], queryFn: () => unwrap(api.GET('/api/channels')) });
}

export function ChannelPicker(props: { label: string; value: string[]; onChange(value: string[]): void }) {
  const { i18n } = useTranslation();
  const channels = useChannels();
  return (
    <>
      <ErrorNotice error={channels.error} />
      <CheckboxGroup value={props.value} onChange={props.onChange} className="checkbox-group">
        <Label>{props.label}</Label>
        {channels.data?.channels.map((c) => (
          <Checkbox key={c.id} value={c.id}>
            <span className="box" aria-hidden="true" />
            {c.number} {pick(c.name, i18n.language)}
          </Checkbox>
        ))}
      </CheckboxGroup>
    </>
  );
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone: string, nowMs = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    nowMs,
  );
}
