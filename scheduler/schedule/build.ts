import type {
  BuildWarning,
  CoursePosition,
  DayEndState,
  DaySnapshot,
  Instant,
  ScheduledItem,
} from '../../playlists/model.ts';
import type { AssetSummary, BuildDay, BuildRules, CourseLesson } from './build-types.ts';
import type { Slot } from './channel-document.ts';
import { addDays } from './broadcast-date.ts';
import { BroadcastDay } from './broadcast-day.ts';
import { comparePositions, coursePosition, firstLessonAtOrAfter, positionAfter } from './progression.ts';
import { type AiringContent, DayTimeline, isPlayable, sumSegments, type TimelinePosition } from './slot-placement.ts';
import { type DaySlot, planDay } from './timetable-selection.ts';

/**
 * The schedule build: (channel rules, catalog, previous day's end state) → one broadcast day of items.
 * Pure and deterministic — no I/O, no clock, no randomness; the same inputs give the same JSON bytes.
 *
 * - The day starts at the previous day's end (or, with no history, at its nominal start with sequence
 *   numbers 0) and ends at the last item that fits before the next day's nominal start, so consecutive
 *   days are seamless and each starts less than 1 s before its nominal start.
 * - Slots are placed in order of their start instant: the gap before a slot is filled with the looped
 *   slate (whole 1 s segments, never passing the slot), so a slot starts within 1 s of its time unless
 *   an earlier item overran (then it starts at once and an `overrun` warning says how late).
 * - A slot whose content cannot air (course ended, rerun or asset missing) leaves slate until the next slot.
 * - Republish: frozen items (already published, starting before the cutoff) are kept as they are; the
 *   day's progression and first runs are replayed from them and the rest is rebuilt after them.
 */

/** How many earlier broadcast days of first runs the end state keeps (reruns reach back at most 7 days). */
const FIRST_RUN_HISTORY_DAYS = 7;
/** Delays below one slate segment are the gap-fill rounding, not an overrun. */
const OVERRUN_THRESHOLD_MS = 1000;

function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

function sortedRecord<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function formatDelay(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

function iso(ms: Instant): string {
  return new Date(ms).toISOString();
}

/** The longest asset a channel can air: how far a day may start from its nominal start after an overrun. */
function longestAssetMs(rules: BuildRules, slate: AssetSummary): number {
  const { channel, catalog } = rules;
  let longest = sumSegments(slate.segmentMs);
  const consider = (assetId: string | undefined): void => {
    const asset = assetId === undefined ? undefined : catalog.asset(assetId);
    if (asset) longest = Math.max(longest, sumSegments(asset.segmentMs));
  };
  for (const course of channel.courses) {
    for (const lesson of catalog.courseLessons(course.grade, course.subject, course.edition)) consider(lesson.assetId);
  }
  const slots = [
    ...Object.values(channel.timetables).flatMap((week) => Object.values(week).flat()),
    ...rules.overrides.filter((o) => o.channel === channel.id).map((o) => o.with),
  ];
  for (const slot of slots) {
    if (slot.kind === 'filler') consider(slot.asset);
    if (slot.kind === 'off-air') consider(slot.card);
    if (slot.kind === 'programme') {
      consider(slot.asset);
      if (slot.lesson !== undefined) consider(catalog.lesson(slot.lesson)?.assetId);
    }
  }
  return longest;
}

/** Mutable state of one day's build. */
class DayBuilder {
  readonly warnings: BuildWarning[] = [];
  /** Next position per subject. */
  readonly progression = new Map<string, CoursePosition>();
  /** This day's first runs, slot id → lesson id, in airing order. */
  readonly firstRuns = new Map<string, string>();

  constructor(
    private readonly rules: BuildRules,
    private readonly day: BroadcastDay,
    private readonly previous: DayEndState | undefined,
    readonly timeline: DayTimeline,
  ) {
    for (const [subject, position] of Object.entries(previous?.progression ?? {}))
      this.progression.set(subject, position);
    for (const course of rules.channel.courses) {
      if (!this.progression.has(course.subject)) this.progression.set(course.subject, coursePosition(course));
    }
  }

  private warn(warning: BuildWarning): void {
    this.warnings.push(warning);
  }

  /** Replays a frozen (already published) item: a first run advances its course and counts as today's first run. */
  replay(item: ScheduledItem): void {
    if (item.kind !== 'lesson' || item.lessonId === undefined) return;
    if (item.slotId !== undefined) this.firstRuns.set(item.slotId, item.lessonId);
    const lesson = this.rules.catalog.lesson(item.lessonId);
    if (!lesson) return;
    const subject = item.subject ?? lesson.subject;
    const after = positionAfter(lesson);
    const current = this.progression.get(subject);
    if (current === undefined || comparePositions(after, current) > 0) this.progression.set(subject, after);
  }

  /** Starts an airing at the cursor after filling the gap to its slot; warns when an earlier item delayed it. */
  private airAt(daySlot: DaySlot, content: AiringContent): void {
    this.timeline.fillSlateUntil(daySlot.targetMs);
    const delay = this.timeline.cursorMs - daySlot.targetMs;
    if (delay >= OVERRUN_THRESHOLD_MS) {
      this.warn({
        code: 'overrun',
        slotId: daySlot.slot.id,
        ...(content.lessonId !== undefined && { lessonId: content.lessonId }),
        message: `slot ${daySlot.slot.id} (${daySlot.slot.start}) starts ${formatDelay(delay)} late: the item before it ran over`,
      });
    }
    this.timeline.append(content, daySlot.slot.id, daySlot.targetMs);
  }

  placeSlot(daySlot: DaySlot, limitMs: Instant, resumeAfterLessonId?: string): void {
    const { slot } = daySlot;
    switch (slot.kind) {
      case 'off-air': {
        // The card (or the slate) from the end of the item before until the next slot (or the day end), under the
        // slot's title.
        const card = this.card(slot);
        this.timeline.fillSlateUntil(limitMs, { slotId: slot.id, ...(slot.title && { title: slot.title }), card });
        return;
      }
      case 'lesson': {
        const content = this.nextFirstRun(slot);
        if (content) this.airAt(daySlot, content);
        return;
      }
      case 'rerun': {
        const content = this.rerun(slot);
        if (content) this.airAt(daySlot, content);
        return;
      }
      case 'rerun-loop':
        this.rerunLoop(daySlot, slot, limitMs, resumeAfterLessonId);
        return;
      case 'filler': {
        const content = this.filler(slot);
        if (content) this.airAt(daySlot, content);
        return;
      }
      case 'programme': {
        const content = this.programme(slot);
        if (content) this.airAt(daySlot, content);
        return;
      }
    }
  }

  private playable(assetId: string | undefined): AssetSummary | undefined {
    if (assetId === undefined) return undefined;
    const asset = this.rules.catalog.asset(assetId);
    return this.timeline.isPlayable(asset, this.rules.channel.ladder) ? asset : undefined;
  }

  private lessonContent(
    kind: 'lesson' | 'rerun' | 'programme',
    lesson: CourseLesson,
    asset: AssetSummary,
  ): AiringContent {
    return { kind, asset, lessonId: lesson.id, title: lesson.title, unit: lesson.unitTitle, subject: lesson.subject };
  }

  /**
   * First run: the next packaged lesson of the channel's course for the subject; unpackaged ones are skipped.
   * When no later lesson is packaged either, the slot is slate and the course waits at its due lesson.
   */
  private nextFirstRun(slot: Extract<Slot, { kind: 'lesson' }>): AiringContent | undefined {
    const { channel, catalog } = this.rules;
    const course = channel.courses.find((c) => c.subject === slot.subject);
    if (!course) {
      this.warn({
        code: 'course-ended',
        slotId: slot.id,
        message: `slot ${slot.id}: channel ${channel.id} follows no course for subject ${slot.subject}; slate instead`,
      });
      return undefined;
    }
    const lessons = catalog.courseLessons(course.grade, course.subject, course.edition);
    const startPosition = this.progression.get(course.subject) ?? coursePosition(course);
    let volumeEndWarned = false;
    const unpackaged: CourseLesson[] = [];
    for (let i = firstLessonAtOrAfter(lessons, startPosition); i < lessons.length; i++) {
      const lesson = lessons[i]!;
      if (!volumeEndWarned && lesson.volume > startPosition.volume) {
        volumeEndWarned = true;
        this.warn({
          code: 'volume-ended',
          slotId: slot.id,
          lessonId: lesson.id,
          message: `${course.subject} (grade ${course.grade}, ${course.edition}): volume ${startPosition.volume} has ended; continuing with volume ${lesson.volume}`,
        });
      }
      const asset = this.playable(lesson.assetId);
      if (!asset) {
        unpackaged.push(lesson);
        continue;
      }
      for (const skipped of unpackaged) {
        this.warn({
          code: 'lesson-not-packaged',
          slotId: slot.id,
          lessonId: skipped.id,
          message: `lesson ${skipped.id} (${skipped.title.zh}) is not packaged for ladder ${channel.ladder}; skipped`,
        });
      }
      this.progression.set(course.subject, positionAfter(lesson));
      this.firstRuns.set(slot.id, lesson.id);
      return this.lessonContent('lesson', lesson, asset);
    }
    const due = unpackaged[0];
    if (due) {
      // Nothing after it is packaged either (media still being prepared): the course waits at its due
      // lesson, which airs in a later slot once packaged, rather than ending; one warning, not one per lesson.
      const more = unpackaged.length > 1 ? ` nor are the ${unpackaged.length - 1} after it` : '';
      this.warn({
        code: 'lesson-not-packaged',
        slotId: slot.id,
        lessonId: due.id,
        message: `lesson ${due.id} (${due.title.zh}) is not packaged for ladder ${channel.ladder}${more}; slate instead, the course waits for it`,
      });
      return undefined;
    }
    this.warn({
      code: 'course-ended',
      slotId: slot.id,
      message: `${course.subject} (grade ${course.grade}, ${course.edition}): no lesson left after volume ${startPosition.volume} unit ${startPosition.unit} lesson ${startPosition.lesson}; slate instead`,
    });
    return undefined;
  }

  /** Earlier days' first runs in airing order, by daysAgo: fixed for the build, asked for by every rerun slot. */
  private readonly earlierFirstRuns = new Map<number, [string, string][]>();

  /** First runs of the day `daysAgo` before this one, slot id → lesson id, in that day's slot order. */
  private firstRunsOf(daysAgo: number): readonly [string, string][] {
    if (daysAgo === 0) return [...this.firstRuns];
    let runs = this.earlierFirstRuns.get(daysAgo);
    if (runs === undefined) this.earlierFirstRuns.set(daysAgo, (runs = this.firstRunsOfEarlierDay(daysAgo)));
    return runs;
  }

  private firstRunsOfEarlierDay(daysAgo: number): [string, string][] {
    const runDate = addDays(this.day.date, -daysAgo);
    const record = ownValue(this.previous?.recentFirstRuns, runDate);
    if (record === undefined) return [];
    // The end state stores them by slot id; that day's timetable gives their airing order back.
    const { channel } = this.rules;
    const order = new Map(
      planDay(this.rules, new BroadcastDay(channel.timezone, channel.dayStart, runDate)).slots.map((s, i) => [
        s.slot.id,
        i,
      ]),
    );
    return Object.entries(record).sort(
      ([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0),
    );
  }

  private rerunOfLesson(lessonId: string, slot: Slot, what: string): AiringContent | undefined {
    const lesson = this.rules.catalog.lesson(lessonId);
    const asset = this.playable(lesson?.assetId);
    if (!lesson || !asset) {
      this.warn({
        code: 'rerun-missing',
        slotId: slot.id,
        lessonId,
        message: `slot ${slot.id}: ${what} was lesson ${lessonId}, which is no longer packaged; not rerun`,
      });
      return undefined;
    }
    return this.lessonContent('rerun', lesson, asset);
  }

  private rerun(slot: Extract<Slot, { kind: 'rerun' }>): AiringContent | undefined {
    const entry = this.firstRunsOf(slot.daysAgo).find(([slotId]) => slotId === slot.of);
    const when =
      slot.daysAgo === 0
        ? 'earlier today'
        : `${slot.daysAgo} day(s) earlier (${addDays(this.day.date, -slot.daysAgo)})`;
    if (!entry) {
      this.warn({
        code: 'rerun-missing',
        slotId: slot.id,
        message: `slot ${slot.id}: no first run in slot ${slot.of} ${when}; slate instead`,
      });
      return undefined;
    }
    return this.rerunOfLesson(entry[1], slot, `the first run in slot ${slot.of} ${when}`);
  }

  /** A carousel of a day's first runs until the next slot; a lesson that would run past it is not started. */
  private rerunLoop(
    daySlot: DaySlot,
    slot: Extract<Slot, { kind: 'rerun-loop' }>,
    limitMs: Instant,
    resumeAfterLessonId?: string,
  ): void {
    const when = slot.daysAgo === 0 ? 'today' : `${addDays(this.day.date, -slot.daysAgo)}`;
    const loop: AiringContent[] = [];
    for (const [slotId, lessonId] of this.firstRunsOf(slot.daysAgo)) {
      const content = this.rerunOfLesson(lessonId, slot, `the first run in slot ${slotId} ${when}`);
      if (content) loop.push(content);
    }
    if (loop.length === 0) {
      if (resumeAfterLessonId === undefined) {
        this.warn({
          code: 'rerun-missing',
          slotId: slot.id,
          message: `slot ${slot.id}: no first runs ${when} to loop; slate instead`,
        });
      }
      return;
    }
    let next = 0;
    let first = true;
    if (resumeAfterLessonId !== undefined) {
      // Republish in the middle of the carousel: carry on after the last lesson that was kept.
      next = loop.findIndex((c) => c.lessonId === resumeAfterLessonId) + 1;
      first = false;
    }
    for (;;) {
      const content = loop[next % loop.length]!;
      if (first) this.timeline.fillSlateUntil(daySlot.targetMs);
      if (this.timeline.cursorMs + this.timeline.assetDurationMs(content.asset) > limitMs) return;
      if (first) {
        this.airAt(daySlot, content);
        first = false;
      } else {
        this.timeline.append(content, slot.id);
      }
      next += 1;
    }
  }

  /** The off-air slot's card, when it names one that can air; the slate otherwise. */
  private card(slot: Extract<Slot, { kind: 'off-air' }>): AssetSummary | undefined {
    return slot.card === undefined ? undefined : this.playableOrWarn(slot.id, 'card', slot.card);
  }

  private filler(slot: Extract<Slot, { kind: 'filler' }>): AiringContent | undefined {
    const asset = this.playableOrWarn(slot.id, 'filler', slot.asset);
    return asset && { kind: 'filler', asset, title: asset.title };
  }

  /** The slot's filler or card asset when it can air; else an `asset-missing` warning (the slate airs instead). */
  private playableOrWarn(slotId: string, what: 'filler' | 'card', assetId: string): AssetSummary | undefined {
    const asset = this.playable(assetId);
    if (!asset) {
      this.warn({
        code: 'asset-missing',
        slotId,
        message:
          `slot ${slotId}: ${what} asset ${assetId} is missing or not packaged ` +
          `for ladder ${this.rules.channel.ladder}; slate instead`,
      });
    }
    return asset;
  }

  private programme(slot: Extract<Slot, { kind: 'programme' }>): AiringContent | undefined {
    const { catalog, channel } = this.rules;
    const lesson = slot.lesson === undefined ? undefined : catalog.lesson(slot.lesson);
    if (slot.lesson !== undefined && !lesson) {
      this.warn({
        code: 'asset-missing',
        slotId: slot.id,
        lessonId: slot.lesson,
        message: `slot ${slot.id}: programme lesson ${slot.lesson} is not in the catalog; slate instead`,
      });
      return undefined;
    }
    const assetId = slot.asset ?? lesson?.assetId;
    const asset = this.playable(assetId);
    if (!asset) {
      const code = slot.asset === undefined && lesson ? 'lesson-not-packaged' : 'asset-missing';
      const what =
        slot.asset !== undefined ? `asset ${slot.asset}` : lesson ? `lesson ${lesson.id}` : 'no lesson or asset named';
      this.warn({
        code,
        slotId: slot.id,
        ...(lesson && { lessonId: lesson.id }),
        message: `slot ${slot.id}: programme ${what} is not packaged for ladder ${channel.ladder}; slate instead`,
      });
      return undefined;
    }
    if (lesson) {
      return { ...this.lessonContent('programme', lesson, asset), title: slot.title ?? lesson.title };
    }
    return { kind: 'programme', asset, title: slot.title ?? asset.title };
  }

  endState(endMs: Instant, position: TimelinePosition): DayEndState {
    const oldestKept = addDays(this.day.date, -(FIRST_RUN_HISTORY_DAYS - 1));
    const history = Object.entries(this.previous?.recentFirstRuns ?? {}).filter(
      ([date]) => date >= oldestKept && date < this.day.date,
    );
    history.push([this.day.date, Object.fromEntries(this.firstRuns)]);
    return {
      endMs,
      mediaSequence: position.mediaSequence,
      discontinuitySequence: position.discontinuitySequence,
      progression: sortedRecord(this.progression),
      recentFirstRuns: sortedRecord(history),
    };
  }
}

/** The channel's slate, which must be playable: every gap of the day is filled with it. */
function playableSlate(rules: BuildRules, date: string): AssetSummary {
  const { channel, catalog } = rules;
  const slate = catalog.asset(channel.slate);
  if (!isPlayable(slate, channel.ladder)) {
    throw new Error(
      `channel ${channel.id}: slate asset ${channel.slate} is ${slate ? `not packaged for ladder ${channel.ladder}` : 'missing from the catalog'}; cannot build ${date}`,
    );
  }
  return slate;
}

/** Where the day starts: where the previous day ended (checked to be near), or the day's start. */
function startPosition(
  rules: BuildRules,
  day: BroadcastDay,
  previous: DayEndState | undefined,
  slate: AssetSummary,
): TimelinePosition {
  if (!previous) return { cursorMs: day.startMs, mediaSequence: 0, discontinuitySequence: 0 };
  const offsetMs = Math.abs(previous.endMs - day.startMs);
  if (offsetMs > OVERRUN_THRESHOLD_MS && offsetMs > longestAssetMs(rules, slate)) {
    throw new Error(
      `channel ${rules.channel.id}: the previous day ended at ${iso(previous.endMs)}, too far from ${day.date}'s start ${iso(day.startMs)}; is it the end state of ${addDays(day.date, -1)}?`,
    );
  }
  return {
    cursorMs: previous.endMs,
    mediaSequence: previous.mediaSequence,
    discontinuitySequence: previous.discontinuitySequence,
  };
}

/** Where placing resumes after the frozen items (which must start the day and precede the cutoff). */
function resumePosition(
  channelId: string,
  start: TimelinePosition,
  frozen: readonly ScheduledItem[],
  cutoffMs: Instant | undefined,
): TimelinePosition {
  const firstFrozen = frozen[0];
  if (firstFrozen && (firstFrozen.startMs !== start.cursorMs || firstFrozen.mediaSequence !== start.mediaSequence)) {
    throw new Error(
      `channel ${channelId}: the frozen items do not start this day (${iso(firstFrozen.startMs)} ≠ ${iso(start.cursorMs)})`,
    );
  }
  if (cutoffMs !== undefined) {
    const late = frozen.find((item) => item.startMs >= cutoffMs);
    if (late)
      throw new Error(`channel ${channelId}: frozen item ${late.id} starts at or after the cutoff ${iso(cutoffMs)}`);
  }
  const lastFrozen = frozen[frozen.length - 1];
  return lastFrozen
    ? {
        cursorMs: lastFrozen.startMs + lastFrozen.durationMs,
        mediaSequence: lastFrozen.mediaSequence + lastFrozen.segmentCount,
        discontinuitySequence: lastFrozen.discontinuitySequence + 1,
      }
    : start;
}

/** Places the plan's slots after the frozen items; a slot the kept part already aired is not placed again. */
function placeSlots(
  builder: DayBuilder,
  plan: ReturnType<typeof planDay>,
  day: BroadcastDay,
  frozen: readonly ScheduledItem[],
  skipBeforeMs: Instant,
): void {
  const lastFrozenLessonOfSlot = new Map<string, string>();
  for (const item of frozen) {
    builder.replay(item);
    if (item.slotId !== undefined) lastFrozenLessonOfSlot.set(item.slotId, item.lessonId ?? '');
  }
  plan.slots.forEach((daySlot, index) => {
    const limitMs = plan.slots[index + 1]?.targetMs ?? day.nextStartMs;
    const { slot } = daySlot;
    if (lastFrozenLessonOfSlot.has(slot.id)) {
      // Already aired (or airing) in the kept part; a carousel or off-air time carries on where it was.
      if (slot.kind === 'rerun-loop') builder.placeSlot(daySlot, limitMs, lastFrozenLessonOfSlot.get(slot.id));
      if (slot.kind === 'off-air') builder.placeSlot(daySlot, limitMs);
      return;
    }
    // A slot due before the cutoff that the kept part does not hold is in the past for this republish
    // (e.g. the earlier slots of a new timetable); one due after it still airs, late if the kept part runs on.
    if (frozen.length > 0 && daySlot.targetMs < skipBeforeMs) {
      if (slot.kind !== 'off-air') {
        builder.warnings.push({
          code: 'slot-skipped',
          slotId: slot.id,
          message: `slot ${slot.id} (${slot.start}) was due before the republish cutoff; not placed`,
        });
      }
      return;
    }
    builder.placeSlot(daySlot, limitMs);
  });
}

export const buildDay: BuildDay = (rules, date, previous, options = {}) => {
  const { channel } = rules;
  const day = new BroadcastDay(channel.timezone, channel.dayStart, date);
  const slate = playableSlate(rules, date);
  const start = startPosition(rules, day, previous, slate);
  const frozen = options.frozenItems ?? [];
  const resumeAt = resumePosition(channel.id, start, frozen, options.cutoffMs);

  const plan = planDay(rules, day);
  const timeline = new DayTimeline(channel.id, slate, resumeAt, frozen);
  const builder = new DayBuilder(rules, day, previous, timeline);
  placeSlots(builder, plan, day, frozen, options.cutoffMs ?? resumeAt.cursorMs);
  timeline.fillSlateUntil(day.nextStartMs);
  const warnings: BuildWarning[] = [...plan.warnings, ...builder.warnings];

  const snapshot: DaySnapshot = {
    channelId: channel.id,
    date,
    version: 0,
    timetable: plan.name,
    startMs: start.cursorMs,
    endMs: timeline.cursorMs,
    mediaSequenceStart: start.mediaSequence,
    discontinuitySequenceStart: start.discontinuitySequence,
    items: timeline.items,
    ...(plan.notice && { notice: plan.notice }),
    warnings,
    endState: builder.endState(timeline.cursorMs, timeline.next),
  };
  return { snapshot, warnings: [...warnings] };
};
