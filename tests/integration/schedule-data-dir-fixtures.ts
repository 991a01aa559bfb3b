import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbPath, openDb, type Db } from '../../scheduler/store/db.ts';
import type { Course } from '../../scheduler/schedule/channel-document.ts';
import { DEFAULT_FILLER_IDS } from '../../scheduler/sample/sample-calendar.ts';

/**
 * Schedule integration fixtures: a real SQLite data directory seeded with catalog rows (lessons and
 * packaged assets with synthetic canonical timelines, as packaging records them), so the real
 * catalog view, build and publish run on it.
 */

export const SEGMENT_MS = 6000;

export interface SeedOptions {
  courses: readonly Course[];
  lessonsPerCourse: number;
  lessonMs: number;
  fillerMs?: number;
  /** Lesson numbers (1-based, within each course) left registered but not packaged. */
  unpackaged?: number[];
}

function segments(totalMs: number, segmentMs: number): number[] {
  const out: number[] = [];
  for (let left = totalMs; left > 0; left -= segmentMs) out.push(Math.min(segmentMs, left));
  return out;
}

export function seedCatalog(db: Db, options: SeedOptions): void {
  const insertLesson = db.prepare(
    `INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh, title_en, status, asset_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAsset = db.prepare(
    `INSERT INTO assets (id, kind, lesson_id, title_zh, title_en, ladder, canonical_rendition, segment_count, duration_ms, segment_ms, packaged_at)
     VALUES (?, ?, ?, ?, ?, 'default', '720p', ?, ?, ?, 0)`,
  );
  const addAsset = (id: string, kind: string, lessonId: string | null, title: string, segmentMs: number[]) =>
    insertAsset.run(
      id,
      kind,
      lessonId,
      title,
      title,
      segmentMs.length,
      segmentMs.reduce((a, b) => a + b, 0),
      JSON.stringify(segmentMs),
    );
  db.transaction(() => {
    const fillerMs = options.fillerMs ?? options.lessonMs;
    addAsset('slate', 'slate', null, '稍后继续', Array(10).fill(1000));
    addAsset(DEFAULT_FILLER_IDS.eyeExercises, 'filler', null, '眼保健操', segments(fillerMs, SEGMENT_MS));
    addAsset(DEFAULT_FILLER_IDS.calisthenics, 'filler', null, '广播体操', segments(fillerMs, SEGMENT_MS));
    addAsset(DEFAULT_FILLER_IDS.ident, 'filler', null, '空中课堂', segments(Math.min(fillerMs, 12_000), SEGMENT_MS));
    for (const course of options.courses) {
      for (let n = 1; n <= options.lessonsPerCourse; n++) {
        const id = `g${course.grade}-${course.subject}-${n}`;
        const unit = Math.ceil(n / 4);
        const packaged = !options.unpackaged?.includes(n);
        // Lengths vary a little, as real lessons do, so overruns and rounding are exercised.
        const lessonMs = options.lessonMs + (n % 3) * 1500;
        if (packaged) addAsset(`a-${id}`, 'lesson', null, `${course.subject} ${n}`, segments(lessonMs, SEGMENT_MS));
        insertLesson.run(
          id,
          course.grade,
          course.subject,
          course.edition,
          course.volume,
          unit,
          `第${unit}单元`,
          n,
          `${course.subject} 第${n}课`,
          `${course.subject} lesson ${n}`,
          packaged ? 'packaged' : 'registered',
          packaged ? `a-${id}` : null,
        );
      }
    }
  })();
}

export const SAMPLE_SUBJECTS = ['chinese', 'math', 'english', 'science', 'morality', 'music', 'art', 'pe'];

export function coursesFor(grades: number[], subjects = SAMPLE_SUBJECTS): Course[] {
  return grades.flatMap((grade) => subjects.map((subject) => ({ grade, subject, edition: 'pep', volume: 1 })));
}

export interface TempDataDir {
  dir: string;
  db: Db;
  /** Bytes of the database file and its WAL, after a checkpoint, for "nothing changed" checks. */
  bytes(): Buffer;
  writeJson(name: string, value: unknown): string;
  writeText(name: string, text: string): string;
  close(): void;
}

export function tempDataDir(): TempDataDir {
  const dir = mkdtempSync(join(tmpdir(), 'aerial-schedule-'));
  const db = openDb(dir);
  return {
    dir,
    db,
    bytes() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      return readFileSync(dbPath(dir));
    },
    writeJson(name, value) {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(value, null, 2));
      return path;
    },
    writeText(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
