/**
 * School calendar per region: terms, holidays and make-up workdays (调休: a weekend day that follows a weekday's
 * timetable) on a month calendar. Choose a day or a range on the calendar (keyboard: arrows, Enter at each
 * end), then add it as a term, a holiday or a make-up workday; every change is a PUT of the region's calendar
 * (audited) and the API's field problems show here. Dates are the region's own calendar dates.
 */
import { parseDate, type CalendarDate } from '@internationalized/date';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Button,
  CalendarCell,
  CalendarGrid,
  Form,
  Heading,
  Input,
  Label,
  RangeCalendar,
  TextField,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import {
  addRange,
  emptyCalendar,
  marksOf,
  normalizeCalendar,
  regionChoices,
  removeEntry,
  setMakeUpDay,
  weekdayOf,
  WEEKDAYS,
  type DateRange,
  type EntryKind,
  type RangeKind,
  type SchoolCalendar,
  type Weekday,
} from '../calendar-model';
import { ErrorNotice } from '../ui';
import { useAdminChannels } from './admin-channels';
import { todayIn } from './ChannelPicker';
import './programming.css';

interface Range {
  start: CalendarDate;
  end: CalendarDate;
}

export default function Calendar() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const channels = useAdminChannels();
  const calendars = useQuery({
    queryKey: ['calendars'],
    queryFn: async () => (await unwrap(api.GET('/api/admin/calendars'))).calendars.map(normalizeCalendar),
  });
  const regions = regionChoices(
    (calendars.data ?? []).map((c) => c.region),
    (channels.data ?? []).flatMap((c) => c.regions ?? []),
  );
  const [chosen, setChosen] = useState<string>();
  const [newRegion, setNewRegion] = useState('');
  const region = chosen ?? regions[0];
  const calendar = region ? (calendars.data?.find((c) => c.region === region) ?? emptyCalendar(region)) : undefined;

  const save = useMutation({
    mutationFn: (next: SchoolCalendar) =>
      unwrap(api.PUT('/api/admin/calendars/{region}', { params: { path: { region: next.region } }, body: next })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['calendars'] }),
  });

  return (
    <section aria-labelledby="calendar-title">
      <h1 id="calendar-title">{t('calendar.title')}</h1>
      <p>{t('calendar.intro')}</p>
      <ErrorNotice error={channels.error ?? calendars.error} />
      <div className="form inline">
        <div className="field narrow">
          <label htmlFor="calendar-region">{t('calendar.region')}</label>
          <select id="calendar-region" value={region ?? ''} onChange={(e) => setChosen(e.target.value)}>
            {regions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <Form
          className="form inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (newRegion.trim()) setChosen(newRegion.trim());
            setNewRegion('');
          }}
        >
          <TextField value={newRegion} onChange={setNewRegion}>
            <Label>{t('calendar.newRegion')}</Label>
            <Input />
          </TextField>
          <Button type="submit">{t('calendar.addRegion')}</Button>
        </Form>
      </div>
      {calendar && (
        <RegionCalendar
          key={calendar.region}
          today={todayIn(channels.data?.[0]?.timezone ?? 'Asia/Shanghai')}
          calendar={calendar}
          isSaving={save.isPending}
          onSave={(next) => save.mutate(next)}
        />
      )}
      <ErrorNotice error={save.error} />
      {save.isSuccess && (
        <p role="status" className="ok">
          {t('calendar.saved', { region: save.data.region })}
        </p>
      )}
    </section>
  );
}

function RegionCalendar(props: {
  calendar: SchoolCalendar;
  today: string;
  isSaving: boolean;
  onSave(next: SchoolCalendar): void;
}) {
  const { t } = useTranslation();
  const { calendar } = props;
  const [range, setRange] = useState<Range | null>(null);
  const [name, setName] = useState('');
  const [follows, setFollows] = useState<Weekday>('mon');
  const start = range?.start.toString();
  const end = range?.end.toString();
  const single = start !== undefined && start === end;
  const addAs = (kind: RangeKind) => {
    if (!start || !end) return;
    props.onSave(addRange(calendar, kind, { name, start, end }));
    setName('');
  };
  return (
    <div className="calendar-layout">
      <div>
        <RangeCalendar
          aria-label={t('calendar.monthOf', { region: calendar.region })}
          value={range}
          onChange={setRange}
          defaultFocusedValue={parseDate(props.today)}
          className="react-aria-RangeCalendar month"
        >
          <header>
            <Button slot="previous">{t('calendar.previous')}</Button>
            <Heading />
            <Button slot="next">{t('calendar.next')}</Button>
          </header>
          <CalendarGrid>{(date) => <DayCell date={date} calendar={calendar} />}</CalendarGrid>
        </RangeCalendar>
        <ul className="legend" aria-label={t('calendar.legend')}>
          <li className="mark-term">{t('calendar.term')}</li>
          <li className="mark-holiday">{t('calendar.holiday')}</li>
          <li className="mark-makeup">{t('calendar.makeUp')}</li>
        </ul>
      </div>
      <div className="calendar-side">
        <h2>{t('calendar.chosen')}</h2>
        <p aria-live="polite" data-chosen>
          {start && end ? <ChosenText calendar={calendar} start={start} end={end} /> : t('calendar.chooseHint')}
        </p>
        <Form className="form" onSubmit={(e) => e.preventDefault()}>
          <TextField value={name} onChange={setName}>
            <Label>{t('calendar.name')}</Label>
            <Input />
          </TextField>
          <div className="actions">
            <Button isDisabled={!start || props.isSaving} onPress={() => addAs('terms')}>
              {t('calendar.addTerm')}
            </Button>
            <Button isDisabled={!start || props.isSaving} onPress={() => addAs('holidays')}>
              {t('calendar.addHoliday')}
            </Button>
          </div>
          <div className="field narrow">
            <label htmlFor="makeup-follows">{t('calendar.follows')}</label>
            <select id="makeup-follows" value={follows} onChange={(e) => setFollows(e.target.value as Weekday)}>
              {WEEKDAYS.map((d) => (
                <option key={d} value={d}>
                  {t(`calendar.weekdays.${d}`)}
                </option>
              ))}
            </select>
          </div>
          <Button
            isDisabled={!single || props.isSaving}
            onPress={() => start && props.onSave(setMakeUpDay(calendar, start, follows))}
          >
            {t('calendar.addMakeUp')}
          </Button>
        </Form>
      </div>
      <Entries calendar={calendar} isSaving={props.isSaving} onSave={props.onSave} />
    </div>
  );
}

function DayCell({ date, calendar }: { date: CalendarDate; calendar: SchoolCalendar }) {
  const marks = marksOf(calendar, date.toString());
  const classes = [marks.term && 'mark-term', marks.holiday && 'mark-holiday', marks.makeUp && 'mark-makeup'].filter(
    Boolean,
  );
  return (
    <CalendarCell
      date={date}
      className={({ isSelected, isOutsideMonth }) =>
        ['react-aria-CalendarCell', ...classes, isSelected && 'selected', isOutsideMonth && 'outside']
          .filter(Boolean)
          .join(' ')
      }
    />
  );
}

function ChosenText({ calendar, start, end }: { calendar: SchoolCalendar; start: string; end: string }) {
  const { t } = useTranslation();
  if (start !== end) return <>{t('calendar.chosenRange', { start, end })}</>;
  const marks = marksOf(calendar, start);
  const parts = [t('calendar.chosenDay', { date: start, weekday: t(`calendar.weekdays.${weekdayOf(start)}`) })];
  if (marks.term)
    parts.push(t('calendar.inTerm', { name: marks.term.name ?? `${marks.term.start}–${marks.term.end}` }));
  if (marks.holiday)
    parts.push(t('calendar.inHoliday', { name: marks.holiday.name ?? `${marks.holiday.start}–${marks.holiday.end}` }));
  if (marks.makeUp) parts.push(t('calendar.isMakeUp', { weekday: t(`calendar.weekdays.${marks.makeUp.follows}`) }));
  return <>{parts.join(t('calendar.separator'))}</>;
}

function Entries(props: { calendar: SchoolCalendar; isSaving: boolean; onSave(next: SchoolCalendar): void }) {
  const { t } = useTranslation();
  const { calendar } = props;
  const remove = (kind: EntryKind, index: number) => props.onSave(removeEntry(calendar, kind, index));
  const rangeRows = (kind: RangeKind, ranges: DateRange[]) =>
    ranges.map((r, i) => (
      <tr key={`${r.start}-${r.end}-${i}`}>
        <td>{r.name ?? ''}</td>
        <td>{r.start}</td>
        <td>{r.end}</td>
        <td>
          <Button isDisabled={props.isSaving} onPress={() => remove(kind, i)}>
            {t('calendar.remove', { what: `${r.name ?? ''} ${r.start}–${r.end}`.trim() })}
          </Button>
        </td>
      </tr>
    ));
  const rangeTable = (kind: RangeKind, title: string) => (
    <>
      <h2 id={`calendar-${kind}`}>{title}</h2>
      {calendar[kind].length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        <table aria-labelledby={`calendar-${kind}`}>
          <thead>
            <tr>
              <th scope="col">{t('calendar.name')}</th>
              <th scope="col">{t('calendar.start')}</th>
              <th scope="col">{t('calendar.end')}</th>
              <th scope="col">{t('calendar.actions')}</th>
            </tr>
          </thead>
          <tbody>{rangeRows(kind, calendar[kind])}</tbody>
        </table>
      )}
    </>
  );
  return (
    <div className="calendar-entries">
      {rangeTable('terms', t('calendar.terms'))}
      {rangeTable('holidays', t('calendar.holidays'))}
      <h2 id="calendar-makeups">{t('calendar.makeUps')}</h2>
      {calendar.makeUpDays.length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        <table aria-labelledby="calendar-makeups">
          <thead>
            <tr>
              <th scope="col">{t('calendar.date')}</th>
              <th scope="col">{t('calendar.follows')}</th>
              <th scope="col">{t('calendar.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {calendar.makeUpDays.map((d, i) => (
              <tr key={d.date} data-makeup={d.date}>
                <td>
                  {d.date} ({t(`calendar.weekdays.${weekdayOf(d.date)}`)})
                </td>
                <td>{t('calendar.followsDay', { weekday: t(`calendar.weekdays.${d.follows}`) })}</td>
                <td>
                  <Button isDisabled={props.isSaving} onPress={() => remove('makeUpDays', i)}>
                    {t('calendar.remove', { what: d.date })}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
