import { parse as parseCsv } from 'csv-parse/sync';
import type { Problem } from '../errors.ts';
import {
  describeOrdering,
  LESSON_FIELDS,
  lessonRecordSchema,
  NUMERIC_FIELDS,
  orderingKey,
  type LessonField,
  type LessonRecord,
} from './lesson-record.ts';
import { decodeUtf8Strict, lineAtOffset, lineOfOffset } from './text-encoding.ts';

/**
 * Pure parsing and validation of a catalog file (CSV with a header row, or JSON: an array of lessons or
 * `{ "lessons": [...] }`). Every row is checked and every problem is reported with its line, so a user
 * can fix the whole file in one pass. Checks that need the database live in the import.
 */

export interface ParsedLesson {
  record: LessonRecord;
  /** 1-based line where the row (CSV) or the lesson object (JSON) starts. */
  line: number;
}

export interface ParsedCatalogFile {
  /** The rows that are valid on their own (all rows when `problems` is empty). */
  lessons: ParsedLesson[];
  problems: Problem[];
}

export type CatalogFormat = 'csv' | 'json';

const REQUIRED_FIELDS: readonly LessonField[] = [
  'id',
  'grade',
  'subject',
  'edition',
  'volume',
  'unit',
  'unitTitleZh',
  'lesson',
  'titleZh',
];

/** Header spellings are forgiving: `unitTitleZh`, `unit_title_zh` and `Unit Title ZH` are the same column. */
function headerKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}
const FIELD_BY_HEADER = new Map(LESSON_FIELDS.map((f) => [headerKey(f), f]));

export function detectFormat(fileName: string, text: string): CatalogFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

/** `where` for a problem: the file name as the user typed it, and the line. */
function at(fileLabel: string, line: number): string {
  return `${fileLabel}:${line}`;
}

export function parseCatalogFile(bytes: Uint8Array, fileLabel: string): ParsedCatalogFile {
  const decoded = decodeUtf8Strict(bytes);
  if ('problems' in decoded) {
    return { lessons: [], problems: decoded.problems.map((p) => ({ where: at(fileLabel, p.line), reason: p.reason })) };
  }
  const text = decoded.text;
  const raw = detectFormat(fileLabel, text) === 'json' ? readJsonRows(text, fileLabel) : readCsvRows(text, fileLabel);
  const problems: Problem[] = [...raw.problems];
  const lessons: ParsedLesson[] = [];
  for (const row of raw.rows) {
    const result = lessonRecordSchema.safeParse(row.values);
    if (result.success) {
      lessons.push({ record: result.data, line: row.line });
      continue;
    }
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          problems.push({
            where: at(fileLabel, row.line),
            field: key,
            reason: `unknown field (known: ${LESSON_FIELDS.join(', ')})`,
          });
        }
      } else {
        problems.push({
          where: at(fileLabel, row.line),
          field: issue.path.map(String).join('.') || undefined,
          reason: issue.message,
        });
      }
    }
  }
  if (raw.rows.length === 0 && problems.length === 0)
    problems.push({ where: fileLabel, reason: 'the file contains no lessons' });
  problems.push(...crossRowProblems(raw.rows, fileLabel));
  problems.sort((a, b) => lineOfWhere(a.where) - lineOfWhere(b.where));
  return { lessons, problems };
}

function lineOfWhere(where: string | undefined): number {
  const match = where?.match(/:(\d+)$/);
  return match ? Number(match[1]) : 0;
}

/** The fields cross-row checks need, when the row gives them in a usable form (the row may be bad otherwise). */
function rowKeys(values: Record<string, unknown>) {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const whole = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
  const id = text(values.id);
  const [grade, volume, unit, lesson] = [
    whole(values.grade),
    whole(values.volume),
    whole(values.unit),
    whole(values.lesson),
  ];
  const [subject, edition] = [text(values.subject), text(values.edition)];
  const placed =
    grade !== undefined && volume !== undefined && unit !== undefined && lesson !== undefined && subject && edition;
  return {
    id,
    position: placed ? { grade, subject, edition, volume, unit, lesson } : undefined,
    unitTitleZh: text(values.unitTitleZh),
  };
}

/**
 * Uniqueness of ids and textbook positions within the file, and one title per unit. Runs on every row
 * that carries the fields, including rows with other problems, so a duplicate is reported in the same pass.
 */
function crossRowProblems(rows: readonly RawRow[], fileLabel: string): Problem[] {
  const problems: Problem[] = [];
  const lineById = new Map<string, number>();
  const byOrdering = new Map<string, { id: string | undefined; line: number }>();
  const unitTitle = new Map<string, { title: string; line: number }>();
  for (const { line, values } of rows) {
    const { id, position, unitTitleZh } = rowKeys(values);
    const where = at(fileLabel, line);
    if (id !== undefined) {
      const firstLine = lineById.get(id);
      if (firstLine !== undefined)
        problems.push({ where, field: 'id', reason: `id '${id}' is already used on line ${firstLine}` });
      else lineById.set(id, line);
    }
    if (!position) continue;
    const key = orderingKey(position);
    const sameSpot = byOrdering.get(key);
    if (sameSpot) {
      problems.push({
        where,
        field: 'lesson',
        reason: `${describeOrdering(position)} is already taken by ${sameSpot.id ? `'${sameSpot.id}'` : 'the lesson'} on line ${sameSpot.line}`,
      });
    } else {
      byOrdering.set(key, { id, line });
    }
    if (unitTitleZh === undefined) continue;
    const unitKey = `${position.grade}/${position.subject}/${position.edition}/${position.volume}/${position.unit}`;
    const first = unitTitle.get(unitKey);
    if (!first) {
      unitTitle.set(unitKey, { title: unitTitleZh, line });
    } else if (first.title !== unitTitleZh) {
      problems.push({
        where,
        field: 'unitTitleZh',
        reason: `unit ${position.unit} is titled '${first.title}' on line ${first.line}, here '${unitTitleZh}'`,
      });
    }
  }
  return problems;
}

interface RawRow {
  line: number;
  values: Record<string, unknown>;
}

/** Maps the header's column names to lesson fields; unknown, repeated and missing columns are problems. */
function readCsvHeader(
  header: string[],
  where: string,
): { columns: Array<LessonField | undefined>; problems: Problem[] } {
  const problems: Problem[] = [];
  const columns: Array<LessonField | undefined> = [];
  const seen = new Set<LessonField>();
  header.forEach((name, index) => {
    const field = FIELD_BY_HEADER.get(headerKey(name));
    if (!field) {
      problems.push({
        where,
        field: name || `column ${index + 1}`,
        reason: `unknown column (known: ${LESSON_FIELDS.join(', ')})`,
      });
    } else if (seen.has(field)) {
      problems.push({ where, field: name, reason: `column ${field} appears twice` });
    } else {
      seen.add(field);
    }
    columns.push(field);
  });
  const missing = REQUIRED_FIELDS.filter((f) => !seen.has(f));
  if (missing.length > 0) {
    problems.push({ where, reason: `missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}` });
  }
  return { columns, problems };
}

/** A data row's cells as field values: numbers where the field is numeric, caption lists split; empty = not given. */
function csvRowValues(cells: string[], columns: LessonField[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  cells.forEach((cell, index) => {
    const field = columns[index]!;
    const value = cell.trim();
    if (value === '') return; // empty cell = field not given
    if (NUMERIC_FIELDS.has(field)) {
      values[field] = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(value) ? Number(value) : value;
    } else if (field === 'captions') {
      values[field] = value
        .split(';')
        .map((tag) => tag.trim())
        .filter(Boolean);
    } else {
      values[field] = value;
    }
  });
  return values;
}

function readCsvRows(text: string, fileLabel: string): { rows: RawRow[]; problems: Problem[] } {
  const bytes = Buffer.from(text, 'utf8');
  const lineOf = lineOfOffset(bytes);
  let records: Array<{ record: string[]; info: { bytes: number } }>;
  try {
    records = parseCsv(bytes, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return {
      rows: [],
      problems: [{ where: at(fileLabel, line), reason: `not valid CSV: ${(error as Error).message}` }],
    };
  }
  if (records.length === 0)
    return { rows: [], problems: [{ where: fileLabel, reason: 'the file is empty (a header row is needed)' }] };

  // csv-parse reports where a record ends; a record starts after the previous one's end and any blank lines.
  const startLine = (previousEnd: number): number => {
    let offset = previousEnd;
    while (offset < bytes.length && (bytes[offset] === 0x0a || bytes[offset] === 0x0d)) offset++;
    return lineOf(offset);
  };

  const header = records[0]!.record;
  const headerLine = startLine(0);
  const { columns, problems } = readCsvHeader(header, at(fileLabel, headerLine));
  if (problems.length > 0) return { rows: [], problems };

  const rows: RawRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const line = startLine(records[r - 1]!.info.bytes);
    const cells = records[r]!.record;
    if (cells.length !== header.length) {
      problems.push({
        where: at(fileLabel, line),
        reason: `has ${cells.length} fields, the header has ${header.length}`,
      });
      continue;
    }
    const values = csvRowValues(cells, columns as LessonField[]);
    rows.push({ line, values });
  }
  return { rows, problems };
}

function readJsonRows(text: string, fileLabel: string): { rows: RawRow[]; problems: Problem[] } {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? lineOfCharOffset(text)(Number(position[1])) : 1;
    return { rows: [], problems: [{ where: at(fileLabel, line), reason: `not valid JSON: ${message}` }] };
  }
  let items: unknown[];
  if (Array.isArray(document)) {
    items = document;
  } else if (document && typeof document === 'object' && Array.isArray((document as { lessons?: unknown }).lessons)) {
    const extra = Object.keys(document).filter((k) => k !== 'lessons');
    if (extra.length > 0) {
      return {
        rows: [],
        problems: extra.map((k) => ({
          where: at(fileLabel, 1),
          field: k,
          reason: 'unknown top-level field (only "lessons")',
        })),
      };
    }
    items = (document as { lessons: unknown[] }).lessons;
  } else {
    return {
      rows: [],
      problems: [
        { where: at(fileLabel, 1), reason: 'expected a JSON array of lessons or an object { "lessons": [...] }' },
      ],
    };
  }
  const offsets = lessonElementOffsets(text);
  const lineOfChar = lineOfCharOffset(text);
  const rows: RawRow[] = [];
  const problems: Problem[] = [];
  items.forEach((item, index) => {
    const line = offsets[index] !== undefined ? lineOfChar(offsets[index]) : 1;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problems.push({ where: at(fileLabel, line), field: `lessons[${index}]`, reason: 'must be an object' });
      return;
    }
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item)) if (value !== null) values[key] = value;
    rows.push({ line, values });
  });
  return { rows, problems };
}

/** 1-based line of a character offset in a string. */
function lineOfCharOffset(text: string): (offset: number) => number {
  const newlines: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
  return lineAtOffset(newlines);
}

/**
 * Character offset where each element of the lessons array starts. JSON.parse has already accepted the
 * text, so this walker can assume it is well-formed and only track strings and nesting.
 */
export function lessonElementOffsets(text: string): number[] {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const skipString = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const skipValue = (): void => {
    skipSpace();
    const open = text[i];
    if (open === '"') return skipString();
    if (open !== '{' && open !== '[') {
      while (i < text.length && !',]} \t\r\n'.includes(text[i]!)) i++;
      return;
    }
    i++;
    skipSpace();
    if (text[i] === '}' || text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (open === '{') {
        skipString();
        skipSpace();
        i++; // colon
      }
      skipValue();
      skipSpace();
      if (text[i++] !== ',') return;
    }
  };
  const arrayElements = (): number[] => {
    const starts: number[] = [];
    i++;
    skipSpace();
    if (text[i] === ']') return starts;
    for (;;) {
      skipSpace();
      starts.push(i);
      skipValue();
      skipSpace();
      if (text[i++] !== ',') return starts;
    }
  };
  skipSpace();
  if (text[i] === '[') return arrayElements();
  if (text[i] !== '{') return [];
  i++;
  let found: number[] = [];
  for (;;) {
    skipSpace();
    if (text[i] !== '"') return found;
    const keyStart = i;
    skipString();
    const key = JSON.parse(text.slice(keyStart, i)) as string;
    skipSpace();
    i++; // colon
    skipSpace();
    if (key === 'lessons' && text[i] === '[')
      found = arrayElements(); // the last duplicate key wins, as in JSON.parse
    else skipValue();
    skipSpace();
    if (text[i++] !== ',') return found;
  }
}
