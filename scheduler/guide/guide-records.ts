import { schoolStageOfGrade, type GuideChannel, type GuideLesson } from '../../playlists/guide-types.ts';
import { posterPath } from '../../playlists/media-layout.ts';
import type { LocalizedText } from '../../playlists/model.ts';
import type { StoredLesson } from '../catalog/lessons-repository.ts';
import { subjectByCode } from '../catalog/subjects.ts';
import type { Channel } from '../schedule/channel-document.ts';

/**
 * Stored channels and lessons mapped to the shapes the guide renderers and the guide JSON API share
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

function localized(zh: string, en: string | undefined): LocalizedText {
  return en ? { zh, en } : { zh };
}

export function toGuideLesson(lesson: StoredLesson): GuideLesson {
  const subject = subjectByCode(lesson.subject);
  return {
    id: lesson.id,
    grade: lesson.grade,
    subject: lesson.subject,
    subjectName: subject ? { zh: subject.zh, en: subject.en } : { zh: lesson.subject },
    edition: lesson.edition,
    volume: lesson.volume,
    unit: lesson.unit,
    unitTitle: localized(lesson.unitTitleZh, lesson.unitTitleEn),
    lesson: lesson.lesson,
    title: localized(lesson.titleZh, lesson.titleEn),
    ...(lesson.teacher ? { teacher: lesson.teacher } : {}),
    ...(lesson.durationS ? { durationS: lesson.durationS } : {}),
    captions: lesson.captions ?? [],
    ...(lesson.assetId && lesson.posterSizes?.length
      ? {
          poster: {
            small: `/media/${posterPath(lesson.assetId, lesson.posterSizes[0]!)}`,
            large: `/media/${posterPath(lesson.assetId, lesson.posterSizes.at(-1)!)}`,
          },
        }
      : {}),
  };
}
