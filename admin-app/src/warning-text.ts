/**
 * A build warning in the console's language: its kind, the slot and the lesson it concerns (the API's facts:
 * `code`, `slotId`, `lessonId`), e.g. "课程未打包 · 时段 l3 · 课程 g3-math-u1-l2". The API's `message` is an English
 * sentence: the English console shows it after the kind, the Chinese one keeps it for a tooltip (`detail`).
 */
export interface WarningFacts {
  code: string;
  message: string;
  slotId?: string;
  lessonId?: string;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

export function warningText(warning: WarningFacts, t: Translate, language: string): { text: string; detail: string } {
  const kind = t(`buildWarnings.codes.${warning.code}`, { defaultValue: warning.code });
  if (language === 'en') return { text: `${kind}: ${warning.message}`, detail: warning.message };
  const parts = [
    kind,
    ...(warning.slotId ? [t('buildWarnings.slot', { slot: warning.slotId })] : []),
    ...(warning.lessonId ? [t('buildWarnings.lesson', { lesson: warning.lessonId })] : []),
  ];
  return { text: parts.join(' · '), detail: warning.message };
}
