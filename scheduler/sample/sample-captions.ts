import { formatTimestamp } from '../../packaging/webvtt.ts';
import type { LessonRecord } from '../catalog/lesson-record.ts';

/**
 * Caption sidecars for the sample's synthetic lesson videos: a cue every 2.5 s (shown 2.3 s) in the
 * lesson's words — a greeting with the title, the unit, numbered teaching points, a goodbye — written as
 * a real WebVTT file so the sample goes through the same sidecar path as real lessons.
 */

/** Seconds between cue starts, and how long each cue shows. */
const CUE_PITCH_MS = 2500;
const CUE_SHOW_MS = 2300;

type CaptionLesson = Pick<LessonRecord, 'grade' | 'unit' | 'unitTitleZh' | 'unitTitleEn' | 'titleZh' | 'titleEn'>;

function chineseLines(lesson: CaptionLesson, subjectZh: string, count: number): string[][] {
  const points = [
    `先读一读课题《${lesson.titleZh}》。`,
    `想一想：${subjectZh}课上我们学过什么？`,
    '请拿出课本，跟着老师一起看。',
    '动手做一做，再和同桌说一说。',
    '把今天学到的内容写在本子上。',
  ];
  return Array.from({ length: count }, (_, i) => {
    if (i === 0)
      return [`${lesson.grade}年级${subjectZh} 第${lesson.unit}单元`, `同学们好！今天我们学习《${lesson.titleZh}》。`];
    if (i === count - 1 && count > 2) return ['这节课就到这里，同学们再见！'];
    if (i === 1) return [`这节课属于第${lesson.unit}单元「${lesson.unitTitleZh}」。`];
    return [`第${i - 1}点：${points[(i - 2) % points.length]}`];
  });
}

function englishLines(lesson: CaptionLesson, subjectEn: string, count: number): string[][] {
  const title = lesson.titleEn ?? lesson.titleZh;
  return Array.from({ length: count }, (_, i) => {
    if (i === 0)
      return [`Grade ${lesson.grade} ${subjectEn}, unit ${lesson.unit}`, `Hello, class! Today's lesson: ${title}.`];
    if (i === count - 1 && count > 2) return ["That's all for today. Goodbye!"];
    if (i === 1) return [`This lesson is part of unit ${lesson.unit}: ${lesson.unitTitleEn ?? lesson.unitTitleZh}.`];
    return [`Point ${i - 1}: let's look at ${title} together.`];
  });
}

/** WebVTT captions of a sample lesson in `language` (Chinese for `zh*`, else English) for a clip of `seconds`. */
export function sampleCaptionsVtt(
  lesson: CaptionLesson,
  subject: { zh: string; en: string },
  language: string,
  seconds: number,
): string {
  const totalMs = Math.round(seconds * 1000);
  const starts: number[] = [];
  // A last cue shorter than half a second is not worth showing.
  for (let t = 0; t + 500 <= totalMs; t += CUE_PITCH_MS) starts.push(t);
  const lines =
    language === 'zh' || language.startsWith('zh-')
      ? chineseLines(lesson, subject.zh, starts.length)
      : englishLines(lesson, subject.en, starts.length);
  const cues = starts.map((start, i) => {
    const end = Math.min(start + CUE_SHOW_MS, totalMs);
    return [`${i + 1}`, `${formatTimestamp(start)} --> ${formatTimestamp(end)}`, ...lines[i]!].join('\n');
  });
  return `WEBVTT\n\nNOTE sample captions for ${lesson.titleEn ?? lesson.titleZh}\n\n${cues.join('\n\n')}\n`;
}

/**
 * Captions of a shared slide video (one per school stage and subject, aired by many lessons): a cue every
 * 2.5 s cycling through `lines`, for a video of `seconds`.
 */
export function slideCaptionsVtt(lines: readonly string[], seconds: number): string {
  const totalMs = Math.round(seconds * 1000);
  const cues: string[] = [];
  for (let t = 0, i = 0; t + 500 <= totalMs; t += CUE_PITCH_MS, i++) {
    const end = Math.min(t + CUE_SHOW_MS, totalMs);
    cues.push(`${i + 1}\n${formatTimestamp(t)} --> ${formatTimestamp(end)}\n${lines[i % lines.length]}`);
  }
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}
