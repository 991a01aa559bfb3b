/**
 * Schedule build throughput: 12 grade channels × 365 days from a generated 20,000-lesson catalog
 * (build only, no storage), and one mid-day republish. Prints figures; not a timed test.
 * The slate is a 60 s loop of 1 s segments, as a broadcaster's would be (the test fixtures' 10 s slate
 * turns every off-air minute into 6 items, since a slate item never wraps around its asset).
 * Run: npm run bench:schedule-build
 */
import { performance } from 'node:perf_hooks';
import type { DayEndState, ScheduledItem } from '../playlists/model.ts';
import { buildDay } from '../scheduler/schedule/build.ts';
import { channelSchema } from '../scheduler/schedule/channel-document.ts';
import {
  type CourseSpec,
  fixtureCatalog,
  LADDER,
  rulesFor,
  SHANGHAI_CALENDAR,
} from '../tests/helpers/schedule-build-fixtures.ts';

const SUBJECTS = [
  'chinese',
  'math',
  'english',
  'science',
  'music',
  'art',
  'pe',
  'morality',
  'history',
  'geography',
  'biology',
  'physics',
  'chemistry',
];
const courses: CourseSpec[] = [];
let lessonCount = 0;
for (let grade = 1; grade <= 12; grade++) {
  for (const subject of SUBJECTS) {
    // 2 volumes × 8 units × 8 lessons ≈ 128 lessons per course; 12 × 13 courses ≈ 20,000 lessons.
    const volumes = [Array(8).fill(8), Array(8).fill(8)];
    courses.push({ grade, subject, edition: 'pep', volumes });
    lessonCount += 128;
  }
}
const catalog = fixtureCatalog(courses);
const slateMs = Array<number>(60).fill(1000);
catalog.addAsset({
  id: 'slate',
  kind: 'slate',
  title: { zh: '稍后回来', en: 'Back soon' },
  ladder: LADDER,
  segmentMs: slateMs,
  durationMs: 60_000,
});

const slotsFor = (grade: number) => {
  const subjects = SUBJECTS.slice(0, 6);
  const morning = subjects.map((subject, i) => ({
    id: `s${i + 1}`,
    start: `${String(8 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
    kind: 'lesson',
    subject,
  }));
  return [
    ...morning,
    { id: 'eye', start: '11:00', kind: 'filler', asset: 'eye-exercises' },
    ...subjects.map((_, i) => ({
      id: `r${i + 1}`,
      start: `${String(13 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
      kind: 'rerun',
      of: `s${i + 1}`,
    })),
    { id: 'y', start: '16:30', kind: 'rerun', of: 's1', daysAgo: 1 },
    { id: 'loop', start: '17:00', kind: 'rerun-loop', daysAgo: grade % 2 },
    { id: 'off', start: '23:00', kind: 'off-air' },
  ];
};
const week = (slots: unknown[]) =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, slots]));
const channels = Array.from({ length: 12 }, (_, g) =>
  channelSchema.parse({
    id: `g${g + 1}`,
    number: g + 1,
    name: { zh: `${g + 1}年级` },
    grades: [g + 1],
    regions: ['shanghai'],
    courses: SUBJECTS.slice(0, 6).map((subject) => ({ subject, edition: 'pep', grade: g + 1 })),
    timetables: {
      term: week(slotsFor(g + 1)),
      holiday: week(slotsFor(g + 1).slice(12)),
      suspension: week(slotsFor(g + 1)),
    },
  }),
);

const DAYS = 365;
const dates = Array.from({ length: DAYS }, (_, i) => new Date(Date.UTC(2026, 8, 1 + i)).toISOString().slice(0, 10));
let items = 0;
let warnings = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const lastStates: (DayEndState | undefined)[] = [];
for (const channel of channels) {
  const rules = rulesFor(channel, catalog, { calendars: [SHANGHAI_CALENDAR] });
  let state: DayEndState | undefined;
  for (const date of dates) {
    const { snapshot } = buildDay(rules, date, state);
    items += snapshot.items.length;
    warnings += snapshot.warnings.length;
    state = snapshot.endState;
  }
  lastStates.push(state);
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(`catalog: ${lessonCount} lessons, ${catalog.assets.size} assets`);
console.log(
  `build: ${channels.length} channels × ${DAYS} days = ${channels.length * DAYS} channel-days, ${items} items, ${warnings} warnings`,
);
console.log(
  `build wall time: ${wallMs.toFixed(0)} ms, ${Math.round(items / (wallMs / 1000))} items/s, ${((wallMs * 1000) / (channels.length * DAYS)).toFixed(0)} µs per channel-day; CPU time ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (wall > CPU means the machine was busy)`,
);

// Republish of one channel-day at 10:00 local with the morning frozen.
const rules = rulesFor(channels[2]!, catalog, { calendars: [SHANGHAI_CALENDAR] });
const previous = buildDay(rules, '2026-09-07', undefined).snapshot.endState;
const day = buildDay(rules, '2026-09-08', previous).snapshot;
const cutoff = Date.parse('2026-09-08T02:02:00Z');
const frozen: ScheduledItem[] = JSON.parse(JSON.stringify(day.items.filter((i) => i.startMs < cutoff)));
const runs = 200;
const r0 = performance.now();
for (let i = 0; i < runs; i++) buildDay(rules, '2026-09-08', previous, { frozenItems: frozen, cutoffMs: cutoff });
console.log(
  `republish one channel-day (${frozen.length} frozen of ${day.items.length} items): ${((performance.now() - r0) / runs).toFixed(2)} ms`,
);
