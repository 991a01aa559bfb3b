/**
 * STOPGAP until the origin mounts the guide JSON routes (the integrator's part; see the TV app report):
 * when the real app answers 404 on /api/channels, the e2e harness adds /api/channels, /api/guide,
 * /api/lessons and /api/notices built from the same pure renderers (playlists/guide-json.ts) and the same
 * tables. When the origin has them, this does nothing and the tests run against the real routes.
 */
import Router from '@koa/router';
import type Koa from 'koa';
import type { GuideChannel, GuideLesson } from '../../playlists/guide-types.ts';
import { schoolStageOfGrade } from '../../playlists/guide-types.ts';
import { channelsJson, guideJson, lessonsJson, noticesJson } from '../../playlists/guide-json.ts';
import { subjectByCode } from '../../scheduler/catalog/subjects.ts';
import { listChannels } from '../../scheduler/schedule/channels-repository.ts';
import { publishedDaysOverlapping } from '../../scheduler/schedule/snapshots-repository.ts';
import type { Db } from '../../scheduler/store/db.ts';

function guideChannels(db: Db): GuideChannel[] {
  return listChannels(db).map((c) => ({
    id: c.id,
    number: c.number,
    name: c.name,
    timezone: c.timezone,
    group: schoolStageOfGrade(c.grades[0]!),
    grades: c.grades,
  }));
}

function packagedLessons(db: Db): GuideLesson[] {
  const rows = db
    .prepare(
      `SELECT id, grade, subject, edition, volume, unit, unit_title_zh, unit_title_en, lesson, title_zh, title_en, teacher, duration_s, captions
       FROM lessons WHERE status = 'packaged'`,
    )
    .all() as Record<string, never>[];
  return rows.map((r: Record<string, any>) => {
    const subject = subjectByCode(r.subject);
    return {
      id: r.id,
      grade: r.grade,
      subject: r.subject,
      subjectName: subject ? { zh: subject.zh, en: subject.en } : { zh: r.subject },
      edition: r.edition,
      volume: r.volume,
      unit: r.unit,
      unitTitle: r.unit_title_en ? { zh: r.unit_title_zh, en: r.unit_title_en } : { zh: r.unit_title_zh },
      lesson: r.lesson,
      title: r.title_en ? { zh: r.title_zh, en: r.title_en } : { zh: r.title_zh },
      ...(r.teacher ? { teacher: r.teacher } : {}),
      ...(r.duration_s ? { durationS: r.duration_s } : {}),
      captions: JSON.parse(r.captions),
    };
  });
}

export async function addGuideApiIfMissing(app: Koa, db: Db, baseUrl: () => string, now: () => number, probe: (path: string) => Promise<number>): Promise<boolean> {
  if ((await probe('/api/channels')) !== 404) return false;
  console.warn('[e2e] the origin has no /api/channels yet: using the e2e stopgap guide API (tests/e2e/guide-api-stopgap.ts)');
  const router = new Router();
  router.get('/api/channels', (ctx) => {
    ctx.body = channelsJson({ channels: guideChannels(db), baseUrl: baseUrl() });
  });
  router.get('/api/guide', (ctx) => {
    const from = Date.parse(String(ctx.query.from));
    const to = Date.parse(String(ctx.query.to));
    const channels = guideChannels(db);
    const days = channels.flatMap((c) => publishedDaysOverlapping(db, c.id, from, to));
    ctx.body = guideJson({ channels, days, from, to, lessons: packagedLessons(db), baseUrl: baseUrl() });
  });
  router.get('/api/lessons', (ctx) => {
    ctx.body = lessonsJson({
      lessons: packagedLessons(db),
      filter: { offset: Number(ctx.query.offset ?? 0), limit: Number(ctx.query.limit ?? 100) },
      baseUrl: baseUrl(),
    });
  });
  router.get('/api/notices', (ctx) => {
    const channels = guideChannels(db);
    const t = now();
    const days = channels.flatMap((c) => publishedDaysOverlapping(db, c.id, t - 86_400_000, t + 8 * 86_400_000));
    ctx.body = noticesJson({ channels, days, now: t });
  });
  app.use(router.routes());
  return true;
}
