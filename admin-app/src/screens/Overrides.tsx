/**
 * Overrides: a one-day change to a channel's programme — insert a programme at a time (the flag-raising
 * ceremony) or replace a timetable slot on a date (a public-health message) — with a searchable lesson or
 * filler picker. Times are the channel's local times, its zone named. The channel's overrides are listed in
 * airing order with Remove; `#/overrides?channel=g4&id=…` (the guide's "why is this airing" link) lands on one.
 * An override airs once that day is published again (Preview & publish).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import {
  Button,
  ComboBox,
  Form,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Radio,
  RadioGroup,
  TextField,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { pick } from '../i18n';
import {
  addDays,
  byAiring,
  formGaps,
  overrideBody,
  overrideIdOf,
  slotChoices,
  type Content,
  type OverrideForm,
  type Timetables,
} from '../overrides-model';
import { href, useRoute } from '../route';
import { ErrorNotice } from '../ui';
import { useAdminChannels, type AdminChannel } from './admin-channels';
import { todayIn } from './ChannelPicker';
import { LessonPicker, searchText } from './LessonPicker';
import { ConfirmButton } from './Confirm';
import './programming.css';

type Override = Schemas['AdminOverride'];

export default function Overrides() {
  const { t, i18n } = useTranslation();
  const route = useRoute();
  const channels = useAdminChannels();
  const channelId = route.params.get('channel') ?? channels.data?.[0]?.id;
  const channel = channels.data?.find((c) => c.id === channelId);
  const target = route.params.get('id') ?? undefined;
  return (
    <section aria-labelledby="overrides-title">
      <h1 id="overrides-title">{t('overrides.title')}</h1>
      <p>{t('overrides.intro')}</p>
      <ErrorNotice error={channels.error} />
      <div className="field narrow">
        <label htmlFor="overrides-channel">{t('overrides.channel')}</label>
        <select
          id="overrides-channel"
          value={channelId ?? ''}
          onChange={(e) => (window.location.hash = href('overrides', { channel: e.target.value }))}
        >
          {channels.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.number} {pick(c.name, i18n.language)}
            </option>
          ))}
        </select>
      </div>
      {channel && <ChannelOverrides key={channel.id} channel={channel} target={target} />}
    </section>
  );
}

function ChannelOverrides({ channel, target }: { channel: AdminChannel; target: string | undefined }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const zone = channel.timezone;
  const overrides = useQuery({
    queryKey: ['overrides', channel.id],
    queryFn: () => unwrap(api.GET('/api/admin/overrides', { params: { query: { channel: channel.id } } })),
  });
  const changed = () => queryClient.invalidateQueries({ queryKey: ['overrides'] });
  const create = useMutation({
    mutationFn: (body: Override) => unwrap(api.POST('/api/admin/overrides', { body })),
    onSuccess: changed,
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/admin/overrides/{id}', { params: { path: { id } } })),
    onSuccess: changed,
  });
  const list = byAiring((overrides.data?.overrides ?? []) as Array<Override & { with: { start: string } }>);
  return (
    <>
      <h2>{t('overrides.new')}</h2>
      <NewOverride
        channel={channel}
        isSaving={create.isPending}
        onCreate={(body) => {
          remove.reset();
          create.mutate(body);
        }}
      />
      <ErrorNotice error={create.error} />
      {create.isSuccess && (
        <p role="status" className="ok">
          {t('overrides.created', { id: create.data.id })} <a href={href('publish')}>{t('overrides.toPublish')}</a>
        </p>
      )}
      <h2 id="overrides-list">{t('overrides.list', { zone })}</h2>
      <ErrorNotice error={overrides.error ?? remove.error} />
      {overrides.data && list.length === 0 && <p>{t('common.none')}</p>}
      <ul className="overrides" aria-labelledby="overrides-list">
        {list.map((o) => (
          <OverrideItem
            key={o.id}
            override={o}
            zone={zone}
            isTarget={o.id === target}
            isRemoving={remove.isPending}
            onRemove={() => {
              create.reset();
              remove.mutate(o.id);
            }}
          />
        ))}
      </ul>
    </>
  );
}

function OverrideItem(props: {
  override: Override;
  zone: string;
  isTarget: boolean;
  isRemoving: boolean;
  onRemove(): void;
}) {
  const { t, i18n } = useTranslation();
  const { override: o } = props;
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (props.isTarget) {
      ref.current?.scrollIntoView({ block: 'center' });
      ref.current?.focus();
    }
  }, [props.isTarget]);
  const what = o.with as { kind: string; lesson?: string; asset?: string; title?: { zh: string; en?: string } };
  const content = what.title ? pick(what.title, i18n.language) : (what.lesson ?? what.asset ?? what.kind);
  return (
    <li
      ref={ref}
      tabIndex={props.isTarget ? -1 : undefined}
      data-override={o.id}
      className={props.isTarget ? 'card target' : 'card'}
      aria-current={props.isTarget ? 'true' : undefined}
    >
      <strong>
        {o.date} {o.with.start} ({props.zone})
      </strong>{' '}
      · {o.action === 'replace' ? t('overrides.replaces', { slot: o.slot }) : t('overrides.inserts')} · {content}
      {what.lesson && what.title && ` (${what.lesson})`} · <code>{o.id}</code>{' '}
      <ConfirmButton
        label={t('overrides.remove', { id: o.id })}
        title={t('overrides.removeTitle')}
        confirmLabel={t('overrides.removeConfirm')}
        isDisabled={props.isRemoving}
        onConfirm={props.onRemove}
      >
        <p>{t('overrides.removeText', { id: o.id, date: o.date })}</p>
      </ConfirmButton>
    </li>
  );
}

function NewOverride(props: { channel: AdminChannel; isSaving: boolean; onCreate(body: Override): void }) {
  const { t } = useTranslation();
  const { channel } = props;
  const [date, setDate] = useState(() => addDays(todayIn(channel.timezone), 1));
  const [action, setAction] = useState<'insert' | 'replace'>('insert');
  const [slot, setSlot] = useState('');
  const [start, setStart] = useState('07:45');
  const [kind, setKind] = useState<Content['kind']>('lesson');
  const [picked, setPicked] = useState('');
  const [titleZh, setTitleZh] = useState('');
  const [titleEn, setTitleEn] = useState('');
  const slots = slotChoices(channel.timetables as Timetables, date);
  const content: Content = kind === 'lesson' ? { kind, lesson: picked } : { kind, asset: picked };
  const form: OverrideForm = {
    channel: channel.id,
    date,
    action,
    start,
    content,
    titleZh,
    titleEn,
    ...(action === 'replace' ? { slot } : {}),
  };
  const gaps = formGaps(form);
  return (
    <Form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (gaps.length === 0) props.onCreate(overrideBody(form) as Override);
      }}
    >
      <TextField value={date} onChange={setDate} isRequired type="date">
        <Label>{t('overrides.date')}</Label>
        <Input />
      </TextField>
      <RadioGroup value={action} onChange={(v) => setAction(v as 'insert' | 'replace')}>
        <Label>{t('overrides.action')}</Label>
        <Radio value="insert">{t('overrides.insert')}</Radio>
        <Radio value="replace">{t('overrides.replace')}</Radio>
      </RadioGroup>
      {action === 'replace' && (
        <div className="field narrow">
          <label htmlFor="override-slot">{t('overrides.slot')}</label>
          <select
            id="override-slot"
            value={slot}
            onChange={(e) => {
              setSlot(e.target.value);
              const chosen = slots.find((s) => s.id === e.target.value);
              if (chosen) setStart(chosen.start);
            }}
          >
            <option value="">{t('overrides.chooseSlot')}</option>
            {slots.map((s) => (
              <option key={s.id} value={s.id}>
                {s.start} · {s.id} · {t(`overrides.slotKinds.${s.kind}`, { defaultValue: s.kind })} (
                {s.timetables.join(', ')})
              </option>
            ))}
          </select>
        </div>
      )}
      <TextField value={start} onChange={setStart} isRequired type="time">
        <Label>{t('overrides.start', { zone: channel.timezone })}</Label>
        <Input />
      </TextField>
      <RadioGroup
        value={kind}
        onChange={(v) => {
          setKind(v as Content['kind']);
          setPicked('');
        }}
      >
        <Label>{t('overrides.content')}</Label>
        <Radio value="lesson">{t('overrides.lesson')}</Radio>
        <Radio value="filler">{t('overrides.filler')}</Radio>
      </RadioGroup>
      {kind === 'lesson' ? (
        <LessonPicker
          label={t('overrides.lessonPicker')}
          value={picked || undefined}
          onChange={(id) => setPicked(id ?? '')}
          packagedOnly
        />
      ) : (
        <FillerPicker onChange={setPicked} />
      )}
      <TextField value={titleZh} onChange={setTitleZh}>
        <Label>{t('overrides.titleZh')}</Label>
        <Input lang="zh-CN" />
      </TextField>
      <TextField value={titleEn} onChange={setTitleEn}>
        <Label>{t('overrides.titleEn')}</Label>
        <Input lang="en" />
      </TextField>
      <p className="hint">
        {gaps.length > 0
          ? t('overrides.missing', { fields: gaps.map((g) => t(`overrides.gaps.${g}`)).join(t('calendar.separator')) })
          : t('overrides.willCreate', { id: overrideIdOf(form) })}
      </p>
      <Button type="submit" isDisabled={gaps.length > 0 || props.isSaving}>
        {t('overrides.create')}
      </Button>
    </Form>
  );
}

interface Option {
  id: string;
  label: string;
}

function Picker(props: {
  label: string;
  options: Option[];
  inputValue: string;
  onInputChange(value: string): void;
  onChange(id: string): void;
  isLoading: boolean;
}) {
  const { t } = useTranslation();
  return (
    <ComboBox
      items={props.options}
      inputValue={props.inputValue}
      onInputChange={props.onInputChange}
      onSelectionChange={(key) => props.onChange(key === null ? '' : String(key))}
      defaultFilter={() => true}
      allowsEmptyCollection
      menuTrigger="focus"
      className="react-aria-ComboBox picker"
    >
      <Label>{props.label}</Label>
      <div className="combo">
        <Input />
        <Button aria-label={t('overrides.showOptions')}>▾</Button>
      </div>
      <Popover>
        <ListBox renderEmptyState={() => (props.isLoading ? t('common.loading') : t('overrides.noMatch'))}>
          {(item: Option) => (
            <ListBoxItem id={item.id} textValue={item.label}>
              {item.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}

function FillerPicker(props: { onChange(id: string): void }) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const fillers = useQuery({
    queryKey: ['catalog-fillers'],
    queryFn: () => unwrap(api.GET('/api/admin/catalog/fillers')),
  });
  const needle = searchText(text).toLowerCase();
  const options = (fillers.data?.fillers ?? [])
    .map((f) => ({ id: f.id, label: `${pick(f.title, i18n.language)} · ${f.id}` }))
    .filter((o) => o.label.toLowerCase().includes(needle));
  return (
    <Picker
      label={t('overrides.fillerPicker')}
      options={options}
      inputValue={text}
      onInputChange={setText}
      onChange={props.onChange}
      isLoading={fillers.isFetching}
    />
  );
}
