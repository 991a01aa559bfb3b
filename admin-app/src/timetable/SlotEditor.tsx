/**
 * The selected slot's form: start time, id, kind and the kind's fields (as the API models them), each showing
 * the API's problem for that field; keyboard moves (one slot earlier/later, 5 minutes earlier/later, to another
 * day) and removal. Every change is an edit of the grid (undoable).
 */
import { useEffect, useState, type RefObject } from 'react';
import {
  Button,
  FieldError,
  Input,
  Label,
  Menu,
  MenuItem,
  MenuTrigger,
  NumberField,
  Popover,
  Radio,
  RadioGroup,
  Text,
  TextField,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import {
  isTime,
  SLOT_KINDS,
  WEEKDAYS,
  type Slot,
  type SlotKind,
  type SlotProblem,
  type Weekday,
} from './week-grid-model';

export interface SlotEditorProps {
  day: Weekday;
  slot: Slot;
  subjects: readonly string[];
  problems: readonly SlotProblem[];
  firstField: RefObject<HTMLInputElement | null>;
  onChange(patch: Partial<Slot>, field: string): void;
  onNudge(step: -1 | 1): void;
  onShift(minutes: number): void;
  onMoveToDay(day: Weekday): void;
  onRemove(): void;
}

export function SlotEditor(props: SlotEditorProps) {
  const { t } = useTranslation();
  const { slot, day, problems, onChange } = props;
  const problemOf = (field: string) => {
    const p = problems.find((x) => x.field === field);
    if (!p) return undefined;
    if (p.code === 'time') return t('timetable.problems.time');
    if (p.code === 'sameStart') return t('timetable.problems.sameStart', { other: p.reason });
    return p.reason;
  };
  const slotProblems = problems.filter((p) => p.field === undefined || !FIELDS_OF[slot.kind].includes(p.field));
  const dayName = t(`timetable.days.${day}`);
  return (
    <section className="tt-editor" aria-labelledby="tt-editor-title" data-editing={`${day}/${slot.id}`}>
      <h2 id="tt-editor-title">{t('timetable.editor.title', { day: dayName, start: slot.start })}</h2>
      {slotProblems.length > 0 && (
        <ul className="error" role="alert">
          {slotProblems.map((p, i) => (
            <li key={i}>{p.field ? t('errors.problem', { field: p.field, reason: p.reason }) : p.reason}</li>
          ))}
        </ul>
      )}
      <div className="tt-fields">
        <StartField slot={slot} error={problemOf('start')} inputRef={props.firstField} onChange={onChange} />
        <TextLike
          label={t('timetable.editor.id')}
          field="id"
          value={slot.id}
          error={problemOf('id')}
          onChange={onChange}
        />
        <RadioGroup
          className="react-aria-RadioGroup tt-kinds"
          value={slot.kind}
          onChange={(kind) => onChange({ kind: kind as SlotKind }, 'kind')}
          orientation="horizontal"
          isInvalid={!!problemOf('kind')}
        >
          <Label>{t('timetable.editor.kind')}</Label>
          {SLOT_KINDS.map((k) => (
            <Radio key={k} value={k}>
              {t(`timetable.kinds.${k}`)}
            </Radio>
          ))}
          <FieldError>{problemOf('kind')}</FieldError>
        </RadioGroup>
        {slot.kind === 'lesson' && (
          <TextLike
            label={t('timetable.editor.subject')}
            field="subject"
            value={slot.subject ?? ''}
            error={problemOf('subject')}
            description={
              props.subjects.length
                ? t('timetable.editor.subjects', { list: props.subjects.join(', ') })
                : t('timetable.editor.noCourses')
            }
            onChange={onChange}
          />
        )}
        {slot.kind === 'rerun' && (
          <TextLike
            label={t('timetable.editor.of')}
            field="of"
            value={slot.of ?? ''}
            error={problemOf('of')}
            description={t('timetable.editor.ofHelp')}
            onChange={onChange}
          />
        )}
        {(slot.kind === 'rerun' || slot.kind === 'rerun-loop') && (
          <NumberField
            value={slot.daysAgo ?? 0}
            minValue={0}
            maxValue={7}
            onChange={(n) => onChange({ daysAgo: Number.isFinite(n) ? n : 0 }, 'daysAgo')}
            isInvalid={!!problemOf('daysAgo')}
          >
            <Label>{t('timetable.editor.daysAgo')}</Label>
            <Input />
            <FieldError>{problemOf('daysAgo')}</FieldError>
          </NumberField>
        )}
        {slot.kind === 'programme' && (
          <TextLike
            label={t('timetable.editor.lesson')}
            field="lesson"
            value={slot.lesson ?? ''}
            error={problemOf('lesson')}
            onChange={onChange}
          />
        )}
        {(slot.kind === 'filler' || slot.kind === 'programme') && (
          <TextLike
            label={t('timetable.editor.asset')}
            field="asset"
            value={slot.asset ?? ''}
            error={problemOf('asset')}
            onChange={onChange}
          />
        )}
        {slot.kind === 'off-air' && (
          <TextLike
            label={t('timetable.editor.card')}
            field="card"
            value={slot.card ?? ''}
            error={problemOf('card')}
            description={t('timetable.editor.cardHelp')}
            onChange={onChange}
          />
        )}
        {(slot.kind === 'programme' || slot.kind === 'off-air') && (
          <>
            <TextLike
              label={t('timetable.editor.titleZh')}
              field="title"
              value={slot.title?.zh ?? ''}
              error={problemOf('title')}
              onChange={(patch) => onChange({ title: { ...slot.title, zh: String(patch.title) } }, 'title.zh')}
            />
            <TextLike
              label={t('timetable.editor.titleEn')}
              field="title"
              value={slot.title?.en ?? ''}
              onChange={(patch) =>
                onChange({ title: { zh: slot.title?.zh ?? '', en: String(patch.title) || undefined } }, 'title.en')
              }
            />
          </>
        )}
      </div>
      <div className="actions tt-moves">
        <Button onPress={() => props.onNudge(-1)}>{t('timetable.editor.earlierSlot')}</Button>
        <Button onPress={() => props.onNudge(1)}>{t('timetable.editor.laterSlot')}</Button>
        <Button onPress={() => props.onShift(-5)}>{t('timetable.editor.minus5')}</Button>
        <Button onPress={() => props.onShift(5)}>{t('timetable.editor.plus5')}</Button>
        <MenuTrigger>
          <Button>{t('timetable.editor.moveTo')}</Button>
          <Popover>
            <Menu onAction={(key) => props.onMoveToDay(key as Weekday)}>
              {WEEKDAYS.filter((d) => d !== day).map((d) => (
                <MenuItem key={d} id={d}>
                  {t(`timetable.days.${d}`)}
                </MenuItem>
              ))}
            </Menu>
          </Popover>
        </MenuTrigger>
        <Button className="react-aria-Button danger" onPress={props.onRemove}>
          {t('timetable.editor.remove')}
        </Button>
      </div>
    </section>
  );
}

const FIELDS_OF: Record<SlotKind, string[]> = {
  lesson: ['start', 'id', 'kind', 'subject'],
  rerun: ['start', 'id', 'kind', 'of', 'daysAgo'],
  'rerun-loop': ['start', 'id', 'kind', 'daysAgo'],
  filler: ['start', 'id', 'kind', 'asset'],
  programme: ['start', 'id', 'kind', 'lesson', 'asset', 'title'],
  'off-air': ['start', 'id', 'kind', 'title', 'card'],
};

/** The start time: a native time input (type the hours and minutes); a complete time is an edit. */
function StartField(props: {
  slot: Slot;
  error: string | undefined;
  inputRef: RefObject<HTMLInputElement | null>;
  onChange(patch: Partial<Slot>, field: string): void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(props.slot.start);
  useEffect(() => setDraft(props.slot.start), [props.slot.start, props.slot.id]);
  return (
    <TextField
      type="time"
      value={draft}
      onChange={(value) => {
        setDraft(value);
        if (isTime(value) && value !== props.slot.start) props.onChange({ start: value }, 'start');
      }}
      isInvalid={!!props.error}
    >
      <Label>{t('timetable.editor.start')}</Label>
      <Input ref={props.inputRef} />
      <FieldError>{props.error}</FieldError>
    </TextField>
  );
}

function TextLike(props: {
  label: string;
  field: string;
  value: string;
  error?: string | undefined;
  description?: string;
  onChange(patch: Partial<Slot>, field: string): void;
}) {
  return (
    <TextField
      value={props.value}
      onChange={(value) => props.onChange({ [props.field]: value }, props.field)}
      isInvalid={!!props.error}
    >
      <Label>{props.label}</Label>
      <Input />
      {props.description && <Text slot="description">{props.description}</Text>}
      <FieldError>{props.error}</FieldError>
    </TextField>
  );
}
