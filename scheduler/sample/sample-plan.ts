import type { DaySnapshot } from '../../playlists/model.ts';
import type { LessonRecord } from '../catalog/lesson-record.ts';
import { stageOfGrade, subjectByCode, type StageCode } from '../catalog/subjects.ts';
import { LESSON_SEGMENTING } from '../../packaging/ladder.ts';
import { addDays } from '../schedule/broadcast-date.ts';
import { buildDay } from '../schedule/build.ts';
import type { AssetSummary, BuildRules, CatalogView, CourseLesson } from '../schedule/build-types.ts';
import { DEFAULT_FILLER_IDS } from './sample-calendar.ts';
import { OFF_AIR_CARDS, SCHOOL_FILLER_SECONDS } from './school-timetable.ts';

/**
 * What the sample packages, planned before anything is encoded. Pure: no I/O, no clock.
 * Lessons' media are slides shared per school stage and subject (小学语文, 初中物理…, about 30 videos of
 * 20–30 min): every lesson of a group airs the group's video, so its catalog duration, its media and
 * its guide entry agree while packaging stays bounded. A planning catalog (every lesson and filler taken
 * as packaged at its planned length) tells which groups the published days air, and in what order.
 */

export interface MediaGroup {
  /** Asset base id, e.g. `slides-primary-chinese`. */
  id: string;
  stage: StageCode;
  subject: string;
  seconds: number;
  /** Lessons that air this video, in catalog order (the first one owns the asset). */
  lessonIds: string[];
  /** Slide text: stage and subject (zh), subject (en), the programme. */
  lines: string[];
}

export interface PlannedAsset {
  id: string;
  kind: 'filler' | 'slate';
  title: { zh: string; en?: string };
  seconds: number;
  segmentSeconds: number;
}

/** Slate length: off-air time airs as slate items of at most this length (1 s segments). */
const SLATE_SECONDS = 60;

/**
 * The slate, the off-air cards (packaged like the slate: 1 s segments, looped) and the fillers the school timetable
 * names, at their real lengths (or `fillerSeconds`, for tests).
 */
export function sampleFillers(fillerSeconds?: number): PlannedAsset[] {
  const ids = DEFAULT_FILLER_IDS;
  const filler = (id: string, zh: string, en: string, seconds: number): PlannedAsset => ({
    id,
    kind: 'filler',
    title: { zh, en },
    seconds: fillerSeconds ?? seconds,
    segmentSeconds: LESSON_SEGMENTING.segmentSeconds,
  });
  return [
    {
      id: 'slate',
      kind: 'slate',
      title: { zh: '稍后继续', en: 'Back soon' },
      seconds: SLATE_SECONDS,
      segmentSeconds: 1,
    },
    ...OFF_AIR_CARDS.map((card): PlannedAsset => ({
      id: card.id,
      kind: 'slate',
      title: card.title,
      seconds: SLATE_SECONDS,
      segmentSeconds: 1,
    })),
    filler(ids.eyeExercises, '眼保健操', 'Eye exercises', SCHOOL_FILLER_SECONDS.eyeExercises),
    filler(ids.calisthenics, '广播体操', 'Calisthenics', SCHOOL_FILLER_SECONDS.calisthenics),
    filler(ids.ident, '空中课堂', 'Aerial Classroom', SCHOOL_FILLER_SECONDS.ident),
  ];
}

export function mediaGroups(curriculum: readonly LessonRecord[]): MediaGroup[] {
  const groups = new Map<string, MediaGroup>();
  for (const lesson of curriculum) {
    const stage = stageOfGrade(lesson.grade);
    const id = `slides-${stage.code}-${lesson.subject}`;
    let group = groups.get(id);
    if (!group) {
      const subject = subjectByCode(lesson.subject);
      const lines = [
        `${stage.zh} ${subject?.zh ?? lesson.subject}`,
        subject?.en ?? lesson.subject,
        '空中课堂 Aerial Classroom',
      ];
      group = { id, stage: stage.code, subject: lesson.subject, seconds: lesson.durationS ?? 0, lessonIds: [], lines };
      groups.set(id, group);
    }
    if (lesson.durationS !== group.seconds)
      throw new RangeError(`${lesson.id} lasts ${lesson.durationS} s, its group ${id} ${group.seconds} s`);
    group.lessonIds.push(lesson.id);
  }
  return [...groups.values()];
}

export function segmentMsFor(seconds: number, segmentSeconds: number): number[] {
  const totalMs = Math.round(seconds * 1000);
  const full = Math.floor(totalMs / (segmentSeconds * 1000));
  const rest = totalMs - full * segmentSeconds * 1000;
  return [...Array<number>(full).fill(segmentSeconds * 1000), ...(rest > 0 ? [rest] : [])];
}

/** The catalog as it will be once everything is packaged: lessons air their group's video. */
export function planningCatalog(
  base: CatalogView,
  groups: readonly MediaGroup[],
  assets: readonly PlannedAsset[],
  ladder: string,
): CatalogView {
  const groupOf = new Map(groups.flatMap((g) => g.lessonIds.map((id) => [id, g] as const)));
  const summaries = new Map<string, AssetSummary>();
  for (const g of groups) {
    const segmentMs = segmentMsFor(g.seconds, 6);
    summaries.set(g.id, {
      id: g.id,
      kind: 'lesson',
      title: { zh: g.lines[0]! },
      ladder,
      segmentMs,
      durationMs: g.seconds * 1000,
    });
  }
  for (const a of assets) {
    const segmentMs = segmentMsFor(a.seconds, a.segmentSeconds);
    summaries.set(a.id, { id: a.id, kind: a.kind, title: a.title, ladder, segmentMs, durationMs: a.seconds * 1000 });
  }
  const withAsset = (lesson: CourseLesson): CourseLesson => ({ ...lesson, assetId: groupOf.get(lesson.id)?.id });
  return {
    courseLessons: (grade, subject, edition) => base.courseLessons(grade, subject, edition).map(withAsset),
    lesson: (id) => {
      const lesson = base.lesson(id);
      return lesson && withAsset(lesson);
    },
    asset: (id) => summaries.get(id) ?? base.asset(id),
  };
}

/** The channel's days from `fromDate`, built against `rules` (a planning catalog). */
export function plannedDays(rules: BuildRules, fromDate: string, days: number): DaySnapshot[] {
  const built: DaySnapshot[] = [];
  let previous: DaySnapshot['endState'] | undefined;
  for (let d = 0; d < days; d++) {
    const { snapshot } = buildDay(rules, addDays(fromDate, d), previous);
    built.push(snapshot);
    previous = snapshot.endState;
  }
  return built;
}

/** Groups in the order the days first air them from `fromMs` on (earliest first), each once. */
export function groupsInAiringOrder(
  days: readonly DaySnapshot[],
  groups: readonly MediaGroup[],
  fromMs = -Infinity,
): MediaGroup[] {
  const groupOf = new Map(groups.flatMap((g) => g.lessonIds.map((id) => [id, g] as const)));
  const firstAiring = new Map<MediaGroup, number>();
  for (const day of days) {
    for (const item of day.items) {
      if (item.startMs + item.durationMs <= fromMs) continue; // aired already: nobody will watch it live
      const group = item.lessonId === undefined ? undefined : groupOf.get(item.lessonId);
      if (group && !(item.startMs >= (firstAiring.get(group) ?? Infinity))) firstAiring.set(group, item.startMs);
    }
  }
  return [...firstAiring.entries()].sort((a, b) => a[1] - b[1]).map(([g]) => g);
}
