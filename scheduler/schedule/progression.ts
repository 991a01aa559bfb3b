import type { CoursePosition } from '../../playlists/model.ts';
import type { CourseLesson } from './build-types.ts';
import type { Course } from './channel-document.ts';
import { partitionPoint } from '../../playlists/binary-search.ts';

/** Curriculum progression: positions in textbook order (volume, unit, lesson) and the search for the next lesson. */

export function comparePositions(a: CoursePosition, b: CoursePosition): number {
  return a.volume - b.volume || a.unit - b.unit || a.lesson - b.lesson;
}

/** Where a course starts when the channel has no history: its configured volume, unit 1, lesson 1. */
export function coursePosition(course: Course): CoursePosition {
  return { volume: course.volume, unit: 1, lesson: 1 };
}

/** The position just after a lesson: the next lesson of the course is the first one at or after it. */
export function positionAfter(lesson: Pick<CourseLesson, 'volume' | 'unit' | 'lesson'>): CoursePosition {
  return { volume: lesson.volume, unit: lesson.unit, lesson: lesson.lesson + 1 };
}

/** Index of the first lesson at or after `position` (lessons are in textbook order); `lessons.length` if none. */
export function firstLessonAtOrAfter(lessons: readonly CourseLesson[], position: CoursePosition): number {
  return partitionPoint(0, lessons.length, (i) => comparePositions(lessons[i]!, position) >= 0);
}
