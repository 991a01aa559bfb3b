/**
 * One channel's one template being edited: the week grid, the selected slot's form, undo/redo, copy a day,
 * save (`PUT /api/admin/channels/:id/timetables/:name`), and the API's problems placed on the slots and fields
 * they name. Edits stay local until saved; `onDirty` tells the screen (its leave guard) whether any are unsaved.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import { ErrorNotice } from '../ui';
import { CopyDayDialog, CopyToChannelsDialog } from './CopyDialogs';
import { SlotEditor } from './SlotEditor';
import {
  addSlot,
  copyDay,
  fromApi,
  localProblems,
  moveToDay,
  nudgeSlot,
  placeProblems,
  record,
  redo,
  removeSlot,
  sameGrid,
  shiftSlot,
  startHistory,
  toApi,
  undo,
  updateSlot,
  type ApiTimetable,
  type History,
  type Slot,
  type SlotProblem,
  type WeekGrid,
  type Weekday,
} from './week-grid-model';
import { WeekGridView, type SlotRef } from './WeekGridView';

type Channel = Schemas['AdminChannel'];

export function TimetableEditor(props: {
  channel: Channel;
  name: string;
  channels: readonly Channel[];
  initialSlot: SlotRef | undefined;
  onDirty(dirty: boolean): void;
}) {
  const { t } = useTranslation();
  const { channel, name } = props;
  const dayStart = channel.dayStart ?? '06:00';
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState<WeekGrid>(() =>
    fromApi((channel.timetables[name] ?? {}) as ApiTimetable, dayStart),
  );
  const [history, setHistory] = useState<History<WeekGrid>>(() => startHistory(saved));
  const grid = history.present;
  const [selected, setSelected] = useState<SlotRef | undefined>(props.initialSlot);
  const [serverProblems, setServerProblems] = useState<SlotProblem[]>([]);
  const [savedNote, setSavedNote] = useState(false);
  const firstField = useRef<HTMLInputElement>(null);
  const [focusEditor, setFocusEditor] = useState(0);
  const dirty = !sameGrid(grid, saved);

  const onDirty = useRef(props.onDirty);
  onDirty.current = props.onDirty;
  useEffect(() => onDirty.current(dirty), [dirty]);
  useEffect(() => {
    if (focusEditor) firstField.current?.focus();
  }, [focusEditor]);

  /** Records an edit; successive changes of one field of one slot (typing) are one undo step. */
  const edit = (next: WeekGrid, key?: string) => {
    setSavedNote(false);
    setHistory((h) => record(h, next, key));
  };

  const problems = useMemo(() => [...localProblems(grid), ...serverProblems], [grid, serverProblems]);
  // The grid redraws behind typing: a keystroke in the slot form never waits for hundreds of slots.
  const shownGrid = useDeferredValue(grid);
  const shownProblems = useDeferredValue(problems);
  const slot = selected ? grid[selected.day].find((s) => s.id === selected.id) : undefined;

  /** Ctrl+Z / Ctrl+Y (⌘ on a Mac) undo and redo outside text fields; Ctrl+S saves anywhere on the screen. */
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (!(e.ctrlKey || e.metaKey)) return;
      const key = e.key.toLowerCase();
      if (key === 's') {
        e.preventDefault();
        saveRef.current();
        return;
      }
      if (target.closest('input, textarea')) return;
      if (key === 'z' && !e.shiftKey) setHistory(undo);
      else if (key === 'y' || (key === 'z' && e.shiftKey)) setHistory(redo);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const save = useMutation({
    mutationFn: (sent: WeekGrid) =>
      unwrap(
        api.PUT('/api/admin/channels/{id}/timetables/{name}', {
          params: { path: { id: channel.id, name } },
          body: toApi(sent) as never,
        }),
      ),
    onMutate: () => setServerProblems([]),
    onSuccess: (result, sent) => {
      const stored = fromApi(result as ApiTimetable, dayStart);
      setSaved(stored);
      if (sameGrid(stored, sent))
        setHistory((h) => (h.present === sent ? { ...h, present: stored, key: undefined } : h));
      setSavedNote(true);
      void queryClient.invalidateQueries({ queryKey: ['admin-channels'] });
    },
    onError: (error, sent) => {
      if (!(error instanceof ApiError)) return;
      const placed = placeProblems(error.problems, sent);
      setServerProblems(placed);
      const first = placed.find((p) => p.slot);
      if (first?.day && first.slot) {
        setSelected({ day: first.day, id: first.slot });
      }
    },
  });

  const saveRef = useRef(() => {});
  saveRef.current = () => {
    if (dirty && !save.isPending) save.mutate(grid);
  };

  const onChange = (patch: Partial<Slot>, field: string) => {
    if (!selected) return;
    const next = updateSlot(grid, selected.day, selected.id, patch, dayStart);
    if (next === grid) return;
    if (patch.id !== undefined) setSelected({ day: selected.day, id: patch.id });
    setServerProblems((ps) => ps.filter((p) => !(p.day === selected.day && p.slot === selected.id)));
    edit(next, `${selected.day}/${selected.id}/${field}`);
  };

  const move = (from: SlotRef, to: Weekday, target?: Parameters<typeof moveToDay>[5]) => {
    const next = moveToDay(grid, from.day, from.id, to, dayStart, target);
    if (next === grid) return;
    edit(next);
    // Follow the moved programme: within a day it keeps its id; on another day it sits at its start time,
    // or at the start of the slot it was dropped on.
    const start =
      target?.position === 'on'
        ? grid[to].find((s) => s.id === target.id)?.start
        : grid[from.day].find((s) => s.id === from.id)?.start;
    const landed = from.day === to ? from.id : next[to].find((s) => s.start === start)?.id;
    setSelected(landed ? { day: to, id: landed } : undefined);
  };

  const subjects = channel.courses?.map((c) => c.subject) ?? [];
  const generalProblems = serverProblems.filter((p) => !p.slot);
  const slotProblemCount = serverProblems.filter((p) => p.slot).length;

  return (
    <div className="tt-editor-wrap">
      <div className="actions tt-toolbar" role="toolbar" aria-label={t('timetable.toolbar')}>
        <Button onPress={() => setHistory(undo)} isDisabled={history.past.length === 0}>
          {t('timetable.undo', { n: history.past.length })}
        </Button>
        <Button onPress={() => setHistory(redo)} isDisabled={history.future.length === 0}>
          {t('timetable.redo')}
        </Button>
        <CopyDayDialog onCopy={(from, to) => edit(copyDay(grid, from, to))} />
        <CopyToChannelsDialog
          channel={channel.id}
          name={name}
          timetable={toApi(saved)}
          channels={props.channels}
          isDisabled={dirty}
          onCopied={() => void queryClient.invalidateQueries({ queryKey: ['admin-channels'] })}
        />
        <Button onPress={() => setHistory((h) => record(h, saved))} isDisabled={!dirty}>
          {t('timetable.discard')}
        </Button>
        <Button
          className="react-aria-Button primary"
          onPress={() => save.mutate(grid)}
          isDisabled={!dirty || save.isPending}
        >
          {save.isPending ? t('timetable.saving') : t('timetable.save')}
        </Button>
        <span className="tt-dirty" aria-live="polite">
          {dirty ? t('timetable.unsaved') : savedNote ? t('timetable.saved', { name, channel: channel.id }) : ''}
        </span>
      </div>
      {dirty && <p className="tt-hint">{t('timetable.copyChannels.saveFirst')}</p>}
      {save.error && (
        <div role="alert" className="error">
          <p>
            {save.error instanceof ApiError && save.error.problems.length > 0
              ? t('timetable.problems.summary', { n: slotProblemCount })
              : null}
          </p>
          {!(save.error instanceof ApiError && save.error.status === 400) && <ErrorNotice error={save.error} />}
          {generalProblems.length > 0 && (
            <ul>
              {generalProblems.map((p, i) => (
                <li key={i}>{p.day ? `${t(`timetable.days.${p.day}`)}: ${p.reason}` : p.reason}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <WeekGridView
        grid={shownGrid}
        dayStart={dayStart}
        selected={selected}
        problems={shownProblems}
        onSelect={(ref, open) => {
          setSelected(ref);
          if (open) setFocusEditor((n) => n + 1);
        }}
        onMove={move}
        onAdd={(day) => {
          const added = addSlot(grid, day, dayStart, { kind: 'off-air' });
          edit(added.grid);
          setSelected({ day, id: added.id });
          setFocusEditor((n) => n + 1);
        }}
      />
      {selected && slot ? (
        <SlotEditor
          day={selected.day}
          slot={slot}
          subjects={subjects}
          problems={problems.filter((p) => p.day === selected.day && p.slot === selected.id)}
          firstField={firstField}
          onChange={onChange}
          onNudge={(step) => {
            const next = nudgeSlot(grid, selected.day, selected.id, step);
            if (next !== grid) edit(next);
          }}
          onShift={(minutes) => {
            const next = shiftSlot(grid, selected.day, selected.id, minutes, dayStart);
            if (next !== grid) edit(next);
          }}
          onMoveToDay={(day) => move(selected, day)}
          onRemove={() => {
            edit(removeSlot(grid, selected.day, selected.id));
            setSelected(undefined);
          }}
        />
      ) : (
        <p className="tt-hint">{t('timetable.pickSlot')}</p>
      )}
    </div>
  );
}
