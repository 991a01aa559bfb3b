/**
 * What the box remembers between sessions (localStorage): settings, on-demand resume positions and the
 * notices the viewer dismissed. Every read tolerates missing or corrupt data by falling back to defaults.
 */
import type { Language } from '../i18n/strings.ts';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface Settings {
  /** Grade 1–12 whose channel is tuned at start; undefined = the first channel. */
  myGrade?: number;
  subtitles: boolean;
  language: Language;
}

export interface ResumePoint {
  lessonId: string;
  positionS: number;
  durationS: number;
  savedAtMs: number;
}

/** Positions this close to either end are not worth resuming from. */
const RESUME_MARGIN_S = 5;
const MAX_RESUME_POINTS = 50;

function readJson<T>(store: KeyValueStore, key: string): T | undefined {
  try {
    const text = store.getItem(key);
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

function writeJson(store: KeyValueStore, key: string, value: unknown): void {
  try {
    store.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the session goes on without remembering.
  }
}

export class PersistedState {
  constructor(private readonly store: KeyValueStore = localStorage) {}

  settings(): Settings {
    const saved = readJson<Partial<Settings>>(this.store, 'aerial.settings.v1') ?? {};
    const grade = saved.myGrade;
    return {
      ...(Number.isInteger(grade) && grade! >= 1 && grade! <= 12 ? { myGrade: grade } : {}),
      subtitles: saved.subtitles === true,
      language: saved.language === 'en' ? 'en' : 'zh',
    };
  }

  saveSettings(settings: Settings): void {
    writeJson(this.store, 'aerial.settings.v1', settings);
  }

  resumePoints(): ResumePoint[] {
    const saved = readJson<ResumePoint[]>(this.store, 'aerial.resume.v1');
    return Array.isArray(saved)
      ? saved.filter((p) => typeof p?.lessonId === 'string' && Number.isFinite(p.positionS))
      : [];
  }

  resumePosition(lessonId: string): number {
    return this.resumePoints().find((p) => p.lessonId === lessonId)?.positionS ?? 0;
  }

  /** Remembers where a lesson stopped (most recent first); a finished or barely started lesson is forgotten. */
  saveResumePosition(lessonId: string, positionS: number, durationS: number, nowMs: number): void {
    const others = this.resumePoints().filter((p) => p.lessonId !== lessonId);
    const worthResuming = positionS >= RESUME_MARGIN_S && (!(durationS > 0) || positionS < durationS - RESUME_MARGIN_S);
    const points = worthResuming ? [{ lessonId, positionS, durationS, savedAtMs: nowMs }, ...others] : others;
    writeJson(this.store, 'aerial.resume.v1', points.slice(0, MAX_RESUME_POINTS));
  }

  dismissedNotice(): string | undefined {
    return this.store.getItem('aerial.notice.dismissed') ?? undefined;
  }

  dismissNotice(noticeKey: string): void {
    try {
      this.store.setItem('aerial.notice.dismissed', noticeKey);
    } catch {
      // Storage disabled: the banner comes back on the next start, which errs on the safe side.
    }
  }
}

/** Identity of a notice as the viewer saw it: a changed text is a new notice and is shown again. */
export function noticeKey(notice: { orderId: string; text: { zh: string; en?: string } }): string {
  return `${notice.orderId}|${notice.text.zh}|${notice.text.en ?? ''}`;
}
