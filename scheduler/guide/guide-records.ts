import { schoolStageOfGrade, type GuideChannel, type GuideLesson } from '../../playlists/guide-types.ts';
import type { LocalizedText } from '../../playlists/model.ts';
import { subjectByCode } from '../catalog/subjects.ts';
import type { Channel } from '../schedule/channel-document.ts';

/**
 * Stored channels and lesson rows mapped to the shapes the guide renderers and the guide JSON API share
 * (`playlists/guide-types.ts`). Pure.
 */

export function toGuideChannel(channel: Channel): GuideChannel {
  return {
    id: channel.id,
    number: channel.number,
    name: channel.name,
    ...(channel.logo ? { logo: channel.logo } : {}),
    timezone: channel.timezone,
    // A channel spanning stages (rare) is listed with its youngest grade's stage.
    group: schoolStageOfGrade(Math.min(...channel.grades)),
    grades: channel.grades,
  };
}

/** The `lessons` columns the guide reads (migration 001). */
export interface GuideLessonRow {
  id: string;
  grade: number;
  subject: string;
  edition: string;
  volume: number;
  unit: number;
  unit_title_zh: string;
  unit_title_en: string | null;
  lesson: number;
  title_zh: string;
  title_en: string | null;
  teacher: string | null;
  duration_s: number | null;
  captions: string;
}

export const GUIDE_LESSON_COLUMNS =
  'id, grade, subject, edition, volume, unit, unit_title_zh, unit_title_en, lesson, title_zh, title_en, teacher, duration_s, captions';

function localized(zh: string, en: string | null): LocalizedText {
  return en ? { zh, en } : { zh };
}

export function toGuideLesson(row: GuideLessonRow): GuideLesson {
  const subject = subjectByCode(row.subject);
  return {
    id: row.id,
    grade: row.grade,
    subject: row.subject,
    subjectName: subject ? { zh: subject.zh, en: subject.en } : { zh: row.subject },
    edition: row.edition,
    volume: row.volume,
    unit: row.unit,
    unitTitle: localized(row.unit_title_zh, row.unit_title_en),
    lesson: row.lesson,
    title: localized(row.title_zh, row.title_en),
    ...(row.teacher ? { teacher: row.teacher } : {}),
    ...(row.duration_s ? { durationS: row.duration_s } : {}),
    captions: JSON.parse(row.captions) as string[],
  };
}
