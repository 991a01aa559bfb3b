/**
 * Timetables (`#/timetables?channel=g3&template=term&day=mon&slot=p1`): per channel, its week templates
 * (`term`, `holiday`, `suspension`, and any other it has) as an editable week grid, times in the channel's
 * time zone (named). Unsaved edits are guarded: leaving the screen, switching channel or template asks first,
 * and closing or reloading the tab has the browser ask.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import {
  Button,
  Dialog,
  Heading,
  Label,
  ListBox,
  ListBoxItem,
  Modal,
  ModalOverlay,
  Popover,
  Radio,
  RadioGroup,
  Select,
  SelectValue,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { localeOf, pick } from '../i18n';
import { setLeaveGuard } from '../leave-guard';
import { useRoute } from '../route';
import { TimetableEditor } from '../timetable/TimetableEditor';
import { WEEKDAYS, type Weekday } from '../timetable/week-grid-model';
import { ErrorNotice } from '../ui';
import '../timetable/timetable.css';

const REQUIRED = ['term', 'holiday', 'suspension'];

export default function Timetables() {
  const { t, i18n } = useTranslation();
  const { params } = useRoute();
  const channels = useQuery({
    queryKey: ['admin-channels'],
    queryFn: () => unwrap(api.GET('/api/admin/channels')),
  });
  const [channelId, setChannelId] = useState<string | undefined>(params.get('channel') ?? undefined);
  const [name, setName] = useState(params.get('template') ?? 'term');
  const [dirty, setDirty] = useState(false);
  const [leaving, setLeaving] = useState<(() => void) | undefined>(undefined);
  useLeaveGuard(dirty, (go) => setLeaving(() => go));

  const list = channels.data?.channels ?? [];
  const channel = list.find((c) => c.id === channelId) ?? list[0];
  const names = channel ? [...new Set([...REQUIRED, ...Object.keys(channel.timetables)])] : REQUIRED;
  const day = params.get('day');
  const initialSlot =
    day && (WEEKDAYS as readonly string[]).includes(day) && params.get('slot')
      ? { day: day as Weekday, id: params.get('slot')! }
      : undefined;

  /** Runs `change` now, or after the broadcaster agrees to drop the unsaved edits. */
  const guarded = (change: () => void) => (dirty ? setLeaving(() => change) : change());

  return (
    <section aria-labelledby="timetables-title" className="tt">
      <h1 id="timetables-title">{t('timetable.title')}</h1>
      <p>{t('timetable.intro')}</p>
      <ErrorNotice error={channels.error} onRetry={() => void channels.refetch()} />
      {channels.isPending && <p aria-busy="true">{t('common.loading')}</p>}
      {channel && (
        <>
          <div className="tt-pickers">
            <Select
              selectedKey={channel.id}
              onSelectionChange={(key) => guarded(() => setChannelId(String(key)))}
              className="react-aria-Select tt-channel"
            >
              <Label>{t('timetable.channel')}</Label>
              <Button>
                <SelectValue />
                <span aria-hidden="true"> ▾</span>
              </Button>
              <Popover>
                <ListBox>
                  {list.map((c) => (
                    <ListBoxItem key={c.id} id={c.id} textValue={`${c.number} ${pick(c.name, i18n.language)}`}>
                      {c.number} {pick(c.name, i18n.language)}
                    </ListBoxItem>
                  ))}
                </ListBox>
              </Popover>
            </Select>
            <RadioGroup
              value={name}
              onChange={(value) => guarded(() => setName(value))}
              orientation="horizontal"
              className="react-aria-RadioGroup"
            >
              <Label>{t('timetable.template')}</Label>
              {names.map((n) => (
                <Radio key={n} value={n}>
                  {REQUIRED.includes(n) ? t(`timetable.templates.${n}`) : n}
                </Radio>
              ))}
            </RadioGroup>
          </div>
          <p className="tt-zone">
            {t('timetable.zone', {
              zone: channel.timezone,
              zoneName: zoneName(channel.timezone, localeOf(i18n.language)),
              dayStart: channel.dayStart,
            })}
            {hasDst(channel.timezone) && ` ${t('timetable.dst')}`}
          </p>
          <TimetableEditor
            key={`${channel.id}/${name}`}
            channel={channel}
            name={name}
            channels={list}
            initialSlot={initialSlot}
            onDirty={setDirty}
          />
        </>
      )}
      <ModalOverlay isOpen={leaving !== undefined} onOpenChange={(open) => !open && setLeaving(undefined)}>
        <Modal>
          <Dialog role="alertdialog">
            <Heading slot="title">{t('timetable.leave.title')}</Heading>
            <p>{t('timetable.leave.text')}</p>
            <div className="actions">
              <Button autoFocus onPress={() => setLeaving(undefined)}>
                {t('timetable.leave.stay')}
              </Button>
              <Button
                className="react-aria-Button danger"
                onPress={() => {
                  const go = leaving;
                  setLeaving(undefined);
                  setDirty(false);
                  go?.();
                }}
              >
                {t('timetable.leave.discard')}
              </Button>
            </div>
          </Dialog>
        </Modal>
      </ModalOverlay>
    </section>
  );
}

/**
 * While `dirty`: closing or reloading the tab makes the browser ask (`beforeunload`), and leaving the screen
 * (a link to another screen, Back, signing out) is held and `ask(go)` is called with what would have happened.
 */
function useLeaveGuard(dirty: boolean, ask: (go: () => void) => void) {
  const askRef = useRef(ask);
  askRef.current = ask;
  useEffect(() => {
    if (!dirty) return;
    let here = window.location.href;
    const leaves = (url: URL) =>
      url.origin === window.location.origin &&
      url.pathname === window.location.pathname &&
      url.hash.startsWith('#/') &&
      !url.hash.startsWith('#/timetables');
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    // A link to another screen (the nav): held before the address changes, so the route never sees it.
    const onClick = (e: MouseEvent) => {
      const link = (e.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      if (!leaves(new URL(link.href))) return;
      e.preventDefault();
      askRef.current(() => {
        stop();
        window.location.href = link.href;
      });
    };
    // Back/Forward or a typed address: put the address back and ask.
    const onHashChange = () => {
      const target = window.location.href;
      if (!leaves(new URL(target))) {
        here = target;
        return;
      }
      window.history.replaceState(window.history.state, '', here);
      askRef.current(() => {
        stop();
        window.location.href = target;
      });
    };
    const stop = () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
      window.removeEventListener('hashchange', onHashChange, true);
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    // Capturing, so that it runs before the route's own listener (the DOM runs capturing listeners first).
    window.addEventListener('hashchange', onHashChange, true);
    // Signing out (Header) asks the same way.
    const clearGuard = setLeaveGuard((go) =>
      askRef.current(() => {
        stop();
        go();
      }),
    );
    return () => {
      stop();
      clearGuard();
    };
  }, [dirty]);
}

/** "China Standard Time", "中国标准时间"… (the zone's long name in the console's language). */
function zoneName(timeZone: string, locale: string): string {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'long' }).formatToParts(Date.now());
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  } catch {
    return timeZone;
  }
}

/** Whether the zone changes its offset during the year (daylight saving time). */
function hasDst(timeZone: string): boolean {
  try {
    const offset = (month: number) =>
      new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
        .formatToParts(Date.UTC(new Date().getUTCFullYear(), month, 1))
        .find((p) => p.type === 'timeZoneName')?.value;
    return offset(0) !== offset(6);
  } catch {
    return false;
  }
}
