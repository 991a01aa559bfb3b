/**
 * The week grid: one column a weekday, each an accessible grid list of its slots in broadcast-day order.
 * Slots move by drag and drop with the mouse, touch or keyboard (React Aria: the ≡ handle, Enter to pick up,
 * Tab/arrows to a drop place, Enter to drop) within a day (the programmes change places, the start times stay)
 * and onto other days (same start time there; dropped on a slot, the two swap). Enter on a slot opens it in
 * the slot editor.
 */
import {
  Button,
  GridList,
  GridListItem,
  isTextDropItem,
  useDragAndDrop,
  type DropItem,
  type Key,
} from 'react-aria-components';
import { useQuery } from '@tanstack/react-query';
import { memo, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { NO_NAMES, slotLabel, type SlotNames, type SlotPlace, type Title } from './slot-label';
import {
  durationOf,
  fromMinutes,
  isTime,
  toMinutes,
  WEEKDAYS,
  type DropPosition,
  type Slot,
  type SlotProblem,
  type WeekGrid,
  type Weekday,
} from './week-grid-model';

const DRAG_TYPE = 'application/x-aerial-slot';

export interface SlotRef {
  day: Weekday;
  id: string;
}

export interface WeekGridViewProps {
  grid: WeekGrid;
  dayStart: string;
  selected: SlotRef | undefined;
  problems: readonly SlotProblem[];
  onSelect(ref: SlotRef, open: boolean): void;
  onMove(from: SlotRef, to: Weekday, target?: { id: string; position: DropPosition }): void;
  onAdd(day: Weekday): void;
}

export function WeekGridView(props: WeekGridViewProps) {
  // Columns re-render only when their own slots, selection or problems change (typing in the slot form
  // changes one day): the handlers are stable, reading the latest props through a ref.
  const latest = useRef(props);
  latest.current = props;
  const handlers = useMemo<Handlers>(
    () => ({
      onSelect: (ref, open) => latest.current.onSelect(ref, open),
      onMove: (from, to, target) => latest.current.onMove(from, to, target),
      onAdd: (day) => latest.current.onAdd(day),
    }),
    [],
  );
  // A rerun is named by the first run it repeats, which may be on another day: its words are worked out here,
  // once for the grid, and reach its column as a string (equal words, no redraw).
  const label = useSlotLabel();
  const { grid, dayStart } = props;
  const rerunWords = useMemo(() => {
    const words = {} as Record<Weekday, string>;
    for (const day of WEEKDAYS) {
      const reruns = grid[day].filter((slot) => slot.kind === 'rerun');
      words[day] = JSON.stringify(Object.fromEntries(reruns.map((s) => [s.id, label(s, { grid, day, dayStart })])));
    }
    return words;
  }, [grid, dayStart, label]);
  return (
    <div className="tt-week">
      {WEEKDAYS.map((day) => (
        <DayColumn
          key={day}
          day={day}
          slots={props.grid[day]}
          dayStart={props.dayStart}
          rerunWords={rerunWords[day]}
          selectedId={props.selected?.day === day ? props.selected.id : undefined}
          badSlots={[...new Set(props.problems.filter((p) => p.day === day && p.slot).map((p) => p.slot))].join(' ')}
          {...handlers}
        />
      ))}
    </div>
  );
}

type Handlers = Pick<WeekGridViewProps, 'onSelect' | 'onMove' | 'onAdd'>;

async function readRef(items: DropItem[]): Promise<SlotRef | undefined> {
  const item = items.find(isTextDropItem);
  if (!item) return undefined;
  try {
    return JSON.parse(await item.getText(DRAG_TYPE)) as SlotRef;
  } catch {
    return undefined;
  }
}

interface DayColumnProps extends Handlers {
  day: Weekday;
  slots: Slot[];
  dayStart: string;
  selectedId: string | undefined;
  /** Ids of the slots with a problem, space-separated (a string, so that equal sets compare equal). */
  badSlots: string;
  /** The words of this day's reruns by slot id, as JSON (a string, for the same reason). */
  rerunWords: string;
}

const DayColumn = memo(function DayColumn(props: DayColumnProps) {
  const { day, slots, dayStart, selectedId, badSlots, rerunWords, onSelect, onMove, onAdd } = props;
  const { t, i18n } = useTranslation();
  const bad = useMemo(() => new Set(badSlots.split(' ')), [badSlots]);
  const slotWords = useSlotLabel();
  const label = useMemo(() => {
    const reruns = JSON.parse(rerunWords) as Record<string, string>;
    return (slot: Slot) => reruns[slot.id] ?? slotWords(slot);
  }, [rerunWords, slotWords]);
  const { dragAndDropHooks } = useDragAndDrop<Slot>({
    getItems: (keys) =>
      [...keys].map((key) => {
        const slot = slots.find((s) => s.id === key);
        return { [DRAG_TYPE]: JSON.stringify({ day, id: key }), 'text/plain': slot ? label(slot) : String(key) };
      }),
    acceptedDragTypes: [DRAG_TYPE],
    getDropOperation: () => 'move',
    onReorder: (e) => {
      const id = [...e.keys][0];
      if (id !== undefined)
        onMove({ day, id: String(id) }, day, { id: String(e.target.key), position: e.target.dropPosition });
    },
    onItemDrop: async (e) => {
      const from = await readRef(e.items);
      if (from) onMove(from, day, { id: String(e.target.key), position: 'on' });
    },
    onInsert: async (e) => {
      const from = await readRef(e.items);
      if (from) onMove(from, day, { id: String(e.target.key), position: e.target.dropPosition });
    },
    onRootDrop: async (e) => {
      const from = await readRef(e.items);
      if (from) onMove(from, day);
    },
  });
  const headingId = `tt-day-${day}`;
  const selectedKeys = useMemo(() => (selectedId ? [selectedId] : []), [selectedId]);
  return (
    <div className="tt-day" data-day={day}>
      <h3 id={headingId}>{t(`timetable.days.${day}`)}</h3>
      <GridList
        aria-labelledby={headingId}
        items={slots}
        selectionMode="single"
        selectionBehavior="replace"
        selectedKeys={selectedKeys}
        onSelectionChange={(keys) => {
          const id = [...(keys as Set<Key>)][0];
          if (id !== undefined) onSelect({ day, id: String(id) }, false);
        }}
        onAction={(id) => onSelect({ day, id: String(id) }, true)}
        dragAndDropHooks={dragAndDropHooks}
        dependencies={[badSlots, dayStart, i18n.language, label]}
        renderEmptyState={() => <p className="tt-empty">{t('timetable.emptyDay')}</p>}
        className="tt-slots"
      >
        {(slot) => {
          const index = slots.indexOf(slot);
          const minutes = durationOf(slots, index, dayStart);
          const end = isTime(slot.start) ? fromMinutes(toMinutes(slot.start) + minutes) : '?';
          const invalid = bad.has(slot.id);
          const text = `${slot.start}–${end} ${label(slot)}`;
          return (
            <GridListItem
              id={slot.id}
              textValue={invalid ? `${text} ${t('timetable.hasProblem')}` : text}
              className={`tt-slot kind-${slot.kind}${invalid ? ' invalid' : ''}`}
              data-slot={slot.id}
              style={{ minHeight: `${Math.min(120, Math.max(40, minutes))}px` }}
            >
              <Button slot="drag" aria-label={t('timetable.dragHandle', { slot: text })}>
                ≡
              </Button>
              <span className="tt-time">
                {slot.start}–{end}
              </span>
              <span className="tt-what">{label(slot)}</span>
              {invalid && (
                <span className="tt-bad" aria-hidden="true">
                  ⚠
                </span>
              )}
            </GridListItem>
          );
        }}
      </GridList>
      <Button className="react-aria-Button tt-add" onPress={() => onAdd(day)}>
        {t('timetable.addSlot', { day: t(`timetable.days.${day}`) })}
      </Button>
    </div>
  );
});

/** What a slot airs, in words (slot-label.ts), with catalog names: one function while they and the language stay. */
export function useSlotLabel(): (slot: Slot, place?: SlotPlace) => string {
  const { t, i18n } = useTranslation();
  const names = useSlotNames();
  const language = i18n.language;
  // The grid's cached rows are redrawn when this function changes (a dependency of each day's list).
  return useMemo(
    () => (slot: Slot, place?: SlotPlace) => slotLabel(slot, names, t, language, place),
    [names, t, language],
  );
}

const titlesById = (rows: readonly { id: string; title: Title }[]): ReadonlyMap<string, Title> =>
  new Map(rows.map((r) => [r.id, r.title]));
/** Stable selectors (react-query keeps a selected value while the answer is the same). */
const selectCards = (answer: { cards: { id: string; title: Title }[] }) => titlesById(answer.cards);
const selectFillers = (answer: { fillers: { id: string; title: Title }[] }) => titlesById(answer.fillers);
const selectSubjects = (answer: { volumes: { subject: string; subjectName: Title }[] }) =>
  new Map(answer.volumes.map((v) => [v.subject, v.subjectName]));

/** The catalog's names of subjects, fillers and off-air cards (the slate and the cards), by id. */
function useSlotNames(): SlotNames {
  const staleTime = 5 * 60_000;
  const cards = useQuery({
    queryKey: ['catalog-cards'],
    queryFn: () => unwrap(api.GET('/api/admin/catalog/cards')),
    select: selectCards,
    staleTime,
  });
  const fillers = useQuery({
    queryKey: ['catalog-fillers'],
    queryFn: () => unwrap(api.GET('/api/admin/catalog/fillers')),
    select: selectFillers,
    staleTime,
  });
  const subjects = useQuery({
    queryKey: ['catalog-volumes'],
    queryFn: () => unwrap(api.GET('/api/admin/catalog/volumes')),
    select: selectSubjects,
    staleTime,
  });
  return useMemo(
    () => ({
      cards: cards.data ?? NO_NAMES.cards,
      fillers: fillers.data ?? NO_NAMES.fillers,
      subjects: subjects.data ?? NO_NAMES.subjects,
    }),
    [cards.data, fillers.data, subjects.data],
  );
}
