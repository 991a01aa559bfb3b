import { EDITION_CODE_PATTERN } from '../../playlists/ids.ts';
import { z } from 'zod';
import { isSubjectCode, SUBJECTS } from './subjects.ts';

/**
 * One lesson as catalog files carry it (CSV row or JSON object) and as `aerial catalog export` writes it.
 * Packaging state (status, asset) is not part of the record: the packaging pipeline owns it.
 */

/** Path-safe: the id ends up in URLs, file names and media paths. */
export const LESSON_ID_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;

type IssueInput = { input?: unknown };

/** Message for a wrong or missing value; CSV gives strings, so show what was there. */
function expected(what: string) {
  return {
    error: (issue: IssueInput) =>
      issue.input === undefined || issue.input === null
        ? 'is required'
        : `must be ${what}, got ${JSON.stringify(issue.input)}`,
  };
}

const requiredText = (what = 'text') => z.string(expected(what)).trim().min(1, 'is required (empty)');
const optionalText = () => z.string(expected('text')).trim().min(1, 'is empty; leave the field out instead').optional();

function positiveWholeNumber(what: string, max?: number) {
  const message = max ? `must be a whole number 1–${max}` : 'must be a whole number ≥ 1';
  const schema = z.number(expected(what)).int(message).min(1, message);
  return max ? schema.max(max, message) : schema;
}

function isLanguageTag(tag: string): boolean {
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag)) return false;
  try {
    Intl.getCanonicalLocales(tag);
    return true;
  } catch {
    return false;
  }
}

const captionsSchema = z
  .array(
    z
      .string(expected('a language tag'))
      .trim()
      .refine(isLanguageTag, {
        error: (issue) => `'${String(issue.input)}' is not a language tag (e.g. zh, en, zh-Hans)`,
      }),
    expected('a list of language tags'),
  )
  .transform((tags) => tags.map((tag) => Intl.getCanonicalLocales(tag)[0]!))
  .refine((tags) => new Set(tags).size === tags.length, { error: 'lists a language twice' });

export const lessonRecordSchema = z.strictObject({
  id: z
    .string(expected('text'))
    .trim()
    .regex(LESSON_ID_PATTERN, 'must be 1–100 letters, digits, ".", "_" or "-" (it is used in paths and URLs)'),
  grade: positiveWholeNumber('a whole number 1–12', 12),
  subject: requiredText().refine(isSubjectCode, {
    error: (issue) =>
      `unknown subject code '${String(issue.input)}' (known: ${SUBJECTS.map((s) => s.code).join(', ')})`,
  }),
  edition: requiredText().regex(EDITION_CODE_PATTERN, 'must be a lowercase code such as tongbian or pep'),
  volume: positiveWholeNumber('a whole number ≥ 1 (1 = 上册, 2 = 下册)'),
  unit: positiveWholeNumber('a whole number ≥ 1'),
  unitTitleZh: requiredText(),
  unitTitleEn: optionalText(),
  lesson: positiveWholeNumber('a whole number ≥ 1'),
  titleZh: requiredText(),
  titleEn: optionalText(),
  teacher: optionalText(),
  durationS: z
    .number(expected('a number of seconds'))
    .positive('must be a positive number of seconds')
    .max(24 * 3600, 'must be at most 86400 seconds (one day)')
    .optional(),
  captions: captionsSchema.optional(),
  source: optionalText(),
});

export type LessonRecord = z.output<typeof lessonRecordSchema>;
export type LessonField = keyof LessonRecord;

/** Field order of catalog files: CSV header and JSON export. */
export const LESSON_FIELDS: readonly LessonField[] = [
  'id',
  'grade',
  'subject',
  'edition',
  'volume',
  'unit',
  'unitTitleZh',
  'unitTitleEn',
  'lesson',
  'titleZh',
  'titleEn',
  'teacher',
  'durationS',
  'captions',
  'source',
];

export const NUMERIC_FIELDS: ReadonlySet<LessonField> = new Set(['grade', 'volume', 'unit', 'lesson', 'durationS']);

/** The textbook position of a lesson; unique across the catalog. */
export function orderingKey(
  r: Pick<LessonRecord, 'grade' | 'subject' | 'edition' | 'volume' | 'unit' | 'lesson'>,
): string {
  return `${r.grade}/${r.subject}/${r.edition}/${r.volume}/${r.unit}/${r.lesson}`;
}

export function describeOrdering(
  r: Pick<LessonRecord, 'grade' | 'subject' | 'edition' | 'volume' | 'unit' | 'lesson'>,
): string {
  return `grade ${r.grade} ${r.subject} ${r.edition} volume ${r.volume} unit ${r.unit} lesson ${r.lesson}`;
}

/**
 * Record with its fields in LESSON_FIELDS order and absent/empty optionals dropped, so equal lessons serialise
 * identically.
 */
export function normalizeRecord(record: LessonRecord): LessonRecord {
  const out: Record<string, unknown> = {};
  for (const field of LESSON_FIELDS) {
    const value = record[field];
    if (value === undefined) continue;
    if (field === 'captions' && Array.isArray(value) && value.length === 0) continue;
    out[field] = value;
  }
  return out as LessonRecord;
}

export function sameRecord(a: LessonRecord, b: LessonRecord): boolean {
  return JSON.stringify(normalizeRecord(a)) === JSON.stringify(normalizeRecord(b));
}
